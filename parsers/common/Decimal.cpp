#include "parsers/common/Decimal.h"

#include <limits>

namespace duegate::parsers {
namespace {

bool mulAdd(std::int64_t& acc, int digit) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    if (acc > (max - digit) / 10) return false;
    acc = acc * 10 + digit;
    return true;
}

}  // namespace

std::optional<Decimal> parseDecimal(std::string_view text, char separator) {
    if (text.empty()) return std::nullopt;
    bool negative = false;
    if (text.front() == '+' || text.front() == '-') {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const auto sep = text.find(separator);
    std::string_view whole = text.substr(0, sep);
    std::string_view frac = sep == std::string_view::npos ? std::string_view{} : text.substr(sep + 1);
    if (sep != std::string_view::npos && frac.empty() && whole.empty()) return std::nullopt;
    if (whole.empty() && frac.empty()) return std::nullopt;
    for (char c : whole)
        if (c < '0' || c > '9') return std::nullopt;
    for (char c : frac)
        if (c < '0' || c > '9') return std::nullopt;
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);

    Decimal d;
    for (char c : whole)
        if (!mulAdd(d.mantissa, c - '0')) return std::nullopt;
    for (char c : frac)
        if (!mulAdd(d.mantissa, c - '0')) return std::nullopt;
    d.scale = static_cast<int>(frac.size());
    if (negative) d.mantissa = -d.mantissa;
    return d;
}

std::optional<std::int64_t> toMinorUnits(const Decimal& d, int exponent) {
    if (exponent < 0 || exponent > 18) return std::nullopt;
    if (d.scale > exponent) return std::nullopt;  // trailing zeros are already gone: not exact
    std::int64_t v = d.mantissa;
    for (int i = d.scale; i < exponent; ++i) {
        if (v > std::numeric_limits<std::int64_t>::max() / 10 ||
            v < std::numeric_limits<std::int64_t>::min() / 10)
            return std::nullopt;
        v *= 10;
    }
    return v;
}

std::optional<std::int64_t> parseMinorUnits(std::string_view text, int exponent, char separator) {
    auto d = parseDecimal(text, separator);
    if (!d) return std::nullopt;
    return toMinorUnits(*d, exponent);
}

std::string formatMinorUnits(std::int64_t minor, int exponent) {
    const bool negative = minor < 0;
    // Work in unsigned so that INT64_MIN formats too.
    std::uint64_t mag = negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
    std::string digits = std::to_string(mag);
    if (exponent > 0) {
        if (digits.size() <= static_cast<std::size_t>(exponent))
            digits.insert(0, static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(exponent), 1, '.');
    }
    return negative ? "-" + digits : digits;
}

std::string formatSignedMinorUnits(std::int64_t minor, int exponent) {
    std::string s = formatMinorUnits(minor, exponent);
    return minor > 0 ? "+" + s : s;
}

}  // namespace duegate::parsers
