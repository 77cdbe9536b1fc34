// Set-based reads and writes for booking many statement lines at once (a statement import, the
// serve matcher): a few multi-row statements per batch of a few hundred lines instead of a dozen
// statements per booked match (docs/performance.md, "Statement import").
//
// Same SQL on both dialects (multi-row VALUES, ON CONFLICT DO NOTHING, UPDATE ... FROM (VALUES ...),
// RETURNING). Each function splits its input into statements of at most a few hundred rows, so any
// input size stays under SQLite's and PostgreSQL's parameter limits. Ids come back in input order.
// Thread-safety: a Tx per thread, as everywhere in store/.
#pragma once

#include "store/PaymentRepository.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace duegate::store::payments {

// A new line is written once, with its state (0023: the state is in the line's row). So an import
// first reserves its lines (which are new, and their ids: reserveLines), decides their verdicts,
// then writes each with its state (insertReservedLines), in the same transaction.
//
// `stored` says what the caller expects of keys already stored: Skip them (read first, one query
// per chunk, through the UNIQUE key's index), or Unlikely: a new file's lines, reserved without
// reading their keys. A key already stored then makes the write throw LineKeyTaken (on PostgreSQL
// with the next statement, as the write is a COPY not waited for: store/PgCopy.h) and aborts the
// transaction: the caller runs it again with Skip. Keys repeated within `lines` keep their first
// line in both modes, as ON CONFLICT DO NOTHING would.
struct LineKeyTaken : StoreError {
    using StoreError::StoreError;
};
enum class StoredKeys { Skip, Unlikely };

// Which of `lines` are new and the id each will have (PostgreSQL: from the table's sequence;
// SQLite: after the largest id, which is safe as SQLite has one writer), as (position in `lines`,
// id) in input order, ids ascending. Writes nothing. The lines' accountOwner, accountIban, lineKey
// must be set. On SQLite the reserved lines must be written before the next reserveLines.
std::vector<std::pair<std::size_t, std::int64_t>> reserveLines(Tx& tx, const std::vector<LineRecord>& lines,
                                                               StoredKeys stored = StoredKeys::Skip);

// A reserved line (its id set, its statementId, accountOwner, creditorId, accountIban set) and the
// state it is stored in.
struct LineWithState {
    const LineRecord* line = nullptr;
    LineState state;
};
// Writes reserved lines with their states; `now` is their created_at. `stored` as given to reserveLines.
void insertReservedLines(Tx& tx, const std::vector<LineWithState>& rows, const std::string& now,
                         StoredKeys stored = StoredKeys::Skip);

// Both steps at once, every new line stored in state 'new' (not yet seen by the matcher): the
// positions in `lines` and ids of the new ones.
std::vector<std::pair<std::size_t, std::int64_t>> insertLinesReturning(Tx& tx, const std::vector<LineRecord>& lines,
                                                                       const std::string& now,
                                                                       StoredKeys stored = StoredKeys::Skip);

// Moves many lines out of state 'new' with everything a state holds (applied amount included); a
// line no longer in 'new' is left alone.
void updateNewStates(Tx& tx, const std::vector<LineState>& states, const std::string& now);

// What booking a payment needs of a dossier.
struct DossierAmounts {
    std::int64_t id = 0, creditorId = 0, debtorId = 0, openMinor = 0, paidMinor = 0;
    std::string reference, status, currency;
    std::optional<std::string> debtorCountry;        // the law that imputes a payment
    std::int64_t costsOwed = 0, interestOwed = 0;   // as charges::outstanding (ChargeRepository.h)
};
std::vector<DossierAmounts> dossierAmounts(Tx& tx, const std::vector<std::int64_t>& ids);

// Name and e-mail address of creditors / debtors, by id.
struct Contact {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
};
std::vector<Contact> creditorContacts(Tx& tx, const std::vector<std::int64_t>& ids);
std::vector<Contact> debtorContacts(Tx& tx, const std::vector<std::int64_t>& ids);

// payment_matches rows; their ids in input order.
std::vector<std::int64_t> insertMatches(Tx& tx, const std::vector<MatchRecord>& matches);

// dossiers.paid_minor, open_minor and status of many dossiers (one row per dossier).
// A row whose status moves (from -> status) goes through dossiers::transition; the others are
// written together, fenced by their status. Throws StaleState when a dossier is no longer in `from`.
struct DossierPaid {
    std::int64_t id = 0, paidMinor = 0, openMinor = 0;
    std::string from, status;
};
void setPaidMany(Tx& tx, const std::vector<DossierPaid>& rows, const std::string& now);

// Planned outbound messages of these dossiers (except payment thank-yous) become 'failed' with `why`,
// as cancelPlannedMessages does for one; returns how many.
std::size_t cancelPlannedMessagesOf(Tx& tx, const std::vector<std::int64_t>& dossierIds, const std::string& why,
                                    const std::string& now);

}  // namespace duegate::store::payments
