// IBAN validation (ISO 13616): country code, 2 check digits, BBAN of the country's fixed length;
// move the first 4 characters to the end, read A=10..Z=35, n mod 97 must be 1.
// Belgian IBANs are also checked against the national rule (LEGAL.md section 5): the last two
// BBAN digits = first 10 BBAN digits mod 97, 97 when that is 0.
// Countries missing from the length table are rejected (we'd rather ask than accept garbage).
// Thread-safety: pure functions over a constant table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duegate::parsers::refs {

// Strips spaces, upper-cases, validates; returns the electronic form ("BE68539007547034").
std::optional<std::string> normalizeIban(std::string_view text);

bool isValidIban(std::string_view text);

// IBAN length for a country code ("BE" -> 16), or std::nullopt when unknown.
std::optional<int> ibanLength(std::string_view countryCode);

// True when a 12-digit Belgian account number (BBAN "539007547034") carries right check digits.
bool isValidBelgianAccount(std::string_view twelveDigits);

}  // namespace duegate::parsers::refs
