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

// Inserts the lines that are not there yet (ON CONFLICT DO NOTHING on the natural key) WITHOUT their
// line_states rows: the caller writes each new line's state with the matcher's verdict, in the same
// transaction (insertStates). Returns, for each new line, its position in `lines` and its id, in
// input order. The lines' statementId, accountOwner, creditorId, accountIban must be set.
//
// `stored` says what the caller expects of keys already stored: Skip them (ON CONFLICT DO NOTHING),
// or Unlikely: a new file's lines, written without reading the keys first where that read costs a
// probe per line (PostgreSQL, which writes them by COPY: store/PgCopy.h). A key already stored then
// throws LineKeyTaken and aborts the transaction: the caller runs it again with Skip. On SQLite
// Unlikely is Skip. Keys repeated within `lines` keep their first line in both modes.
struct LineKeyTaken : StoreError {
    using StoreError::StoreError;
};
enum class StoredKeys { Skip, Unlikely };
std::vector<std::pair<std::size_t, std::int64_t>> insertLinesReturning(Tx& tx, const std::vector<LineRecord>& lines,
                                                                       const std::string& now,
                                                                       StoredKeys stored = StoredKeys::Skip);

// line_states rows for lines that have none yet, with their final state.
struct NewLineState {
    LineState state;
    std::string accountOwner;
    std::optional<std::int64_t> creditorId;
};
void insertStates(Tx& tx, const std::vector<NewLineState>& states, const std::string& now);

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
