#include "gateway/services/TaskService.h"

#include "store/DossierRepository.h"
#include "store/TaskRepository.h"

namespace duegate::services {

std::optional<std::int64_t> createTask(Context& ctx, store::Tx& tx, const TaskInput& in) {
    store::TaskRecord t;
    t.creditorId = in.creditorId;
    t.dossierId = in.dossierId;
    t.kind = in.kind;
    t.title = in.title;
    t.details = in.details;
    t.priority = in.priority < 1 ? 1 : (in.priority > 3 ? 3 : in.priority);
    t.dueDate = in.dueDate.empty() ? ctx.now().substr(0, 10) : in.dueDate;
    t.assigneeId = in.assigneeId;
    t.dedupeKey = in.dedupeKey;
    if (!t.assigneeId && in.dossierId)
        if (auto d = store::dossiers::dossier(tx, in.creditorId, *in.dossierId)) t.assigneeId = d->caseManagerId;
    const std::string now = ctx.now();
    auto id = store::tasks::insert(tx, t, now);
    if (id && in.dossierId)
        store::events::append(tx, store::EventRecord{0, in.creditorId, in.dossierId, now, "task_created", std::nullopt,
                                                     "Task (" + in.kind + "): " + in.title,
                                                     "{\"task\":" + std::to_string(*id) + "}"});
    return id;
}

}  // namespace duegate::services
