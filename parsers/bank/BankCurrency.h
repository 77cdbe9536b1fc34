// Currency exponents for bank files: ISO 4217 (Currency.h) plus the legacy European codes that old
// statements still carry (DEM, BEF, NLG, ...), which are no longer in the active table.
#pragma once

#include <optional>
#include <string_view>

namespace duegate::parsers::bank {

std::optional<int> bankCurrencyExponent(std::string_view code);

}  // namespace duegate::parsers::bank
