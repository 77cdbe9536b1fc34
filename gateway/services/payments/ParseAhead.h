// A streaming statement parser run on a thread of its own, ahead of the import that consumes its
// entries (docs/performance.md, "Statement import"): the parser reads and decodes the next entries
// while the calling thread stores, matches and books the ones before them, so on two cores the
// parse no longer adds to the import's wall time.
//
// parseAhead(parse, cb) starts `parse` on a new thread with callbacks that turn each entry into its
// statement lines there (cb.prepare: pure work, off the importing thread) and queue them and the
// statement ends in chunks of a few hundred; it calls cb.onLines / cb.onStatement on the CALLING
// thread, in exactly the order the parser produced the entries and ends. It returns the parser's
// result (nullopt, or the located error) after everything before the end was delivered, as a direct
// parse would. The Statement handed to prepare and onLines is the header as it was at the
// statement's first entry (account, currency, opening balance: all read before any entry), and the
// parser may run up to a few chunks ahead.
//
// Errors: an exception thrown by onLines or onStatement (a rejected account, a store error) stops the parser at
// its next entry, joins its thread and propagates; an exception thrown by the parser itself is
// rethrown on the calling thread after the events before it were delivered.
// Memory: bounded (kChunk entries x kDepth chunks), flat in file size.
// Thread-safety: `parse` and `prepare` run on the helper thread and must touch nothing onLines and
// onStatement touch (the parse reads its own stream); those two run on the calling thread only.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"
#include "store/PaymentRepository.h"

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace duegate::services::payments {

using StatementParse = std::function<std::optional<parsers::Error>(const parsers::bank::StatementCallbacks&)>;

struct AheadCallbacks {
    // On the parser's thread: the lines `entry` makes (appended to `out`; none for an entry not booked).
    std::function<void(const parsers::bank::Statement& header, const parsers::bank::Entry& entry,
                       std::vector<store::payments::LineRecord>& out)>
        prepare;
    // On the calling thread: one entry's lines, then, at its end, the statement.
    std::function<void(const parsers::bank::Statement& header, std::vector<store::payments::LineRecord>&& lines)> onLines;
    std::function<void(parsers::bank::Statement&& statement)> onStatement;
};

// Lines the calling thread is done with (stored and booked), handed back so that the parser's
// thread frees them: their memory then returns to the allocator arena of the thread that allocated
// it, instead of every string of every line taking the other arena's lock (glibc malloc; measured:
// malloc and free 10 % of the import's CPU before the parser had a thread, 16 % with it, without this).
// Thread-safety: giveBack on the calling thread, release on the parser's; both lock.
class LineReturn {
public:
    void giveBack(std::vector<store::payments::LineRecord>&& lines);
    void release();  // frees what was handed back, on the thread that calls it

private:
    std::mutex _mutex;
    std::vector<std::vector<store::payments::LineRecord>> _lines;
};

// `returned` (optional): where the caller hands back lines it is done with; the parser's thread
// frees them as it goes (and the caller what is left after parseAhead returns).
std::optional<parsers::Error> parseAhead(const StatementParse& parse, const AheadCallbacks& cb,
                                         LineReturn* returned = nullptr);

}  // namespace duegate::services::payments
