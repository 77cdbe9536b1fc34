#include "gateway/core/Money.h"

#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"

#include <cassert>

namespace duegate::core {

std::optional<Money> Money::parse(std::string_view decimal, std::string_view currency) {
    const auto exp = parsers::currencyExponent(currency);
    if (!exp) return std::nullopt;
    const auto minor = parsers::parseMinorUnits(decimal, *exp);
    if (!minor) return std::nullopt;
    return Money(*minor, std::string(currency));
}

int Money::exponent() const { return parsers::currencyExponent(_currency).value_or(2); }

std::string Money::toDecimal() const { return parsers::formatMinorUnits(_minor, exponent()); }

std::string Money::toString() const { return _currency + " " + toDecimal(); }

Money Money::operator+(const Money& o) const {
    assert(sameCurrency(o) && "Money: adding different currencies");
    return Money(_minor + o._minor, _currency);
}

Money Money::operator-(const Money& o) const {
    assert(sameCurrency(o) && "Money: subtracting different currencies");
    return Money(_minor - o._minor, _currency);
}

std::strong_ordering Money::operator<=>(const Money& o) const {
    assert(sameCurrency(o) && "Money: comparing different currencies");
    return _minor <=> o._minor;
}

}  // namespace duegate::core
