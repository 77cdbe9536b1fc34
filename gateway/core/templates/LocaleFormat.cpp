#include "gateway/core/templates/LocaleFormat.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace duegate::core {
namespace {

const std::string kNbsp = "\xC2\xA0";

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Groups the integer digits by three with `sep`, then `dec` and the fraction.
std::string groupDigits(const Money& m, char sep, char dec) {
    const int exp = m.exponent();
    std::uint64_t abs = m.minor() < 0 ? static_cast<std::uint64_t>(-(m.minor() + 1)) + 1 : static_cast<std::uint64_t>(m.minor());
    std::uint64_t scale = 1;
    for (int i = 0; i < exp; ++i) scale *= 10;
    const std::string whole = std::to_string(abs / scale);
    std::string frac = std::to_string(abs % scale);
    while (static_cast<int>(frac.size()) < exp) frac.insert(frac.begin(), '0');
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) out += sep;
        out += whole[i];
    }
    if (exp > 0) out += dec + frac;
    return out;
}

}  // namespace

std::optional<Language> parseLanguage(std::string_view text) {
    const std::string t = lower(text.substr(0, 2));
    if (text.size() > 2 && text[2] != '-' && text[2] != '_') return std::nullopt;
    if (t == "nl") return Language::Nl;
    if (t == "fr") return Language::Fr;
    if (t == "en") return Language::En;
    return std::nullopt;
}

std::string_view languageCode(Language l) {
    switch (l) {
        case Language::Nl: return "nl";
        case Language::Fr: return "fr";
        case Language::En: return "en";
    }
    return "en";
}

Language chooseLanguage(std::optional<std::string_view> dossierLanguage,
                        std::optional<std::string_view> debtorLanguage, std::optional<std::string_view> country,
                        std::optional<std::string_view> postcode) {
    if (dossierLanguage)
        if (auto l = parseLanguage(*dossierLanguage)) return *l;
    if (debtorLanguage)
        if (auto l = parseLanguage(*debtorLanguage)) return *l;
    const std::string c = country ? lower(*country) : "";
    if (c == "be" || c == "bel" || c == "belgium" || c == "belgie" || c == "belgique") {
        int pc = 0;
        if (postcode) {
            std::string digits;
            for (char ch : *postcode)
                if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
            if (digits.size() == 4) pc = std::atoi(digits.c_str());
        }
        if ((pc >= 1000 && pc <= 1299) || (pc >= 1300 && pc <= 1499) || (pc >= 4000 && pc <= 7999))
            return Language::Fr;
        return Language::Nl;
    }
    if (c == "nl" || c == "nld" || c == "netherlands") return Language::Nl;
    if (c == "fr" || c == "lu" || c == "mc") return Language::Fr;
    return Language::En;
}

std::string formatAmount(Language l, const Money& m) {
    const std::string sign = m.minor() < 0 ? "-" : "";
    const bool eur = m.currency() == "EUR";
    if (l == Language::En) {
        const std::string digits = groupDigits(m, ',', '.');
        return sign + (eur ? "\xE2\x82\xAC" + digits : m.currency() + " " + digits);
    }
    return sign + groupDigits(m, '.', ',') + kNbsp + (eur ? std::string("\xE2\x82\xAC") : m.currency());
}

std::string formatDate(Language l, const parsers::CivilDate& d) {
    if (l == Language::En) return formatDateLong(l, d);
    char buf[48];  // room for any int: GCC -O1 cannot prove the fields small
    std::snprintf(buf, sizeof buf, l == Language::Nl ? "%02d-%02d-%04d" : "%02d/%02d/%04d", d.day(), d.month(),
                  d.year());
    return buf;
}

std::string formatDateLong(Language l, const parsers::CivilDate& d) {
    static const std::array<const char*, 12> nl = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                                   "juli",    "augustus", "september", "oktober", "november", "december"};
    static const std::array<const char*, 12> fr = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
    static const std::array<const char*, 12> en = {"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};
    const auto& names = l == Language::Nl ? nl : l == Language::Fr ? fr : en;
    return std::to_string(d.day()) + " " + names[static_cast<std::size_t>(d.month() - 1)] + " " +
           std::to_string(d.year());
}

}  // namespace duegate::core
