// Statements, statement lines with their states (one row since 0023), payment matches, debtor
// credits, payment actions and payouts (migration 0003_payments.sql; docs/payments.md).
//
// Natural key of a line (UNIQUE (account_owner, account_iban, line_key)), computed by the payment
// service: "ref:<bank entry reference>[#<detail>]" when the bank gave one (CAMT AcctSvcrRef, CODA
// bank reference, MT940 //reference): an intraday CAMT.054 and the day's CAMT.053 carry the same
// reference, so the second adds nothing; otherwise "fp:<booking date>:<currency>:<amount>:<digest of
// counterparty, references and text>:<n>" where n counts identical entries of that day in the file,
// so overlapping MT940 statements add each entry once.
// Scope: reads that serve a request take `std::optional<int64_t> scope` (a creditor id, or nothing
// for staff); a creditor sees the lines of its own accounts and the lines matched to its dossiers.
// Thread-safety: a Tx per thread, as everywhere in store/.
#pragma once

#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::payments {

using Scope = std::optional<std::int64_t>;

struct StatementRecord {
    std::int64_t id = 0;
    std::string accountOwner;
    std::optional<std::int64_t> creditorId;
    std::string accountIban, currency, statementKey, kind, format, number, sequence;
    std::optional<std::string> openingDate, closingDate;
    std::optional<std::int64_t> openingMinor, closingMinor;
    bool balanceGap = false;
    std::string gapDetail, fileSha256;
    std::optional<std::int64_t> inboundItemId;
    std::int64_t entries = 0;
};

struct LineRecord {
    std::int64_t id = 0, statementId = 0;
    std::string accountOwner;
    std::optional<std::int64_t> creditorId;
    std::string accountIban, lineKey;
    std::string bookingDate, valueDate;  // "" when unknown
    std::int64_t amountMinor = 0;
    std::string currency;
    int exponent = 2;
    std::string counterpartyName, counterpartyIban, counterpartyBic, referenceKind, reference, remittance,
        bankReference, endToEndId;
    bool reversal = false;
    std::string returnReason;
};

struct LineState {
    std::int64_t lineId = 0;
    std::string state, rule, reason, suggestions;  // suggestions: JSON array
    std::int64_t appliedMinor = 0;
};

struct MatchRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0, lineId = 0;
    std::string accountOwner;
    std::int64_t amountMinor = 0;
    std::string currency, rule, fields, actor, createdAt;
    std::optional<std::string> undoneAt;
    // The imputation (0017): principal = amountMinor - interestMinor - costsMinor.
    std::int64_t interestMinor = 0, costsMinor = 0;
};

// A candidate dossier as the matcher needs it (gateway/core/matching Candidate), read in bulk.
struct CandidateRow {
    std::int64_t dossierId = 0, creditorId = 0, debtorId = 0, openMinor = 0;
    std::string currency, paymentReference, debtorName;
    std::vector<std::string> invoiceNumbers, knownPayerIbans;
};

// ---- statements and lines ----

// The creditors that registered this IBAN (electronic form), primary or additional.
std::vector<std::int64_t> creditorsWithIban(Tx& tx, const std::string& iban);

struct InsertedStatement {
    std::int64_t id = 0;
    bool duplicate = false;
};
InsertedStatement insertStatement(Tx& tx, const StatementRecord& s, const std::string& now);
// The closing balance of the latest earlier statement of the account (kind 'statement'), if any.
std::optional<StatementRecord> previousStatement(Tx& tx, const StatementRecord& s);
void addStatementEntries(Tx& tx, std::int64_t statementId, std::int64_t entries);

// Inserts the lines that are not there yet (ON CONFLICT DO NOTHING on the natural key) in
// multi-row statements, each new one in state 'new' (not yet seen by the matcher). Returns how many were
// new. The lines' statementId, accountOwner, creditorId, accountIban must be set.
std::size_t insertLines(Tx& tx, const std::vector<LineRecord>& lines, const std::string& now);
// The 21 values of one statement_lines row, in the column order both multi-row inserts use
// (insertLines here and the import's batch in PaymentBatchRepository.cpp).
void appendLineValues(std::vector<Value>& params, const LineRecord& l, const std::string& now);

// Lines in state 'new' (not yet seen by the matcher), oldest first.
std::vector<LineRecord> newLines(Tx& tx, const std::string& accountOwner, std::size_t limit);
// Account owners that have lines in state 'new'.
std::vector<std::string> ownersWithNewLines(Tx& tx);
// True when a line the matcher has not seen may concern this creditor: a 'new' line of its own
// account, or of the agency's account.
bool hasNewLinesFor(Tx& tx, std::int64_t creditorId);

std::optional<LineRecord> line(Tx& tx, std::int64_t lineId);
std::optional<LineState> state(Tx& tx, std::int64_t lineId);
// Moves a line's state; when `from` is given only if it is still in `from` (returns false otherwise).
bool setState(Tx& tx, const LineState& s, const std::optional<std::string>& from, const std::string& now);

// Moves many lines out of state 'new' at once (verdicts without effects: suggested, unmatched,
// ignored), in multi-row statements.
void setNewStates(Tx& tx, const std::vector<LineState>& states, const std::string& now);

// True when the creditor may see the line: a line of its own account, one with a match (live or
// undone) to its dossiers, or one kept as a credit of one of its debtors. Staff (no scope) see all.
bool lineVisible(Tx& tx, Scope scope, std::int64_t lineId);

struct QueueRow {
    LineRecord line;
    LineState state;
    std::vector<MatchRecord> matches;  // live ones
};
// Lines in scope whose state is one of `states` (empty = all), by ascending id after `afterId`.
std::vector<QueueRow> listLines(Tx& tx, Scope scope, const std::vector<std::string>& states, std::size_t limit,
                                std::int64_t afterId = 0);

// The finance queue's filters (portal /payments): booking dates inclusive ("YYYY-MM-DD"), an
// amount in minor units matched on its absolute value, lines that ever had a match to a dossier.
struct LineFilter {
    std::vector<std::string> states;  // empty = all
    std::optional<std::string> bookedFrom, bookedTo;
    std::optional<std::int64_t> absAmountMinor;
    std::optional<std::int64_t> dossierId;
};
std::vector<QueueRow> listLines(Tx& tx, Scope scope, const LineFilter& filter, std::size_t limit,
                                std::int64_t afterId = 0);

// "camt 12/1 · BE68…7034 · 2026-01-05" for display: format, number/sequence, account, closing date.
std::string statementLabel(Tx& tx, std::int64_t statementId);

// ---- candidates ----

// Dossiers a line of this account may pay: of creditor X for 'creditor:X'; of creditors in
// 'agency' mode, or whose payee IBAN is `agencyIban`, for 'agency'. Drafts excluded.
std::vector<CandidateRow> candidates(Tx& tx, const std::string& accountOwner, const std::string& agencyIban);

// ---- matches ----

std::int64_t insertMatch(Tx& tx, const MatchRecord& m);
std::vector<MatchRecord> liveMatchesForLine(Tx& tx, std::int64_t lineId);
std::vector<MatchRecord> matchesForDossier(Tx& tx, std::int64_t dossierId);
void undoMatch(Tx& tx, std::int64_t matchId, const std::string& by, const std::string& reason, const std::string& now);
std::int64_t liveSumForDossier(Tx& tx, std::int64_t dossierId);

// Lines of the account with live matches and this currency and absolute amount (reversal picking).
std::vector<LineRecord> matchedLinesLike(Tx& tx, const std::string& accountOwner, const std::string& accountIban,
                                         const std::string& currency, std::int64_t absAmount);

// dossiers.paid_minor, open_minor and status move together through dossiers::transition
// (store/DossierRepository.h), the one writer of a dossier's status.

// ---- credits and actions ----

std::int64_t insertCredit(Tx& tx, std::int64_t creditorId, std::int64_t debtorId, std::optional<std::int64_t> dossierId,
                          std::int64_t lineId, std::int64_t amountMinor, const std::string& currency,
                          const std::string& now);
// Open credits of the line become 'cancelled'; returns their total.
std::int64_t cancelCreditsForLine(Tx& tx, std::int64_t lineId, const std::string& now);
std::int64_t openCreditsForDebtor(Tx& tx, std::int64_t debtorId);

void insertAction(Tx& tx, std::int64_t lineId, std::optional<std::int64_t> creditorId, const std::string& action,
                  const std::string& actor, const std::string& reason, const std::string& now);

// ---- planned messages of a dossier (cancelled when it is paid) ----

// Planned outbound messages of the dossier become 'failed' with `why`; returns their ids.
std::vector<std::int64_t> cancelPlannedMessages(Tx& tx, std::int64_t dossierId, const std::string& why,
                                                const std::string& now);

// ---- payouts ----

struct PayoutLine {
    std::int64_t matchId = 0, dossierId = 0, lineId = 0, amountMinor = 0;  // signed: clawbacks < 0
    std::int64_t interestMinor = 0, costsMinor = 0;  // the match's imputation, signed like amountMinor
    // What the agency keeps of it: set by the payout for 'paid'; for a clawback read from the payout
    // that paid the match (negative), so a clawback takes back exactly what was kept.
    std::int64_t keptMinor = 0;
    std::string kind;  // paid | clawback
    std::string dossierReference, bookingDate, counterpartyName, invoiceNumbers;
};
// Creditors with agency-account matches not yet paid out (or undone after being paid out) created
// before `until` (an instant), per currency.
struct PayoutDue {
    std::int64_t creditorId = 0;
    std::string currency;
};
std::vector<PayoutDue> payoutsDue(Tx& tx, const std::string& until);
std::vector<PayoutLine> payoutLines(Tx& tx, std::int64_t creditorId, const std::string& currency,
                                    const std::string& until);

struct PayoutRecord {
    std::int64_t id = 0, creditorId = 0;
    std::string currency, periodEnd;
    std::int64_t grossMinor = 0, feeMinor = 0, amountMinor = 0, payments = 0;
    std::string endToEndId, fileName, statementSha256;
    std::int64_t keptMinor = 0;  // gross - fee - kept = amount
};
// std::nullopt when this creditor, currency and period end was paid out before.
std::optional<std::int64_t> insertPayout(Tx& tx, const PayoutRecord& p, const std::string& now);
void insertPayoutItem(Tx& tx, std::int64_t creditorId, std::int64_t payoutId, const PayoutLine& l);
void setPayoutFile(Tx& tx, std::int64_t payoutId, const std::string& fileName, const std::string& statementSha);
std::vector<PayoutRecord> payouts(Tx& tx, Scope scope);

}  // namespace duegate::store::payments
