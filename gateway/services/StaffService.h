// What a case manager does on a dossier beyond the task list (issue 14 item 3): assign it (and its
// open tasks) to a case manager, refuse a requested payment plan, write to the debtor or the
// creditor through the outbox, and close the dossier (paid, written off, handed to a lawyer).
//
// Staff only: a creditor user gets Forbidden (the portal answers 403). A dossier that does not
// exist is NotFound. Bad input is InputError. Each function is one transaction and writes an
// event naming the user, so the timeline says who did what.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

// Staff users who are not disabled: the case managers a dossier can be given to.
std::vector<store::UserRecord> caseManagers(Context& ctx, const Principal& who);

// Sets the dossier's case manager (std::nullopt: nobody) and gives them its open tasks;
// `dossier_assigned`. InputError when the user is not an active staff user.
void assignDossier(Context& ctx, const Principal& who, std::int64_t dossierId, std::optional<std::int64_t> userId);

// Refuses the dossier's requested payment plan with a reason: the plan becomes 'refused', the
// plan_request task is cancelled, `plan_refused`, and the debtor is told by mail in their language
// (templates <lang>/plan_refused); the dossier keeps its status and reminders go on.
// NotFound when no plan is requested.
void refuseRequestedPlan(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& reason);

struct WrittenMessage {
    std::string to;       // debtor | creditor
    std::string subject;  // 1..200 characters
    std::string body;     // 1..10000 characters
};
// Queues an e-mail to the dossier's debtor or creditor (purpose staff_message; a debtor's reply
// comes home through the reply address of this row) and writes `message_written` with its text.
// Returns the outbound message id. InputError when the recipient has no e-mail address.
std::int64_t writeMessage(Context& ctx, const Principal& who, std::int64_t dossierId, const WrittenMessage& m);

// paid -> status 'paid' (open amount 0), written_off -> 'closed', lawyer -> 'legal'; only along
// the dossier transition table (States.h) and only from the status read (`WHERE status = from`).
// Planned messages are cancelled, open promises and plans end, the debtor's links are revoked
// (the link then shows a "closed" page), open tasks are cancelled; `dossier_closed`.
// InputError for an unknown outcome, an empty reason or a transition that is not listed.
void closeDossier(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& outcome,
                  const std::string& reason);

// How staff resolve a dossier's dispute (issue 14 item 3), one transaction each:
//   resume  the open disputes are resolved and reminders resume (PortalService's resolveDisputes);
//   credit  the creditor grants a credit of `creditMinor` on the principal, 1 up to what is still
//           open of it (never the claimed costs or interest): dossier_credits, the open amount
//           falls by it, `credit_granted`, and the debtor is told by mail in their language
//           (template credit_granted). Crediting the whole principal still open settles the
//           dossier: status closed, open 0, planned messages cancelled, links revoked, tasks
//           cancelled. Otherwise a disputed dossier becomes active and reminders resume on the rest;
//   close   the dossier is closed as written off (closeDossier's rules), the reason being `text`.
// InputError when the dossier has no open dispute, for a credit out of range or an empty text.
struct DisputeResolution {
    std::string how;               // resume | credit | close
    std::string text;              // the resolution or credit reason, 1..2000 characters
    std::int64_t creditMinor = 0;  // for `credit`, in the dossier's currency
};
void settleDispute(Context& ctx, const Principal& who, std::int64_t dossierId, const DisputeResolution& r);

// For a debtor link that no longer opens: the dossier's language when the link is genuine (signed,
// not expired) but was revoked and its dossier is finished (status closed, paid or legal);
// std::nullopt in every other case (the caller answers 404).
std::optional<std::string> closedDossierLanguage(Context& ctx, const std::string& token);

}  // namespace duegate::services
