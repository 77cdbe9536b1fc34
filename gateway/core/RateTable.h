// Interest rate tables: which yearly rate applies on which civil date, per named series.
//
// The source of truth is config/rates/interest_rates.ini (format described there). Pure code gets
// it two ways without file I/O: defaultRateTables() is a compiled-in copy (a unit test checks it
// equals the parsed file), and parseRateTables(text) reads an updated file a caller has loaded.
// Rates are in basis points (10.5 % = 1050). A date no period covers is an error, never a guess.
// Thread-safety: values; defaultRateTables() is initialised once (thread-safe static).
#pragma once

#include "parsers/common/CivilDate.h"
#include "parsers/common/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace duegate::core {

using parsers::CivilDate;

struct RatePeriod {
    CivilDate from;      // inclusive
    CivilDate to;        // inclusive
    int basisPoints = 0; // yearly rate × 100 (10.50 % -> 1050)
    bool verified = false;  // false: LEGAL.md ⚠️ (secondary source or derived)
    std::string source;
    bool operator==(const RatePeriod&) const = default;
};

struct RateTable {
    std::string name;                // "be-late-payment", "nl-statutory", ...
    std::vector<RatePeriod> periods; // sorted by date, not overlapping
    bool operator==(const RateTable&) const = default;

    // The period covering `date`, or an error "no rate known for D in table X".
    parsers::Result<RatePeriod> rateOn(const CivilDate& date) const;
};

struct RateTables {
    std::vector<RateTable> tables;
    bool operator==(const RateTables&) const = default;

    const RateTable* find(std::string_view name) const;
};

// Parses the interest_rates.ini format; errors carry the line number. Periods of one table must be
// in order and must not overlap; gaps are allowed (dates in a gap have no rate).
parsers::Result<RateTables> parseRateTables(std::string_view text);

// The compiled-in copy of config/rates/interest_rates.ini.
const RateTables& defaultRateTables();

// "10.50" for 1050.
std::string formatBasisPoints(int basisPoints);

}  // namespace duegate::core
