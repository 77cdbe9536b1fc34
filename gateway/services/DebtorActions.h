// What a debtor can do through a personal link (docs/portal.md, INTERFACES.md /d/{token}/...):
// report a payment, promise a date, ask a payment plan, dispute (with an attachment), correct
// contact details, accept the invoice, choose a language, and read what the page shows about it.
//
// Every action is one transaction that appends its event (promise_recorded, paid_reported,
// plan_requested + plan_approved, dispute_opened, contact_updated, invoice_accepted) on the dossier
// of the link, and tasks for people where a decision is needed. The link scope (resolveLink) is the
// only credential: a token opens only its own dossier. Bad input throws DebtorInputError whose
// `code` is a catalog key of the portal (portal/i18n/*.ini, "err_..."), so no text lives here.
//
// Promises and payment plans belong to the dunning engine (migration 0004, services/dunning/Pauses.h):
// promiseToPay and requestPlan check the debtor page's own bounds, then call recordPromise and
// requestPlan, which keep the promise / plan rows, move the status, write the events, queue the
// confirmation mail and decide plan approval by the dossier's policy (else a plan_request task).
// Thread-safety: stateless functions; the Context is shared.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/IntakeMessages.h"
#include "gateway/services/LinkService.h"
#include "parsers/common/CivilDate.h"
#include "parsers/invoice/UblInvoice.h"
#include "store/Records.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

// The bounds of what a debtor may decide alone (the creditor's policy may narrow them later).
struct DebtorPolicy {
    int maxPromiseDays = 30;                  // a promised date is at most this many days ahead
    int maxPlanStartDays = 30;                // the first instalment starts within this many days
    int maxRequestedInstalments = 24;         // more is refused as input
    int autoApproveInstalments = 6;           // <= this many instalments ...
    std::int64_t autoApproveMinInstalmentMinor = 2500;  // ... each at least this (EUR 25): approved
    unsigned postsPerHour = 20;               // POSTs per link per hour; more gets 429
    std::size_t maxAttachmentBytes = 10u << 20;
    std::size_t maxMessageBytes = 4000;
    int maxPaidDaysBack = 366;
};

struct DebtorInputError : InputError {
    DebtorInputError(std::string c, const std::string& what) : InputError(what), code(std::move(c)) {}
    std::string code;  // catalog key, e.g. "err_promise_date"
};

// The link's scope without recording anything (POST handlers); std::nullopt = 404.
std::optional<LinkScope> debtorLink(Context& ctx, const std::string& token);

// The CSRF token of the link's forms: HMAC of the link id and nonce under the link secret, so it
// is tied to this link and needs no storage. constant-time comparison in debtorCsrfMatches.
std::string debtorCsrfToken(const Context& ctx, const LinkScope& scope);
bool debtorCsrfMatches(const Context& ctx, const LinkScope& scope, const std::string& submitted);

// Counts this POST against the link's hourly bound; false when the bound is passed (answer 429).
bool allowDebtorPost(Context& ctx, const LinkScope& scope, const DebtorPolicy& policy);

// Today as the debtor's civil date (UTC, the same day the link expiry uses).
parsers::CivilDate debtorToday(const Context& ctx);

struct Instalment {
    int seq = 0;
    std::string dueDate;      // YYYY-MM-DD
    std::int64_t amountMinor = 0;
};
// `n` monthly instalments from `first` (same day of month, clamped to the month's end); the
// amounts are equal in minor units and the last one takes the remainder.
std::vector<Instalment> planSchedule(std::int64_t totalMinor, int n, const parsers::CivilDate& first);

// "I paid on DATE (AMOUNT)": an event and a payment_review task; the matcher decides.
void reportPaid(Context& ctx, const LinkScope& scope, const std::string& date, const std::string& amount,
                const DebtorPolicy& policy);

// Promise to pay the open amount by `date` (today .. today + maxPromiseDays). The dossier becomes
// 'promised' (reminders pause) and, when the debtor has an e-mail address, `confirmation` is queued
// through the outbox. Throws DebtorInputError err_promise_date / err_not_possible.
void promiseToPay(Context& ctx, const LinkScope& scope, const std::string& date, const DebtorPolicy& policy,
                  const std::function<MailText(const std::string& date, const std::string& amount)>& confirmation);

struct PlanOutcome {
    bool approved = false;
    std::vector<Instalment> schedule;
};
// A plan of `instalments` monthly payments from `firstDate`: approved at once within the policy
// (dossier 'plan', plan_approved), else a plan_request task for staff.
PlanOutcome requestPlan(Context& ctx, const LinkScope& scope, const std::string& instalments,
                        const std::string& firstDate, const DebtorPolicy& policy);

struct Upload {
    std::string filename;  // as the browser sent it: display only, never a path
    std::string bytes;
};
// "pdf", "png", "jpeg" by the first bytes, or "" for anything else.
std::string sniffUploadType(std::string_view bytes);
// The last path component, control characters removed, at most 120 bytes; "" when nothing is left.
std::string safeUploadName(const std::string& name);

// reason: not_received | amount_wrong | already_paid | quality | other. The attachment (optional)
// becomes a blob + document. A "not received" dispute after the invoice was accepted does not
// move the dossier: it makes a review task for staff. Any other dispute: status 'disputed' and a
// dispute task.
void openDispute(Context& ctx, const LinkScope& scope, const std::string& reason, const std::string& message,
                 const std::optional<Upload>& attachment, const DebtorPolicy& policy,
                 const std::string& remoteAddress);

// Fields: email, phone (E.164 after removing spaces, dots, dashes and brackets), street, postcode
// (checked for BE/NL/FR/LU/DE), city, country (ISO 3166 alpha-2). An empty field is left as it is.
// Returns the names of the fields that changed (none: no event).
std::vector<std::string> updateContact(Context& ctx, const LinkScope& scope,
                                       const std::map<std::string, std::string>& fields);

// Receipt and acceptance of the invoice(s), once per dossier (time and link recorded).
void acceptInvoice(Context& ctx, const LinkScope& scope, const std::string& remoteAddress);

// Remembers nl | fr | en on the dossier and its debtor (the next mails and pages use it).
void rememberLanguage(Context& ctx, const LinkScope& scope, const std::string& language);

// What the debtor page shows beyond DebtorView: the state of each answer.
struct DebtorState {
    std::string status;
    std::optional<std::string> acceptedAt;
    std::optional<std::string> promisedDate;        // while the dossier is 'promised'
    std::optional<std::string> paidReportedDate, paidReportedAmount;
    bool planApproved = false, planRequested = false;
    std::vector<Instalment> planSchedule;
    bool disputeOpen = false;
    std::string disputeReason;
    bool hasInvoiceCopy = false;
    store::DebtorRecord debtor;
    std::optional<std::string> language;            // remembered: the dossier's, else the debtor's
};
DebtorState debtorState(Context& ctx, const LinkScope& scope);
// The same inside the caller's transaction, from the dossier, debtor and invoices it already read
// (openDebtorLink: the debtor page in one read transaction).
DebtorState debtorState(store::Tx& tx, const LinkScope& scope, const store::DossierRecord& dossier,
                        const store::DebtorRecord& debtor, const std::vector<store::InvoiceRecord>& invoices);

// A copy of the dossier's first invoice: its PDF (rendering or original), else the UBL parsed for
// an HTML rendering. std::nullopt when there is no document.
struct InvoiceCopy {
    std::string contentType;  // "application/pdf" or "application/xml"
    std::string filename;     // safe, for Content-Disposition
    std::string bytes;
    std::optional<parsers::invoice::UblInvoice> ubl;  // set for a UBL original without PDF
};
std::optional<InvoiceCopy> invoiceCopy(Context& ctx, const LinkScope& scope);

}  // namespace duegate::services
