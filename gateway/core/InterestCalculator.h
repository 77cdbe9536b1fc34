// Simple late-payment interest per day, actual/365, per rate period.
//
// For each rate period the interval [firstDay, lastDay] overlaps:
//     interest = principal_minor × rate_basis_points × days / (365 × 10000)
// rounded half-up to the cent at the end of that period (InterestRounding::HalfUpPerPeriod,
// Rounding.h); the total is the sum of the rounded periods. Every day counts 1/365, leap years too.
// Worked check (LEGAL.md §1): €1,000 × 10.5 % × 30/365 = 100000 × 1050 × 30 / 3650000 = 863.01 -> €8.63.
// No compounding: the yearly capitalisation of art. 6:119(2) BW is not applied (a known limit,
// stated in the CLI basis for the NL regimes).
// Errors: a day no period of the table covers ("no rate known for 2026-03-01 in table
// nl-statutory"), a negative principal.
// Thread-safety: pure function.
#pragma once

#include "gateway/core/Money.h"
#include "gateway/core/RateTable.h"
#include "gateway/core/Rounding.h"

#include <vector>

namespace duegate::core {

struct InterestSlice {
    CivilDate from;  // inclusive
    CivilDate to;    // inclusive
    int days = 0;
    RatePeriod rate;
    Money interest;  // rounded half-up for this slice
};

struct InterestResult {
    Money principal;
    CivilDate firstDay;  // first day that bears interest
    CivilDate lastDay;   // last day that bears interest (inclusive)
    int days = 0;
    std::vector<InterestSlice> slices;  // one per rate period touched, in date order
    Money total;
    bool allRatesVerified = true;
    InterestRounding rounding = InterestRounding::HalfUpPerPeriod;
};

// Interest on `principal` for every day from firstDay to lastDay inclusive. lastDay < firstDay gives
// zero interest and no slices.
parsers::Result<InterestResult> simpleInterest(const Money& principal, const RateTable& table,
                                               const CivilDate& firstDay, const CivilDate& lastDay);

}  // namespace duegate::core
