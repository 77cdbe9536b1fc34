// The dunning engine's tables (migration 0004): dunning_steps, promises, payment_plans and
// plan_instalments, plus the keyset-paged reads the daily run streams over.
//
// The run reads one page of open dossiers (status active, promised or plan; ascending id after the
// last id of the previous page) and then, for the same id range, everything the planner needs in a
// handful of queries (steps, promises, plans, bounced channels, debtor reactions, payer history):
// memory stays flat whatever the number of dossiers. insertStep() is the idempotency point: the
// UNIQUE (creditor_id, dossier_id, step) constraint decides, so two runs never both carry out a step.
// Thread-safety: like every repository, one Tx per thread.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::dunning {

// An open dossier with its debtor and the fields the planner and the texts need.
struct Candidate {
    std::int64_t dossierId = 0, creditorId = 0, debtorId = 0;
    std::string reference, status, currency;
    std::int64_t openMinor = 0;
    std::int64_t invoicedMinor = 0;               // sum of the dossier's invoices and credit notes
    std::optional<std::string> dueDate;           // earliest invoice due date
    std::optional<std::string> ogm;
    std::optional<std::string> dossierLanguage, paymentReference, payeeName, payeeIban, payeeBic;
    std::optional<std::int64_t> caseManagerId;
    std::string debtorName, debtorKind;
    std::optional<std::string> debtorEmail, debtorPhone, debtorStreet, debtorPostcode, debtorCity, debtorCountry,
        debtorLanguage;
    bool smsOff = false;                          // the debtor said STOP (or Twilio 21610): no SMS
    // Recoverable amounts (0017 dossier_charges): the costs steps claimed so far, and the costs and
    // interest claimed and not yet paid (part of openMinor; openMinor - chargesOwedMinor = principal).
    std::int64_t costsClaimedMinor = 0, chargesOwedMinor = 0;
};

// Up to `limit` dossiers with status active, promised or plan and id > afterId, by ascending id.
std::vector<Candidate> openPage(Tx& tx, std::int64_t afterId, std::size_t limit);
// The same fields for one dossier (any status), in a creditor scope (nullopt = staff).
std::optional<Candidate> candidate(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId);

struct StepRow {
    std::int64_t dossierId = 0;
    std::string step, policy, effect = "none", runDate, channels;  // channels "email,letter"
    std::optional<std::string> receivedOn, termLastDay;
};

// Steps of the dossiers with fromId < id <= toId, by dossier then id.
std::vector<StepRow> stepsInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);
std::vector<StepRow> steps(Tx& tx, std::int64_t dossierId);
// False when this (dossier, step) was carried out before (by this or another run).
bool insertStep(Tx& tx, std::int64_t creditorId, const StepRow& s, const std::string& now);

struct PromiseRow {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string madeOn, promisedDate;
    std::optional<std::int64_t> amountMinor;
    std::string currency, state, source;
};
// The latest promise of each dossier in the range.
std::vector<PromiseRow> latestPromisesInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);
std::optional<PromiseRow> latestPromise(Tx& tx, std::int64_t dossierId);
std::int64_t insertPromise(Tx& tx, const PromiseRow& p, const std::string& now);
// Closes every open promise of the dossier with `state` (kept | broken | cancelled).
void closeOpenPromises(Tx& tx, std::int64_t dossierId, const std::string& state, const std::string& now);

struct InstalmentRow {
    std::int64_t seq = 0;
    std::string dueDate;
    std::int64_t amountMinor = 0;
};

struct PlanRow {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string state;
    std::int64_t instalmentCount = 0;
    std::string firstDate;
    std::int64_t totalMinor = 0, openAtStartMinor = 0;
    std::string currency, requestedOn;
    std::optional<std::string> approvedBy;
    std::vector<InstalmentRow> instalments;  // by seq
};
// The active plan of each dossier in the range, with instalments.
std::vector<PlanRow> activePlansInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);
// The latest plan of the dossier in one of `states` (e.g. {"active"} or {"requested"}), with instalments.
std::optional<PlanRow> latestPlan(Tx& tx, std::int64_t dossierId, const std::vector<std::string>& states);
std::optional<PlanRow> planById(Tx& tx, std::optional<std::int64_t> scope, std::int64_t planId);
std::int64_t insertPlan(Tx& tx, const PlanRow& p, const std::string& now);
void setPlanState(Tx& tx, std::int64_t planId, const std::string& state, const std::optional<std::string>& approvedBy,
                  const std::string& now);
// Re-bases an approved plan on the open amount at approval.
void startPlan(Tx& tx, std::int64_t planId, std::int64_t openAtStartMinor, const std::string& approvedBy,
               const std::string& now);

// (dossier id, channel) of bounced messages in the range.
std::vector<std::pair<std::int64_t, std::string>> bouncedInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);
// (dossier id, latest 'YYYY-MM-DD') of debtor reactions in the range (reply, link opened, promise,
// paid reported, plan requested, contact updated, call logged, invoice accepted).
std::vector<std::pair<std::int64_t, std::string>> reactionsInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);

// Dossiers in the range with an open pause (dossier_pauses, migration 0005: a reply, ...): not
// ended and without an end date or ending on or after `today`.
std::vector<std::int64_t> pausedInRange(Tx& tx, std::int64_t fromId, std::int64_t toId, const std::string& today);

struct PayerHistory {
    std::int64_t debtorId = 0;
    std::int64_t escalatedDossiers = 0;  // dossiers that needed a step with a legal effect
    std::int64_t paidDossiers = 0;
};
// For every debtor of a dossier in the range.
std::vector<PayerHistory> payerHistoryInRange(Tx& tx, std::int64_t fromId, std::int64_t toId);

// Planned (not yet claimed) messages of a dossier become 'failed' with `reason` (the dossier is
// paid or closed: nothing may go out any more). Returns how many.
std::size_t cancelPlannedMessages(Tx& tx, std::int64_t dossierId, const std::string& reason, const std::string& now);

// A dossier's invoices and credit notes as its texts list them (issue date order).
struct InvoiceLine {
    std::string documentType, number, issueDate, currency;
    std::optional<std::string> dueDate, description;
    std::int64_t amountMinor = 0;
};
std::vector<InvoiceLine> invoiceLines(Tx& tx, std::int64_t dossierId);
void setInvoiceDescription(Tx& tx, std::int64_t creditorId, const std::string& documentType, const std::string& number,
                           const std::string& description);

// The creditor's enterprise number (Book XIX mention), when known.
std::optional<std::string> enterpriseNumber(Tx& tx, std::int64_t creditorId);
void setEnterpriseNumberIfEmpty(Tx& tx, std::int64_t creditorId, const std::string& number);

}  // namespace duegate::store::dunning
