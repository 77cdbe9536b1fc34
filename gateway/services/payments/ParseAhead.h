// A streaming statement parser run on a thread of its own, ahead of the import that consumes its
// entries (docs/performance.md, "Statement import"): the parser reads and decodes the next entries
// while the calling thread stores, matches and books the ones before them, so on two cores the
// parse no longer adds to the import's wall time.
//
// parseAhead(parse, deliver) starts `parse` on a new thread with callbacks that queue what the
// parser hands over (entries and statement ends, in chunks of a few hundred), and calls `deliver`'s
// onEntry / onStatement on the CALLING thread, in exactly the order the parser produced them. It
// returns the parser's result (nullopt, or the located error) after every event before the end was
// delivered, as a direct call of `parse(deliver)` would. Two differences, both invisible to the
// statement import: the Statement handed with an entry is the header as it was at the statement's
// first entry (the import reads it only there), and the parser may run up to a few chunks ahead.
//
// Errors: an exception thrown by `deliver` (a rejected account, a store error) stops the parser at
// its next entry, joins its thread and propagates; an exception thrown by the parser itself is
// rethrown on the calling thread after the events before it were delivered.
// Memory: bounded (kChunk entries x kDepth chunks), flat in file size.
// Thread-safety: `parse` runs on the helper thread and must touch nothing the callbacks touch
// (it reads its own stream); `deliver` runs on the calling thread only.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <cstddef>
#include <functional>
#include <optional>

namespace duegate::services::payments {

using StatementParse = std::function<std::optional<parsers::Error>(const parsers::bank::StatementCallbacks&)>;

std::optional<parsers::Error> parseAhead(const StatementParse& parse, const parsers::bank::StatementCallbacks& deliver);

}  // namespace duegate::services::payments
