// The dunning engine's tasks for people: call tasks from the planner, broken promises, missed
// instalments, plan requests. A thin layer over the foundation's createTask (TaskService.h), so the
// kinds, priorities and dedupe keys of the engine are chosen in one place.
// Thread-safety: like every service, one Tx per call.
#pragma once

#include "gateway/services/Context.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services::dunning {

struct DunningTask {
    std::int64_t creditorId = 0, dossierId = 0;
    std::string kind;       // call | promise_broken | instalment_missed | plan_request | bounce
    std::string title, details;
    int priority = 2;       // 1 high .. 3 low
    std::string dueDate;    // 'YYYY-MM-DD'
    std::string dedupeKey;  // "dunning:<dossier>:<planner key>"
};

// Creates the task in the caller's transaction; std::nullopt when the dedupe key exists.
// The assignee is the dossier's case manager (createTask's default).
std::optional<std::int64_t> openTask(Context& ctx, store::Tx& tx, const DunningTask& t);

}  // namespace duegate::services::dunning
