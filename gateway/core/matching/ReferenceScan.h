// Finding payment references in text a person typed: "+++123/4567/89002+++", "*** 123 4567 89002 ***",
// "123/4567/89002", "1234567890" (the 10-digit base without its check digits), "RF18 5390 0754 7034".
// Used by the matcher's rules 1 and 2; the check-digit arithmetic is parsers/refs.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core::matching {

struct FoundReference {
    enum class Kind { Ogm, OgmBase, Rf };
    Kind kind = Kind::Ogm;
    // Ogm: the 12 digits (check valid); OgmBase: the 12 digits completed from a 10-digit base;
    // Rf: electronic form "RF18539007547034".
    std::string value;
    std::size_t offset = 0;           // where it starts in the text
    bool operator==(const FoundReference&) const = default;
};

// Every reference in `text`, in the order written, without duplicates (the first occurrence of a
// value is kept). A digit run is a token: digits glued to further digits (a longer number) are not a
// reference. Groups of digits separated by spaces, '/', '.', '-', '+' or '*' are joined.
// Several candidate readings of one run are all reported (the index decides which exist), except
// that a 10-digit base is not reported inside a run that already holds a valid 12-digit OGM.
std::vector<FoundReference> findReferences(std::string_view text);

// The dossier reference in canonical form for the index: OGM -> its 12 digits, RF -> electronic
// form; std::nullopt when `text` is neither (with valid check digits).
std::optional<std::string> canonicalReference(std::string_view text);

}  // namespace duegate::core::matching
