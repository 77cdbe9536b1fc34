// Matching and booking many statement lines in one transaction with a few statements per batch
// instead of a dozen per booked match (docs/performance.md, "Statement import"). Internal to
// gateway/services/payments: the statement import books each batch of new lines as it stores them,
// and the serve matcher books the lines left in state 'new'.
//
// book() runs the matcher over the lines in order; each verdict sees the effects of the lines
// before it (the index is kept in step), exactly as booking them one by one would. The common
// verdicts are booked set-based: suggested / unmatched / ignored states, and applies that use the
// whole line (match rows, dossier amounts and status, planned reminders of paid dossiers cancelled,
// events, the mails to creditor (its contact address only when it has no portal users) and debtor
// through the outbox, all in multi-row statements at the end of the batch; each match split over
// the claimed costs, interest and principal as applyAllocation splits it). The rare ones (an overpayment, another currency or an inexact amount to
// review, a reversal undoing an earlier match) first write what is pending, then go through
// bookVerdictEffects one by one, so they read the store as it is.
// Everything is in the caller's transaction: the effects of a match commit with it or not at all.
// The caller holds the matching lock (PaymentService: lockMatching).
// Memory: a batch's lines, the dossiers and contacts they touch; nothing is kept between book() calls.
#pragma once

#include "gateway/core/matching/MatchIndex.h"
#include "gateway/services/Context.h"
#include "gateway/services/payments/PaymentEffects.h"
#include "store/PaymentBatchRepository.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace duegate::services::payments {

class BatchBooker {
public:
    // Insert: the lines are reserved, not stored yet (store::payments::reserveLines: the import's);
    // each is written with its state, before anything that names it (`stored` as they were reserved
    // with). UpdateNew: they are stored, in state 'new'.
    enum class StateRows { Insert, UpdateNew };

    BatchBooker(Context& ctx, store::Tx& tx, core::matching::MatchIndex& index, StateRows rows,
                store::payments::StoredKeys stored = store::payments::StoredKeys::Skip)
        : _ctx(ctx), _tx(tx), _index(index), _rows(rows), _storedKeys(stored) {}

    // Matches and books the lines (their ids set), in order, and writes their states.
    void book(const std::vector<store::payments::LineRecord>& lines);

    std::size_t matched = 0, suggested = 0, unmatched = 0;

private:
    struct PendingMatch {
        const store::payments::LineRecord* line;
        Allocated allocated;
        std::string rule, fields;
    };

    bool bookApply(const store::payments::LineRecord& line, const core::matching::PaymentLine& pl,
                   const core::matching::Verdict& v);
    void load(const std::vector<std::int64_t>& dossierIds);
    void flush();
    void addState(const store::payments::LineRecord& line, store::payments::LineState s);

    Context& _ctx;
    store::Tx& _tx;
    core::matching::MatchIndex& _index;
    StateRows _rows;
    store::payments::StoredKeys _storedKeys;
    std::map<std::int64_t, store::payments::DossierAmounts> _dossiers;  // as booked so far
    std::vector<std::int64_t> _dirty;                                   // dossiers to write
    std::map<std::int64_t, std::string> _stored;                        // their status as stored
    std::vector<PendingMatch> _pending;
    std::vector<store::payments::LineWithState> _states;
    std::map<std::int64_t, store::payments::Contact> _creditors, _debtors;
    std::map<std::int64_t, bool> _tellsContact;  // per creditor: tellsContactAddress (PaymentEffects.h)
};

}  // namespace duegate::services::payments
