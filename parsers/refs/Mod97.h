// ISO 7064 MOD 97-10 remainder over an alphanumeric string, the arithmetic shared by IBAN,
// ISO 11649 RF creditor references and (over digits only) Belgian OGM/VCS check digits.
//
// Digits count as themselves, letters as A=10 ... Z=35 (case-insensitive), so "RF" is "2715".
// The remainder is computed piecewise, so input of any length works without big integers.
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string_view>

namespace duegate::parsers::refs {

// The remainder (0..96) of the number the string stands for, or std::nullopt when the string
// holds anything other than ASCII digits and letters (spaces included) or is empty.
std::optional<int> mod97(std::string_view alnum);

// The remainder of the concatenation first + second, without building it (IBAN and RF checks
// move the first four characters to the end).
std::optional<int> mod97(std::string_view first, std::string_view second);

}  // namespace duegate::parsers::refs
