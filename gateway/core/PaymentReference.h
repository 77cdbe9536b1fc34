// Payment references for a dossier: the Belgian OGM/VCS and the ISO 11649 RF creditor reference.
//
// The check-digit arithmetic lives in parsers/refs (Ogm.h, Rf.h, Mod97.h), shared with the bank
// statement parsers that read these references back; this file only decides *what* is encoded.
// Uniqueness comes from the number: the services layer draws it from a sequence with a UNIQUE
// constraint (one per invoice or dossier); the same number always yields the same references.
//   OGM: the 10-digit base is the number, zero-padded (0 < number < 10^10); CC = base mod 97 (0 -> 97).
//   RF : "RF" + check + prefix + number (prefix: letters/digits, total reference ≤ 21 characters).
// Thread-safety: pure functions.
#pragma once

#include "parsers/common/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace duegate::core {

struct DossierReferences {
    std::string ogm;        // "+++202/5000/12390+++"
    std::string ogmDigits;  // "202500012390"
    std::string rf;         // "RF95DUN2025000123" (electronic form, no spaces)
};

// OGM for a number 1..9,999,999,999.
parsers::Result<std::string> ogmForNumber(std::uint64_t number);

// RF for prefix + decimal number, e.g. ("DUN", 2025000123) -> "RF95DUN2025000123".
parsers::Result<std::string> rfForNumber(std::string_view prefix, std::uint64_t number);

// Both references for one dossier number (RF prefix "DUN" unless given).
parsers::Result<DossierReferences> referencesForNumber(std::uint64_t number, std::string_view rfPrefix = "DUN");

// Groups an RF in blocks of four for print: "RF95 DUN2 0250 0012 3".
std::string printRf(std::string_view rf);

}  // namespace duegate::core
