#include "gateway/services/dunning/DunningTasks.h"

#include "gateway/services/TaskService.h"

namespace duegate::services::dunning {

std::optional<std::int64_t> openTask(Context& ctx, store::Tx& tx, const DunningTask& t) {
    TaskInput in;
    in.creditorId = t.creditorId;
    in.dossierId = t.dossierId;
    in.kind = t.kind;
    in.title = t.title;
    if (!t.details.empty()) in.details = t.details;
    in.priority = t.priority;
    in.dueDate = t.dueDate;
    in.dedupeKey = t.dedupeKey;  // assignee: createTask defaults to the dossier's case manager
    return createTask(ctx, tx, in);
}

}  // namespace duegate::services::dunning
