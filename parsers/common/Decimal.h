// Exact decimal numbers as they appear in bank files, invoices and the CLI, and their conversion
// to integer minor units. Nothing here is floating point.
//
// parseDecimal accepts "[+|-]digits[sep digits]" with sep '.' (or ',' when asked), no exponent, no
// grouping, no spaces. Trailing zeros of the fraction are dropped, so "12.3400" == {1234, 2}.
// At most 18 significant digits (int64); more, or anything else, yields std::nullopt.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace duegate::parsers {

struct Decimal {
    std::int64_t mantissa = 0;  // value = mantissa * 10^-scale
    int scale = 0;              // digits after the separator, >= 0, trailing zeros removed
    bool operator==(const Decimal&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Decimal& d) {
    return os << d.mantissa << "e-" << d.scale;
}

std::optional<Decimal> parseDecimal(std::string_view text, char separator = '.');

// Exact conversion to minor units of a currency with `exponent` decimals (EUR 2, JPY 0, KWD 3).
// std::nullopt when the value has more significant decimals than the currency (no silent
// rounding) or does not fit in int64.
std::optional<std::int64_t> toMinorUnits(const Decimal& d, int exponent);

// Parses and converts in one step: "1234.5" with exponent 2 -> 123450.
std::optional<std::int64_t> parseMinorUnits(std::string_view text, int exponent, char separator = '.');

// 123450, 2 -> "1234.50"; -5, 2 -> "-0.05"; 7, 0 -> "7". Always '.', never grouping.
std::string formatMinorUnits(std::int64_t minor, int exponent);

// Like formatMinorUnits, but a positive amount gets an explicit '+': "+1234.50", "-0.05", "0.00".
std::string formatSignedMinorUnits(std::int64_t minor, int exponent);

}  // namespace duegate::parsers
