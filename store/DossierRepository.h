// Debtors, dossiers, invoices, documents, the event timeline and debtor link tokens.
// Every read that serves a request takes the creditor scope: `scope` = the creditor id, or
// std::nullopt for agency staff (all creditors). A row of another creditor is never returned.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::dossiers {

using Scope = std::optional<std::int64_t>;

// Inserts the debtor, or returns the id of the creditor's debtor with the same match key
// (filling contact fields that were empty).
std::int64_t upsertDebtor(Tx& tx, const DebtorRecord& d, const std::string& now);
std::optional<DebtorRecord> debtor(Tx& tx, Scope scope, std::int64_t debtorId);

// Numbers for new dossiers, never handed out twice, even to concurrent transactions: the agency
// reference ("D2026-000123": the invoice's year, then this number) and the number behind the
// dossier's OGM. PostgreSQL: a SEQUENCE (nextval never waits for another transaction and is not
// rolled back: a failed apply leaves a gap). SQLite: a counters row, in a database that has one
// writer at a time anyway (BEGIN IMMEDIATE), so it serialises nothing that is not serial already.
std::int64_t nextDossierNumber(Tx& tx);
std::int64_t nextPaymentNumber(Tx& tx);

std::int64_t insertDossier(Tx& tx, const DossierRecord& d);
std::optional<DossierRecord> dossier(Tx& tx, Scope scope, std::int64_t dossierId);
std::vector<DossierRecord> list(Tx& tx, Scope scope, std::size_t limit, std::int64_t afterId = 0);

// THE one place that writes dossiers.status (tests/static/store_sql.py fails on any other).
// Moves the dossier from `from` to `to` along the transition table (gateway/services/States.h;
// std::logic_error for a transition it does not list) with "UPDATE ... WHERE status = from", and
// sets the amounts given. from == to is no transition: only the amounts (and updated_at) change,
// still fenced by the status. Throws StaleState when the dossier is not (or no longer) in `from`:
// another transaction changed it first, and the caller's transaction must roll back.
struct DossierAmounts {
    std::optional<std::int64_t> openMinor, paidMinor;
};
void transition(Tx& tx, std::int64_t dossierId, const std::string& from, const std::string& to,
                const std::string& now, const DossierAmounts& amounts = {});
// The same for many dossiers moving from `from` to `to` with their new amounts (a statement import
// paying dozens in full per batch), in one statement per few hundred: the same transition-table
// check, the same status fence; StaleState when any of them is no longer in `from`.
struct AmountsOf {
    std::int64_t id = 0, openMinor = 0, paidMinor = 0;
};
void transition(Tx& tx, const std::vector<AmountsOf>& dossiers, const std::string& from, const std::string& to,
                const std::string& now);

// std::nullopt when the creditor already has this document type + number (idempotency by
// natural key: the UNIQUE constraint decides, not an `if`).
std::optional<std::int64_t> insertInvoice(Tx& tx, const InvoiceRecord& inv, const std::string& now);
std::optional<InvoiceRecord> invoiceByNumber(Tx& tx, std::int64_t creditorId, const std::string& documentType,
                                             const std::string& number);
std::vector<InvoiceRecord> invoices(Tx& tx, std::int64_t dossierId);

// Inserts or finds the creditor's document with that content address.
std::int64_t upsertDocument(Tx& tx, const DocumentRecord& d, const std::string& now);
std::optional<DocumentRecord> document(Tx& tx, Scope scope, std::int64_t documentId);

}  // namespace duegate::store::dossiers

namespace duegate::store::events {

std::int64_t append(Tx& tx, const EventRecord& e);
// Many events in multi-row statements, in input order (ids ascending in that order).
void appendMany(Tx& tx, const std::vector<EventRecord>& events);
// Oldest first.
std::vector<EventRecord> forDossier(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId);
// The same, only the events of one kind (the debtor page reads its `paid_reported` events on every
// view, not the whole timeline).
std::vector<EventRecord> forDossierOfKind(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                          const std::string& kind);

}  // namespace duegate::store::events

namespace duegate::store::links {

std::int64_t insert(Tx& tx, const LinkTokenRecord& t, const std::string& now);
std::optional<LinkTokenRecord> byId(Tx& tx, std::int64_t id);
// Sets revoked_at on every live link of the dossier; returns how many.
std::size_t revokeForDossier(Tx& tx, std::int64_t dossierId, const std::string& now);
// True when the link was marked opened at or after `since` (an instant).
bool openedSince(Tx& tx, std::int64_t id, const std::string& since);
// Marks the link opened now unless it was at or after `since`; true when this call marked it (so
// of two concurrent views only one records the event).
bool markOpened(Tx& tx, std::int64_t id, const std::string& now, const std::string& since);

}  // namespace duegate::store::links
