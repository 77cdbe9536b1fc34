// Finding the structured payment reference of an entry: a validated Belgian OGM/VCS or ISO 11649
// RF, either from a field that says it is one, or (failing that) written inside free text, where
// Belgian banks and payers often put "+++123/4567/89002+++".
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"

#include <string_view>

namespace duegate::parsers::bank {

// A reference the file marks as structured. OGM digits or RF text that validate give Ogm / Rf;
// anything else gives Other with the text as written (trimmed).
Reference classifyStructuredReference(std::string_view text);

// An OGM (+++/*** framed) or an RF token found in free text, validated; Kind::None when absent.
Reference findReferenceInText(std::string_view text);

// The same two into `out` (reusing its capacity; the streaming readers refill one entry per
// movement without allocating).
void classifyStructuredReference(std::string_view text, Reference& out);
void findReferenceInText(std::string_view text, Reference& out);

}  // namespace duegate::parsers::bank
