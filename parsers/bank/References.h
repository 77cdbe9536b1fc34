// Finding the structured payment reference of an entry: a validated Belgian OGM/VCS or ISO 11649
// RF, either from a field that says it is one, or (failing that) written inside free text, where
// Belgian banks and payers often put "+++123/4567/89002+++".
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

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

// The warning for a statement account that looks like an IBAN but fails its check (test and
// masked numbers): said once per account and file, not once per statement.
class InvalidIbanWarnings {
public:
    void add(std::vector<std::string>& warnings, std::size_t line, std::string_view account);

private:
    std::set<std::string, std::less<>> _seen;
};

}  // namespace duegate::parsers::bank
