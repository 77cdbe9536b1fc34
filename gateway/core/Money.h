// Money: an exact amount in int64 minor units of one ISO 4217 currency. Never floating point.
//
// Arithmetic between two Money values requires the same currency (a bug otherwise: asserted in
// debug, and the checked variants return std::nullopt). Scaling by a rate is not here: legal
// computations (interest, percentages) are done in integer arithmetic by the rules that own them,
// each naming its rounding (see Rounding.h).
// Thread-safety: plain value.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace duegate::core {

class Money {
public:
    Money() = default;
    Money(std::int64_t minor, std::string currency) : _minor(minor), _currency(std::move(currency)) {}

    static Money eur(std::int64_t cents) { return Money(cents, "EUR"); }
    // Exact parse of a decimal string in the given currency: "1234.50" EUR -> 123450.
    // std::nullopt for an unknown currency, a malformed number or more decimals than the currency has.
    static std::optional<Money> parse(std::string_view decimal, std::string_view currency);

    std::int64_t minor() const { return _minor; }
    const std::string& currency() const { return _currency; }
    int exponent() const;               // decimals of the currency (EUR 2, JPY 0)
    std::string toDecimal() const;      // "1234.50", "-0.05"
    std::string toString() const;       // "EUR 1234.50"

    bool isZero() const { return _minor == 0; }
    bool isNegative() const { return _minor < 0; }
    bool sameCurrency(const Money& o) const { return _currency == o._currency; }

    Money operator+(const Money& o) const;
    Money operator-(const Money& o) const;
    Money operator-() const { return Money(-_minor, _currency); }
    Money& operator+=(const Money& o) { return *this = *this + o; }
    Money& operator-=(const Money& o) { return *this = *this - o; }

    bool operator==(const Money&) const = default;
    // Ordering only within one currency (asserted).
    std::strong_ordering operator<=>(const Money& o) const;

private:
    std::int64_t _minor = 0;
    std::string _currency = "EUR";
};

inline std::ostream& operator<<(std::ostream& os, const Money& m) { return os << m.toString(); }

}  // namespace duegate::core
