// `duegate calc SUBCOMMAND ...`: the legal figures and payment references of gateway/core, as JSON
// for people and scripts (docs/calc.md lists every subcommand with an example).
//
// Every answer is one JSON object: "calculation" first, the inputs as read, the figures (amounts as
// decimal strings, dates as YYYY-MM-DD), and "basis": the law or standard applied and every
// assumption made (LEGAL.md's ⚠️ readings are named there). Bad usage or bad input throws UsageError
// (exit status 2, one line on stderr). The only I/O besides stdout is `interest --rates FILE`.
#include "gateway/cli/commands/Commands.h"

#include "gateway/core/BelgianBusinessRules.h"
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/Calendar.h"
#include "gateway/core/DutchRules.h"
#include "gateway/core/EpcQr.h"
#include "gateway/core/InterestCalculator.h"
#include "gateway/core/PaymentReference.h"
#include "gateway/core/RateTable.h"
#include "parsers/common/JsonWriter.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <sstream>

namespace duegate::cli {
namespace {

using core::CivilDate;
using core::Money;
using parsers::JsonWriter;

const char* kSubcommands = "damages|interest|term|bik|ogm|rf|epc-qr|holidays|workdays";

void rejectUnknown(const Args& args, const std::vector<std::string>& known) {
    const auto unknown = args.unknown(known);
    if (!unknown.empty()) throw UsageError{"calc: unknown option " + unknown.front()};
}

std::string require(const Args& args, const std::string& key) {
    auto v = args.get(key);
    if (!v || v->empty()) throw UsageError{"calc: missing --" + key};
    return *v;
}

Money eurAmount(const Args& args, const std::string& key) {
    const std::string text = require(args, key);
    auto m = Money::parse(text, "EUR");
    if (!m) throw UsageError{"calc: --" + key + " must be a EUR amount like 450.00, got '" + text + "'"};
    if (m->isNegative()) throw UsageError{"calc: --" + key + " must not be negative"};
    return *m;
}

CivilDate date(const Args& args, const std::string& key) {
    const std::string text = require(args, key);
    auto d = CivilDate::parseIso(text);
    if (!d) throw UsageError{"calc: --" + key + " must be a date YYYY-MM-DD, got '" + text + "'"};
    return *d;
}

int integer(const Args& args, const std::string& key, int lo, int hi) {
    const std::string text = require(args, key);
    const char* b = text.data();
    const char* e = b + text.size();
    if (b != e && *b == '+') ++b;
    int v = 0;
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || v < lo || v > hi)
        throw UsageError{"calc: --" + key + " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", got '" + text + "'"};
    return v;
}

core::Regime regime(const Args& args, std::initializer_list<core::Regime> allowed) {
    const std::string text = require(args, "regime");
    auto r = core::parseRegime(text);
    bool ok = r.has_value();
    if (ok) {
        ok = false;
        for (auto a : allowed) ok = ok || a == *r;
    }
    if (!ok) {
        std::string names;
        for (auto a : allowed) names += (names.empty() ? "" : "|") + std::string(core::regimeName(a));
        throw UsageError{"calc: --regime must be " + names + ", got '" + text + "'"};
    }
    return *r;
}

core::Country country(const Args& args) {
    const std::string text = require(args, "country");
    auto c = core::parseCountry(text);
    if (!c) throw UsageError{"calc: --country must be be or nl, got '" + text + "'"};
    return *c;
}

const char* weekdayName(const CivilDate& d) {
    static const char* names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    return names[d.weekday() - 1];
}

template <class T>
T orUsage(parsers::Result<T> r, const std::string& what) {
    if (!r) throw UsageError{"calc: " + what + ": " + r.error().message};
    return std::move(r).value();
}

int emit(Io& io, const JsonWriter& w) {
    io.out << w.str() << "\n";
    return 0;
}

// --- damages ------------------------------------------------------------------------------------

int damages(const Args& args, Io& io) {
    rejectUnknown(args, {"regime", "principal", "vat"});
    const auto r = regime(args, {core::Regime::BeB2c, core::Regime::BeB2b, core::Regime::NlB2c, core::Regime::NlB2b});
    const Money principal = eurAmount(args, "principal");
    JsonWriter w;
    w.beginObject().field("calculation", "damages").field("regime", core::regimeName(r));
    w.field("principal", principal.toDecimal()).field("currency", "EUR");
    switch (r) {
        case core::Regime::BeB2c: {
            if (args.has("vat")) throw UsageError{"calc: --vat applies to nl-b2c only"};
            const auto cap = orUsage(core::BelgianConsumerRules::damagesCap(principal), "damages");
            w.field("amount", cap.amount.toDecimal()).field("kind", "maximum lump-sum damages");
            w.field("basis", cap.basis + "; claimable only when agreed in the contract and after the 14-day term of the "
                                         "free first reminder (Art. XIX.2)");
            break;
        }
        case core::Regime::BeB2b: {
            if (args.has("vat")) throw UsageError{"calc: --vat applies to nl-b2c only"};
            const auto c = core::BelgianBusinessRules::fixedCompensation();
            w.field("amount", c.amount.toDecimal()).field("kind", "fixed compensation");
            w.field("basis", c.basis);
            break;
        }
        case core::Regime::NlB2c: {
            std::optional<int> vat;
            if (args.has("vat")) vat = integer(args, "vat", 0, 100);
            const auto bik = orUsage(core::DutchRules::bik(principal, vat), "damages");
            w.field("amount", bik.total.toDecimal()).field("kind", "extrajudicial collection costs (BIK)");
            w.field("scale", bik.scale.toDecimal()).field("vat", bik.vat.toDecimal());
            w.field("basis", bik.basis + "; due only after the 14-day letter's term has ended (art. 6:96(6) BW)");
            break;
        }
        case core::Regime::NlB2b: {
            if (args.has("vat")) throw UsageError{"calc: --vat applies to nl-b2c only"};
            const auto c = core::DutchRules::commercialMinimumCompensation();
            const auto bik = orUsage(core::DutchRules::bik(principal), "damages");
            w.field("amount", c.amount.toDecimal()).field("kind", "minimum compensation");
            w.field("scale_default", bik.scale.toDecimal());
            w.field("basis", c.basis + "; scale_default is the BIK scale amount, which applies unless other costs "
                                       "were agreed");
            break;
        }
    }
    w.endObject();
    return emit(io, w);
}

// --- interest -----------------------------------------------------------------------------------

core::RateTables loadRates(const Args& args) {
    auto path = args.get("rates");
    if (!path) return core::defaultRateTables();
    if (path->empty()) throw UsageError{"calc: --rates needs a file"};
    std::ifstream in(*path, std::ios::binary);
    if (!in) throw UsageError{"calc: cannot read rate file " + *path};
    std::ostringstream text;
    text << in.rdbuf();
    auto tables = core::parseRateTables(text.str());
    if (!tables) throw UsageError{"calc: " + *path + ": " + tables.error().toString()};
    return *tables;
}

int interest(const Args& args, Io& io) {
    rejectUnknown(args, {"regime", "principal", "due", "on", "rates", "charges-from"});
    const auto r = regime(args, {core::Regime::BeB2c, core::Regime::BeB2b, core::Regime::NlB2c, core::Regime::NlB2b});
    const Money principal = eurAmount(args, "principal");
    const CivilDate due = date(args, "due");
    const CivilDate on = date(args, "on");
    if (on < due) throw UsageError{"calc: --on must not be before --due"};
    const auto tables = loadRates(args);
    const std::string tableName(core::interestTableFor(r));
    const core::RateTable* table = tables.find(tableName);
    if (!table) throw UsageError{"calc: the rate file has no table [" + tableName + "]"};

    CivilDate first = due.plusDays(1);
    std::string basis;
    switch (r) {
        case core::Regime::BeB2b:
            basis = "Art. 5 Law of 2 August 2002: interest from the day after the due date, without notice, at the "
                    "half-yearly rate (ECB + 8 points rounded up to the half point)";
            break;
        case core::Regime::BeB2c: {
            if (!args.has("charges-from"))
                throw UsageError{"calc: be-b2c interest needs --charges-from D, the first day after the term of the "
                                 "free first reminder (see `duegate calc term`)"};
            const CivilDate cf = date(args, "charges-from");
            if (first < cf) first = cf;
            basis = "Book XIX Code of Economic Law: no interest before the term of the free first reminder has ended "
                    "(Art. XIX.2); computed at the maximum, the rate of Art. 5 Law of 2 August 2002 (an agreed lower "
                    "rate prevails); interest counted from --charges-from (our reading: LEGAL.md does not say whether "
                    "the days before the term may be claimed afterwards)";
            break;
        }
        case core::Regime::NlB2c:
            basis = "Art. 6:119 BW statutory interest from the day after the due date (assumes the debtor is in "
                    "default from then, art. 6:83(a) BW); simple interest: the yearly capitalisation of art. "
                    "6:119(2) BW is not applied";
            break;
        case core::Regime::NlB2b:
            basis = "Art. 6:119a BW statutory commercial interest (ECB + 8 points) from the day after the due date; "
                    "simple interest: the yearly capitalisation of art. 6:119a(2) BW is not applied";
            break;
    }
    const auto result = orUsage(core::simpleInterest(principal, *table, first, on), "interest");
    basis += "; per day, actual/365, rounded half-up to the cent per rate period";
    if (!result.allRatesVerified) basis += "; at least one rate is unverified (LEGAL.md marks it as not confirmed)";

    JsonWriter w;
    w.beginObject().field("calculation", "interest").field("regime", core::regimeName(r));
    w.field("principal", principal.toDecimal()).field("currency", "EUR");
    w.field("due", due.iso()).field("on", on.iso());
    w.field("first_day", result.firstDay.iso()).field("last_day", result.lastDay.iso());
    w.field("days", std::int64_t(result.days)).field("table", tableName);
    w.key("periods").beginArray();
    for (const auto& s : result.slices) {
        w.beginObject();
        w.field("from", s.from.iso()).field("to", s.to.iso()).field("days", std::int64_t(s.days));
        w.field("rate_percent", core::formatBasisPoints(s.rate.basisPoints));
        w.field("verified", s.rate.verified).field("source", s.rate.source);
        w.field("interest", s.interest.toDecimal());
        w.endObject();
    }
    w.endArray();
    w.field("interest", result.total.toDecimal());
    w.field("rounding", "half-up per rate period");
    w.field("basis", basis);
    w.endObject();
    return emit(io, w);
}

// --- term ---------------------------------------------------------------------------------------

int term(const Args& args, Io& io) {
    rejectUnknown(args, {"regime", "sent", "medium", "received"});
    const auto r = regime(args, {core::Regime::BeB2c, core::Regime::NlB2c});
    const CivilDate sent = date(args, "sent");
    const std::string mediumText = require(args, "medium");
    const auto medium = core::parseMedium(mediumText);
    if (!medium) throw UsageError{"calc: --medium must be post or email, got '" + mediumText + "'"};
    JsonWriter w;
    w.beginObject().field("calculation", "term").field("regime", core::regimeName(r));
    w.field("sent", sent.iso()).field("medium", core::mediumName(*medium));
    core::LegalTerm t;
    if (r == core::Regime::BeB2c) {
        if (args.has("received")) throw UsageError{"calc: --received applies to nl-b2c only"};
        t = core::BelgianConsumerRules::firstReminderTerm(sent, *medium);
    } else {
        const bool known = args.has("received");
        const CivilDate received = known ? date(args, "received") : core::DutchRules::assumedReceipt(sent, *medium);
        if (received < sent) throw UsageError{"calc: --received must not be before --sent"};
        t = core::DutchRules::fourteenDayTerm(received);
        w.field("received", received.iso()).field("received_assumed", !known);
        if (!known)
            t.basis += "; receipt assumed (e-mail: the day of sending; post: 2nd Dutch working day after sending; our "
                       "assumption, pass --received when known)";
    }
    w.field("first_day", t.firstDay.iso()).field("first_day_weekday", weekdayName(t.firstDay));
    w.field("last_day", t.lastDay.iso()).field("last_day_weekday", weekdayName(t.lastDay));
    w.field("charges_from", t.chargesFrom.iso()).field("charges_from_weekday", weekdayName(t.chargesFrom));
    w.field("basis", t.basis);
    w.endObject();
    return emit(io, w);
}

// --- bik ----------------------------------------------------------------------------------------

int bik(const Args& args, Io& io) {
    rejectUnknown(args, {"principal", "vat"});
    const Money principal = eurAmount(args, "principal");
    std::optional<int> vat;
    if (args.has("vat")) vat = integer(args, "vat", 0, 100);
    const auto b = orUsage(core::DutchRules::bik(principal, vat), "bik");
    JsonWriter w;
    w.beginObject().field("calculation", "bik").field("principal", principal.toDecimal()).field("currency", "EUR");
    w.field("scale", b.scale.toDecimal());
    if (vat) w.field("vat_percent", std::int64_t(*vat));
    w.field("vat", b.vat.toDecimal()).field("total", b.total.toDecimal()).field("basis", b.basis);
    w.endObject();
    return emit(io, w);
}

// --- ogm / rf -----------------------------------------------------------------------------------

int ogm(const Args& args, Io& io) {
    rejectUnknown(args, {"base", "check"});
    JsonWriter w;
    if (args.has("check")) {
        if (args.has("base")) throw UsageError{"calc: ogm takes --base or --check, not both"};
        const std::string text = require(args, "check");
        const auto digits = parsers::refs::parseOgm(text);
        w.beginObject().field("calculation", "ogm-check").field("input", text).field("valid", digits.has_value());
        if (digits) w.field("digits", *digits).field("ogm", parsers::refs::formatOgm(*digits));
        w.field("basis", "Belgian structured communication: check digits = first 10 digits mod 97 (0 -> 97)");
        w.endObject();
        io.out << w.str() << "\n";
        return digits ? 0 : 2;
    }
    const std::string base = require(args, "base");
    const auto formatted = parsers::refs::ogmFromBase(base);
    if (!formatted) throw UsageError{"calc: --base must be exactly 10 digits, got '" + base + "'"};
    const auto digits = *parsers::refs::parseOgm(*formatted);
    w.beginObject().field("calculation", "ogm").field("base", base).field("ogm", *formatted);
    w.field("digits", digits).field("check_digits", digits.substr(10));
    w.field("basis", "Belgian structured communication (OGM/VCS): +++DDD/DDDD/DDDCC+++, CC = base mod 97, 97 when 0");
    w.endObject();
    return emit(io, w);
}

int rf(const Args& args, Io& io) {
    rejectUnknown(args, {"reference", "check"});
    JsonWriter w;
    if (args.has("check")) {
        if (args.has("reference")) throw UsageError{"calc: rf takes --reference or --check, not both"};
        const std::string text = require(args, "check");
        const auto parsed = parsers::refs::parseRf(text);
        w.beginObject().field("calculation", "rf-check").field("input", text).field("valid", parsed.has_value());
        if (parsed) w.field("rf", *parsed).field("print", core::printRf(*parsed));
        w.field("basis", "ISO 11649: move the first 4 characters to the end, letters A=10..Z=35, mod 97 must be 1");
        w.endObject();
        io.out << w.str() << "\n";
        return parsed ? 0 : 2;
    }
    const std::string ref = require(args, "reference");
    const auto made = parsers::refs::rfFromReference(ref);
    if (!made) throw UsageError{"calc: --reference must be 1 to 21 letters or digits, got '" + ref + "'"};
    w.beginObject().field("calculation", "rf").field("reference", ref).field("rf", *made);
    w.field("print", core::printRf(*made)).field("check_digits", made->substr(2, 2));
    w.field("basis", "ISO 11649 structured creditor reference: check = 98 - ((reference + \"RF00\") mod 97), "
                     "letters A=10..Z=35");
    w.endObject();
    return emit(io, w);
}

// --- epc-qr -------------------------------------------------------------------------------------

int epcQr(const Args& args, Io& io) {
    rejectUnknown(args, {"name", "iban", "bic", "amount", "reference", "text", "purpose", "note", "raw"});
    core::EpcQrInput in;
    in.name = require(args, "name");
    in.iban = require(args, "iban");
    in.bic = args.get("bic");
    in.amount = eurAmount(args, "amount");
    in.reference = args.get("reference");
    in.text = args.get("text");
    in.purpose = args.get("purpose");
    in.note = args.get("note");
    const auto p = orUsage(core::buildEpcQr(in), "epc-qr");
    if (args.flag("raw")) {  // the bare payload, e.g. for `| qrencode -l M`
        io.out << p.payload;
        return 0;
    }
    JsonWriter w;
    w.beginObject().field("calculation", "epc-qr").field("payload", p.payload);
    w.field("bytes", std::int64_t(p.payload.size())).field("reference_kind", p.referenceKind);
    w.field("error_correction", "M").field("basis", p.basis);
    w.endObject();
    return emit(io, w);
}

// --- holidays / workdays ------------------------------------------------------------------------

std::string calendarBasis(core::Country c) {
    return c == core::Country::BE
               ? "Belgian public holidays (Royal Decree of 18 April 1974: 10 legal holidays, Easter Sunday and Whit "
                 "Sunday listed as Sundays); working day = Mon-Fri minus these holidays, by analogy with Art. 53bis "
                 "Judicial Code (not confirmed for Book XIX)"
               : "Dutch recognised holidays (art. 3 Algemene termijnenwet; Good Friday not included); working day = "
                 "Mon-Fri minus these holidays";
}

int holidays(const Args& args, Io& io) {
    rejectUnknown(args, {"country", "year"});
    const auto c = country(args);
    const int year = integer(args, "year", 1583, 9999);
    JsonWriter w;
    w.beginObject().field("calculation", "holidays").field("country", core::countryCode(c));
    w.field("year", std::int64_t(year)).key("holidays").beginArray();
    for (const auto& h : core::publicHolidays(c, year)) {
        w.beginObject().field("date", h.date.iso()).field("weekday", weekdayName(h.date)).field("name", h.name);
        w.endObject();
    }
    w.endArray().field("basis", calendarBasis(c)).endObject();
    return emit(io, w);
}

int workdays(const Args& args, Io& io) {
    rejectUnknown(args, {"country", "from", "add"});
    const auto c = country(args);
    const CivilDate from = date(args, "from");
    const int add = integer(args, "add", -3650, 3650);
    const CivilDate result = core::addWorkingDays(c, from, add);
    JsonWriter w;
    w.beginObject().field("calculation", "workdays").field("country", core::countryCode(c));
    w.field("from", from.iso()).field("add", std::int64_t(add));
    w.field("result", result.iso()).field("result_weekday", weekdayName(result));
    w.key("holidays_skipped").beginArray();
    const CivilDate lo = std::min(from, result), hi = std::max(from, result);
    for (CivilDate d = lo; !(hi < d); d = d.plusDays(1))
        if (d != from && d.weekday() <= 5 && core::isPublicHoliday(c, d)) w.value(d.iso());
    w.endArray();
    w.field("basis", "working day number " + std::to_string(add < 0 ? -add : add) + " " +
                         (add < 0 ? "before" : "after") + " --from (which is not counted); " + calendarBasis(c));
    w.endObject();
    return emit(io, w);
}

}  // namespace

int runCalc(const Args& args, Io& io) {
    static const std::map<std::string, std::function<int(const Args&, Io&)>> table = {
        {"damages", damages}, {"interest", interest}, {"term", term},         {"bik", bik},
        {"ogm", ogm},         {"rf", rf},             {"epc-qr", epcQr},      {"holidays", holidays},
        {"workdays", workdays},
    };
    if (args.positional().empty()) throw UsageError{std::string("calc needs a subcommand: ") + kSubcommands};
    if (args.positional().size() > 1)
        throw UsageError{"calc: unexpected argument '" + args.positional()[1] + "' (options are --key value)"};
    const auto it = table.find(args.positional()[0]);
    if (it == table.end())
        throw UsageError{"calc: unknown subcommand '" + args.positional()[0] + "' (" + kSubcommands + ")"};
    return it->second(args, io);
}

}  // namespace duegate::cli
