// ISO 4217 currency codes and their minor-unit exponents (EUR 2, JPY 0, KWD 3, ...).
// The table covers the active codes; an unknown but well-formed code (three upper-case letters)
// yields std::nullopt so the caller can report it rather than guess.
// Thread-safety: pure functions over a constant table.
#pragma once

#include <optional>
#include <string_view>

namespace duegate::parsers {

// Number of decimals of the currency's minor unit, or std::nullopt when the code is not known.
std::optional<int> currencyExponent(std::string_view isoCode);

// True for three ASCII upper-case letters (the form, not whether the code exists).
bool looksLikeCurrencyCode(std::string_view text);

}  // namespace duegate::parsers
