// Rounding: every place where an exact quotient has to become whole minor units names its rule here.
//
// Legal amounts in duegate are integer arithmetic on minor units (cents). A percentage or a
// pro-rata interest is a fraction numerator/denominator; turning it into cents is the only place
// where precision is lost, so it happens through these functions, each call site naming the rule:
//
//   - RoundingRule::HalfUp        : 0.5 cent and above goes away from zero (commercial rounding, the
//                                    rule Belgian and Dutch practice and LEGAL.md's worked numbers use).
//   - RoundingRule::Down          : truncate toward zero (used for nothing legal yet; available for
//                                    caps where rounding up would exceed a legal maximum).
//
// Interest rounds once per rate period (InterestRounding::HalfUpPerPeriod): each half-year period's
// interest is rounded half-up to the cent, the periods are then summed. This is what a debtor can
// check line by line on a statement, and it reproduces LEGAL.md's €1,000 × 10.5 % × 30/365 = €8.63.
//
// Intermediate products use 128-bit integers so principal (up to int64 cents) × basis points × days
// never overflows. Thread-safety: pure functions.
#pragma once

#include <cassert>
#include <cstdint>

namespace duegate::core {

__extension__ typedef __int128 Int128;  // GCC/Clang extension; -Wpedantic is silenced by __extension__

enum class RoundingRule { HalfUp, Down };

// The interest rounding used by InterestCalculator; named so a change is one visible edit.
enum class InterestRounding { HalfUpPerPeriod };

// numerator / denominator rounded by `rule`; denominator > 0 (a bug otherwise).
inline Int128 divideRounded(Int128 numerator, Int128 denominator, RoundingRule rule) {
    assert(denominator > 0);
    const bool negative = numerator < 0;
    const Int128 n = negative ? -numerator : numerator;
    Int128 q = n / denominator;
    const Int128 r = n % denominator;
    if (rule == RoundingRule::HalfUp && r * 2 >= denominator) ++q;
    return negative ? -q : q;
}

// amountMinor × percentBasisPoints / 10000 (1 % = 100 basis points), rounded by `rule`.
inline std::int64_t percentOf(std::int64_t amountMinor, std::int64_t basisPoints, RoundingRule rule) {
    return static_cast<std::int64_t>(divideRounded(Int128(amountMinor) * basisPoints, 10000, rule));
}

}  // namespace duegate::core
