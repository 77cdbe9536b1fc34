// Pauses and resumes of the reminder cycle (issue 10 item 7), for the debtor page, the staff
// portal and the payments capability to call. Each function is one transaction (or runs in the
// caller's, where it takes a Tx) and writes the event the timeline shows.
//
//  recordPromise   the debtor promises to pay (all, or an amount) by a date: status 'promised', the
//                  earlier open promise cancelled, `promise_recorded`, a confirmation mail. The run
//                  sends nothing until date + the policy's promise_grace_days; then, unless the
//                  dossier was paid, a promise_broken call task and the dossier is 'active' again.
//                  Refused (InputError): a date in the past or more than 90 days ahead; a dossier
//                  that is not active or promised.
//  requestPlan     the debtor asks for N monthly instalments from a first date: `plan_requested`.
//                  Within the policy's limits (plan_max_instalments, plan_min_instalment,
//                  plan_max_first_delay_days) it is approved at once (approvePlan's effects, by
//                  "policy"); otherwise it stays 'requested' with a plan_request task for a person.
//  approvePlan     a person (or the policy) approves a requested plan: status 'plan', instalments
//                  fixed, `plan_approved`, a confirmation mail listing them. The run then sends one
//                  reminder per instalment and, when one is missed (due + instalment_grace_days),
//                  an instalment_missed call task; the plan ends ('broken') and the policy resumes.
//  resolveDispute  staff close a dispute: 'disputed' -> 'active', `dispute_resolved`.
//  stopDunning     in the caller's transaction (the payments capability's, when a dossier becomes
//                  paid or closed): planned messages of the dossier are cancelled (state failed,
//                  "cancelled: ..."), open promises kept, the active plan completed.
//  markPaid        status 'paid' with open 0 (a manual or test path; the payments capability has its
//                  own), stopDunning, `dossier_paid`, the thanks mail.
// Partial payments need nothing here: the run reads dossiers.open_minor, so every text states the
// current open amount and a plan counts what was paid since it started.
// `scope`: the caller's creditor (std::nullopt = staff); a dossier outside it is NotFound.
// Thread-safety: like every service.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services::dunning {

using Scope = std::optional<std::int64_t>;

struct PromiseInput {
    std::int64_t dossierId = 0;
    core::CivilDate date;                     // pays by this day
    std::optional<std::int64_t> amountMinor;  // none: the whole open amount
    std::string source = "debtor_page";       // debtor_page | phone | staff | mail
};

std::int64_t recordPromise(Context& ctx, const DunningSetup& setup, Scope scope, const PromiseInput& in,
                           const core::CivilDate& today);

struct PlanInput {
    std::int64_t dossierId = 0;
    int instalments = 0;        // 2 .. 36
    core::CivilDate firstDate;  // then monthly on the same day (clamped to the month's end)
    std::string source = "debtor_page";
};

struct PlanResult {
    std::int64_t planId = 0;
    std::string state;                   // active (approved) | requested (a person decides)
    std::optional<std::int64_t> taskId;  // the plan_request task when not approved
    std::string reason;                  // why it was or was not approved
};

PlanResult requestPlan(Context& ctx, const DunningSetup& setup, Scope scope, const PlanInput& in,
                       const core::CivilDate& today);
PlanResult approvePlan(Context& ctx, const DunningSetup& setup, Scope scope, std::int64_t planId,
                       const std::string& approvedBy, const core::CivilDate& today);

void resolveDispute(Context& ctx, Scope scope, std::int64_t dossierId, const std::string& resolution);

std::size_t stopDunning(Context& ctx, store::Tx& tx, std::int64_t dossierId, const std::string& reason);

void markPaid(Context& ctx, const DunningSetup& setup, Scope scope, std::int64_t dossierId,
              const core::CivilDate& today);

// Equal monthly instalments of `total` (the remainder on the last one).
std::vector<std::pair<core::CivilDate, std::int64_t>> splitInstalments(std::int64_t totalMinor, int count,
                                                                       const core::CivilDate& first);

}  // namespace duegate::services::dunning
