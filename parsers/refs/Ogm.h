// Belgian structured communication (OGM / VCS, "gestructureerde mededeling"): 12 digits shown as
// +++DDD/DDDD/DDDCC+++, where CC = (first 10 digits) mod 97, and 97 when that remainder is 0
// (LEGAL.md section 3). Banks also print it with '*' instead of '+', or as bare digits.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duegate::parsers::refs {

// "1234567890" -> "+++123/4567/89002+++"; std::nullopt unless exactly 10 ASCII digits.
std::optional<std::string> ogmFromBase(std::string_view tenDigits);

// Accepts "+++123/4567/89002+++", "***123/4567/89002***", "123456789002" and the same with
// spaces, slashes or dots between the digit groups; the check digits must be right.
// Returns the 12 digits, or std::nullopt.
std::optional<std::string> parseOgm(std::string_view text);

// "123456789002" -> "+++123/4567/89002+++". The input must be 12 digits (not validated here:
// call isValidOgmDigits first when it comes from outside); other input is returned unchanged.
std::string formatOgm(std::string_view twelveDigits);

// True when twelve is exactly 12 digits whose last two are the check digits of the first 10.
bool isValidOgmDigits(std::string_view twelve);

}  // namespace duegate::parsers::refs
