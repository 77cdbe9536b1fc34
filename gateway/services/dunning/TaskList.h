// The open tasks for people (call, promise_broken, instalment_missed, plan_request, reply,
// dispute, bounce, review, ...), as `duegate task list` prints them: oldest due first.
// Thread-safety: like every service.
#pragma once

#include "gateway/services/Context.h"
#include "store/Records.h"

#include <functional>
#include <optional>
#include <string>

namespace duegate::services::dunning {

struct TaskView {
    store::TaskRecord task;
    std::optional<std::string> assigneeEmail;
    std::optional<std::string> dossierReference;
};

struct TaskQuery {
    std::optional<std::int64_t> scope;         // a creditor, or nullopt for staff (every creditor)
    std::optional<std::string> assigneeEmail;  // only tasks assigned to this user (InputError if unknown)
    std::optional<std::string> dueBy;          // 'YYYY-MM-DD': due on or before
};

// Calls `each` for every open task matching the query (at most one million), oldest due first.
void forEachOpenTask(Context& ctx, const TaskQuery& q, const std::function<void(const TaskView&)>& each);

}  // namespace duegate::services::dunning
