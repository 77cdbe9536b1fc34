// Tasks for people (DESIGN.md "Tasks are for people"): a call to make, a reply to read, a dispute,
// a plan request, a bounce without fallback, an invoice held for review. createTask() runs inside
// the caller's transaction, so the task exists exactly when the decision that caused it does; it
// is idempotent by dedupe key and appends a `task_created` event to the dossier's timeline.
#pragma once

#include "gateway/services/Context.h"
#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services {

struct TaskInput {
    std::int64_t creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string kind;       // call, reply, dispute, plan_request, bounce, review, promise_broken, payment_review, ...
    std::string title;      // one line a case manager reads in the list
    std::optional<std::string> details;
    int priority = 2;       // 1 high .. 3 low
    std::string dueDate;    // YYYY-MM-DD; empty = today (the clock's UTC day)
    std::optional<std::int64_t> assigneeId;  // none = the dossier's case manager (or nobody)
    std::string dedupeKey;  // one task per decision, e.g. "review:dossier:17"
};

// The new task's id, or std::nullopt when that decision already made its task.
std::optional<std::int64_t> createTask(Context& ctx, store::Tx& tx, const TaskInput& in);

}  // namespace duegate::services
