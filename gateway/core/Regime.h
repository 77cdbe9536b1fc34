// The four legal regimes duegate applies, and the small vocabulary shared by their rules.
//
//   be-b2c  Belgium, consumer debts: Book XIX Code of Economic Law (Law of 4 May 2023, B.S. 23 May
//           2023; in force 1 Sep 2023). BelgianConsumerRules.h.
//   be-b2b  Belgium, commercial transactions: Law of 2 August 2002 on late payment.
//           BelgianBusinessRules.h.
//   nl-b2c  Netherlands, consumers: art. 6:96 BW (WIK) and the Besluit vergoeding voor
//           buitengerechtelijke incassokosten (Stb. 2012, 141); statutory interest art. 6:119 BW.
//   nl-b2b  Netherlands, commercial: art. 6:96(4) BW (€40 minimum), art. 6:119a BW interest.
//           DutchRules.h.
// Thread-safety: pure functions and plain values.
#pragma once

#include "gateway/core/Calendar.h"
#include "gateway/core/Money.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace duegate::core {

enum class Regime { BeB2c, BeB2b, NlB2c, NlB2b };

std::optional<Regime> parseRegime(std::string_view text);  // "be-b2c", "be-b2b", "nl-b2c", "nl-b2b"
std::string_view regimeName(Regime r);
Country regimeCountry(Regime r);
bool isConsumerRegime(Regime r);
// The interest table (RateTable.h) whose rate applies (or caps the rate) under the regime:
// be-* "be-late-payment", nl-b2c "nl-statutory", nl-b2b "nl-commercial".
std::string_view interestTableFor(Regime r);
inline std::ostream& operator<<(std::ostream& os, Regime r) { return os << regimeName(r); }

// How a reminder travels; the Belgian term starts differently for paper and electronic sending.
enum class Medium { Post, Electronic };
std::optional<Medium> parseMedium(std::string_view text);  // "post" | "letter" | "email" | "electronic"
std::string_view mediumName(Medium m);                     // "post" | "email"

// A legal waiting term: costs, interest and damages may be charged from `chargesFrom` on.
struct LegalTerm {
    CivilDate firstDay;     // day 1 of the term
    CivilDate lastDay;      // last day of the term (inclusive)
    CivilDate chargesFrom;  // first day on which costs may be claimed (lastDay + 1)
    std::string basis;      // the law applied and any assumption, for people
};

// A legal amount together with the rule that produced it.
struct LegalAmount {
    Money amount;
    std::string basis;
};

}  // namespace duegate::core
