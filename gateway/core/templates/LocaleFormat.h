// How amounts and dates are written for a debtor, per language (nl, fr, en). Pure: no clock, no
// locale database (std::locale would depend on what the machine has installed), exact integers.
//
//   language  amount (EUR)   amount (other)   date (short)   date (long, letters)
//   nl        1.234,50 €     1.234,50 USD     31-12-2026     31 december 2026
//   fr        1.234,50 €     1.234,50 USD     31/12/2026     31 décembre 2026
//   en        €1,234.50      USD 1,234.50     31 December 2026 (both)
// Negative amounts get a leading minus ("-1.234,50 €", "-€1,234.50"). The French thousands
// separator is a dot as Belgian banks and invoices print it (not the narrow space of France).
// Between the number and "€" in nl/fr is a no-break space (U+00A0), so a line never breaks there.
//
// Language choice (chooseLanguage): the dossier's own language (debtor page choice, template
// column), else the debtor's (UBL buyer, template column), else by country and postcode:
//   BE: postcodes 1000-1299 (Brussels-Capital: bilingual, French-speaking majority) -> fr;
//       1300-1499 (Walloon Brabant) and 4000-7999 (Liège, Namur, Hainaut, Luxembourg; the
//       German-speaking community 4700-4799 too, duegate has no German texts) -> fr;
//       any other Belgian postcode (Flanders, 1500-3999 and 8000-9999) or none -> nl;
//   NL -> nl; FR, LU, MC -> fr; anything else, or no country -> en.
// Language values are read by their two-letter code, any case, with an optional region ("nl-BE",
// "FR", "fr_BE"); anything else ("Dutch", "de") falls through to the next source.
// Thread-safety: pure functions.
#pragma once

#include "gateway/core/Money.h"
#include "parsers/common/CivilDate.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace duegate::core {

using parsers::CivilDate;

enum class Language { Nl, Fr, En };

std::optional<Language> parseLanguage(std::string_view text);  // "nl", "fr", "en" (+ "-BE" etc.)
std::string_view languageCode(Language l);                     // "nl" | "fr" | "en"
inline std::ostream& operator<<(std::ostream& os, Language l) { return os << languageCode(l); }

Language chooseLanguage(std::optional<std::string_view> dossierLanguage,
                        std::optional<std::string_view> debtorLanguage, std::optional<std::string_view> country,
                        std::optional<std::string_view> postcode);

// "1.234,50 €" / "€1,234.50" (see the table above).
std::string formatAmount(Language l, const Money& m);
// "31-12-2026" / "31/12/2026" / "31 December 2026".
std::string formatDate(Language l, const parsers::CivilDate& d);
// "31 december 2026" / "31 décembre 2026" / "31 December 2026".
std::string formatDateLong(Language l, const parsers::CivilDate& d);

}  // namespace duegate::core
