// ISO 11649 structured creditor reference: "RF" + 2 check digits + 1..21 alphanumerics.
// Check digits: append "RF00" to the reference, read A=10..Z=35, check = 98 - (n mod 97).
// Validation: move the first 4 characters to the end; n mod 97 must be 1 (LEGAL.md section 3).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duegate::parsers::refs {

// "DUN2025000123" -> "RF95DUN2025000123". The reference must be 1..21 ASCII letters/digits
// (letters are upper-cased); otherwise std::nullopt.
std::optional<std::string> rfFromReference(std::string_view ref);

// Removes spaces, upper-cases and validates "RFkk<ref>"; returns the electronic form
// ("RF712348231") or std::nullopt.
std::optional<std::string> parseRf(std::string_view text);

}  // namespace duegate::parsers::refs
