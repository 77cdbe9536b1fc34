// Use cases of the creditor and staff portal (docs/portal.md): the dashboard, the dossier search,
// the dossier workspace (timeline with every message, tasks, next actions, disputes, documents),
// the staff task list, logging a call, closing a task and reading one document of a dossier.
//
// Scope: every function takes the Principal; a creditor user sees only its creditor, staff see all.
// Another creditor's id behaves exactly like a missing one (std::nullopt / NotFound). Functions for
// case managers only (tasks, calls) throw Forbidden for a creditor user: the portal answers 403.
// Each function is one transaction.
#pragma once

#include "gateway/services/AuthService.h"
#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "store/DebtorActionRepository.h"
#include "store/DunningRepository.h"
#include "store/PortalReadRepository.h"
#include "store/Records.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

struct Forbidden : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Dashboard {
    std::vector<store::portal_reads::StatusTotal> byStatus;
    std::string currency = "EUR";                   // ageing and collections are shown in this currency
    std::array<std::int64_t, 4> ageingMinor{};      // overdue 0-30, 31-60, 61-90, 90+ days (not yet due: 0-30)
    std::array<std::int64_t, 4> ageingCount{};
    struct Week {
        std::string monday;                         // YYYY-MM-DD
        std::int64_t minor = 0;
    };
    std::vector<Week> collectedPerWeek;             // the last 8 weeks, oldest first
    // Days sales outstanding over the last 90 days: open amount / invoiced in 90 days * 90
    // (std::nullopt when nothing was invoiced in that window).
    std::optional<std::int64_t> dsoDays;
};
Dashboard dashboard(Context& ctx, const Principal& who);

std::vector<store::portal_reads::DossierRow> searchDossiers(Context& ctx, const Principal& who,
                                                            const store::portal_reads::Search& search);

// The dossier list of the session of `cookieValue` (AuthService.h, sessionIn): the session check
// and the search in one read transaction, the busiest page's whole read. nullopt: no live session.
struct SessionSearch {
    ActiveSession session;
    std::vector<store::portal_reads::DossierRow> rows;
};
std::optional<SessionSearch> searchDossiersOfSession(Context& ctx, const std::string& cookieValue,
                                                     const store::portal_reads::Search& search);

struct Workspace {
    DossierDetail detail;                            // summary, events (oldest first), messages with bodies
    std::vector<store::TaskRecord> tasks;            // every task of the dossier
    std::vector<store::debtor_actions::DisputeRecord> disputes;
    std::optional<store::debtor_actions::Acceptance> acceptance;
    std::vector<store::DocumentRecord> documents;    // invoice originals, renderings, dispute attachments
    std::optional<store::UserRecord> caseManager;
    struct Next {
        std::string date, what;
    };
    std::vector<Next> nextActions;                   // open tasks and planned messages, soonest first
    std::optional<store::dunning::PlanRow> plan;     // the latest requested or active payment plan
};
std::optional<Workspace> workspace(Context& ctx, const Principal& who, std::int64_t dossierId);

struct DocumentBytes {
    store::DocumentRecord document;
    std::string bytes;
};
// A document that belongs to the dossier (invoice or dispute attachment), in scope.
std::optional<DocumentBytes> dossierDocument(Context& ctx, const Principal& who, std::int64_t dossierId,
                                             std::int64_t documentId);

struct TaskRow {
    store::TaskRecord task;
    std::string creditorName;
    bool overdue = false, dueToday = false;
};
struct TaskQuery {
    std::optional<std::string> kind;
    std::optional<std::int64_t> creditorId;
    bool mine = false;                               // assigned to the asking user
    bool includeClosed = false;
};
// Staff only (Forbidden otherwise): open tasks, overdue and today first (then by due date).
std::vector<TaskRow> taskList(Context& ctx, const Principal& who, const TaskQuery& q);
// Staff only: every creditor (for the task filter).
std::vector<store::CreditorRecord> creditorsForStaff(Context& ctx, const Principal& who);
// Staff only: closes an open task ('done'); NotFound when there is none open with that id.
void closeTask(Context& ctx, const Principal& who, std::int64_t taskId);

struct CallInput {
    std::string subject, outcome, nextStep;
    std::string promiseDate;                         // YYYY-MM-DD or empty: the debtor promised to pay
    std::optional<std::int64_t> taskId;              // the call task this call answers: closed
};
// Staff only: a `call_logged` event (channel phone); a promise taken on the phone is recorded as
// on the debtor page (promise_recorded, status promised). Throws InputError for bad input.
void logCall(Context& ctx, const Principal& who, std::int64_t dossierId, const CallInput& call);

// Staff only: approve the dossier's requested payment plan (the dunning engine's approvePlan:
// status 'plan', instalments fixed, confirmation mail). NotFound when none is requested.
void approveRequestedPlan(Context& ctx, const Principal& who, std::int64_t dossierId);
// Staff only: close the dossier's open disputes with a resolution; reminders resume (the dunning
// engine's resolveDispute: 'disputed' -> 'active', dispute_resolved) and open dispute/review tasks
// are cancelled. InputError when the dossier is not disputed and has no open dispute.
void resolveDisputes(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& resolution);

}  // namespace duegate::services
