#include "gateway/core/RateTable.h"
#include "gateway/core/InputError.h"

#include "parsers/common/Decimal.h"
#include "parsers/common/Text.h"

#include <cctype>

namespace duegate::core {
namespace {

std::string_view trim(std::string_view s) { return parsers::trimSpace(s); }

// Next whitespace-separated word of `s`, consumed.
std::string_view nextWord(std::string_view& s) {
    s = trim(s);
    std::size_t n = 0;
    while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
    auto w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
}

// This table MIRRORS config/rates/interest_rates.ini (same periods, rates, status and sources).
// Change both together; RateTableTest "compiled_in_table_equals_the_config_file" enforces it.
struct Row {
    const char* table;
    const char* from;
    const char* to;
    int bp;
    bool verified;
    const char* source;
};
constexpr const char* kEmbuild =
    "https://embuild.be/fr/actualit%C3%A9s/le-retard-de-paiement-le-taux-dint%C3%A9r%C3%AAt-applicable-en-2026";
constexpr const char* kWieringa =
    "https://www.wieringa-advocaten.nl/en/weblog/2025/01/13/"
    "statutory-interest-rate-and-statutory-commercial-interest-rate-to-fall-from-1-january-2025/";
constexpr const char* kLaarhoven =
    "https://www.vanlaarhovenenpartners.nl/nieuws/wettelijke-rente-bij-niet-of-te-late-betaling-328";
const Row kRows[] = {
    {"be-late-payment", "2024-01-01", "2024-06-30", 1250, true, "https://leuropeinfo.eu/?p=1197"},
    {"be-late-payment", "2024-07-01", "2024-12-31", 1250, true, "https://leuropeinfo.eu/?p=1197"},
    {"be-late-payment", "2025-01-01", "2025-06-30", 1150, true,
     "https://leuropeinfo.eu/?p=1197 (3.15 + 8 = 11.15, rounded up)"},
    {"be-late-payment", "2025-07-01", "2025-12-31", 1050, true,
     "https://embuild.be/fr/actualit%C3%A9s/le-retard-de-paiement-le-taux-dint%C3%A9r%C3%AAt-applicable-en-2026"
     " (2.15 + 8 = 10.15, rounded up)"},
    {"be-late-payment", "2026-01-01", "2026-06-30", 1050, false,
     "https://embuild.be/fr/actualit%C3%A9s/le-retard-de-paiement-le-taux-dint%C3%A9r%C3%AAt-applicable-en-2026"
     " (\"unchanged\", not yet published)"},
    {"be-legal", "2025-01-01", "2025-12-31", 450, true, "https://leuropeinfo.eu/?p=1197"},
    {"be-legal", "2026-01-01", "2026-12-31", 450, true, kEmbuild},
    {"nl-statutory", "2025-01-01", "2025-06-30", 600, true, kWieringa},
    {"nl-statutory", "2025-07-01", "2025-12-31", 600, false,
     "https://www.vanlaarhovenenpartners.nl/nieuws/wettelijke-rente-bij-niet-of-te-late-betaling-328 (single source)"},
    {"nl-commercial", "2025-01-01", "2025-06-30", 1115, true, kWieringa},
    {"nl-commercial", "2025-07-01", "2025-12-31", 1015, true, kLaarhoven},
    {"nl-commercial", "2026-01-01", "2026-06-30", 1015, false,
     "LEGAL.md: 10.15 % if the ECB rate is still 2.15 % (not yet confirmed)"},
};

RateTables buildDefault() {
    RateTables t;
    for (const auto& r : kRows) {
        if (t.tables.empty() || t.tables.back().name != r.table) t.tables.push_back(RateTable{r.table, {}});
        t.tables.back().periods.push_back(
            RatePeriod{*CivilDate::parseIso(r.from), *CivilDate::parseIso(r.to), r.bp, r.verified, r.source});
    }
    return t;
}

}  // namespace

parsers::Result<RatePeriod> RateTable::rateOn(const CivilDate& date) const {
    for (const auto& p : periods)
        if (p.from <= date && date <= p.to) return p;
    return inputError("rate", "no rate known for " + date.iso() + " in table " + name);
}

const RateTable* RateTables::find(std::string_view name) const {
    for (const auto& t : tables)
        if (t.name == name) return &t;
    return nullptr;
}

parsers::Result<RateTables> parseRateTables(std::string_view text) {
    RateTables out;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const auto nl = text.find('\n');
        std::string_view line = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.empty() || line[0] == ';' || line[0] == '#') continue;
        if (line[0] == '[') {
            if (line.back() != ']' || line.size() < 3)
                return parsers::errorAtLine(lineNo, "section", "expected [table-name]");
            std::string name(trim(line.substr(1, line.size() - 2)));
            if (out.find(name)) return parsers::errorAtLine(lineNo, "section", "table " + name + " appears twice");
            out.tables.push_back(RateTable{name, {}});
            continue;
        }
        if (out.tables.empty()) return parsers::errorAtLine(lineNo, "section", "a period before any [table]");
        std::string_view rest = line;
        const auto from = CivilDate::parseIso(nextWord(rest));
        if (!from) return parsers::errorAtLine(lineNo, "from", "expected a date YYYY-MM-DD");
        const auto to = CivilDate::parseIso(nextWord(rest));
        if (!to) return parsers::errorAtLine(lineNo, "to", "expected a date YYYY-MM-DD");
        if (*to < *from) return parsers::errorAtLine(lineNo, "to", "ends before it starts");
        const auto bp = parsers::parseMinorUnits(nextWord(rest), 2);
        if (!bp || *bp < 0 || *bp > 100000)
            return parsers::errorAtLine(lineNo, "rate", "expected a percentage with at most 2 decimals");
        const auto status = nextWord(rest);
        if (status != "verified" && status != "unverified")
            return parsers::errorAtLine(lineNo, "status", "expected verified or unverified");
        const auto source = trim(rest);
        if (source.empty()) return parsers::errorAtLine(lineNo, "source", "every rate needs its source");
        auto& periods = out.tables.back().periods;
        if (!periods.empty() && !(periods.back().to < *from))
            return parsers::errorAtLine(lineNo, "from", "overlaps or precedes the previous period");
        periods.push_back(RatePeriod{*from, *to, static_cast<int>(*bp), status == "verified", std::string(source)});
    }
    return out;
}

const RateTables& defaultRateTables() {
    static const RateTables tables = buildDefault();
    return tables;
}

std::string formatBasisPoints(int basisPoints) { return parsers::formatMinorUnits(basisPoints, 2); }

}  // namespace duegate::core
