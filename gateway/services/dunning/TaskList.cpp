#include "gateway/services/dunning/TaskList.h"

#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/TaskRepository.h"

#include <map>

namespace duegate::services::dunning {

void forEachOpenTask(Context& ctx, const TaskQuery& q, const std::function<void(const TaskView&)>& each) {
    store::tasks::Filter filter;
    filter.dueBy = q.dueBy;
    // One query: the repository orders by due date but pages by id, so pages would skip tasks.
    filter.limit = 1000000;
    if (q.assigneeEmail) {
        auto user = ctx.db->transaction([&](store::Tx& tx) { return store::users::byEmail(tx, *q.assigneeEmail); });
        if (!user) throw InputError("no user " + *q.assigneeEmail);
        filter.assigneeId = user->id;
    }
    std::map<std::int64_t, std::string> emails;
    {
        auto page = ctx.db->transaction([&](store::Tx& tx) {
            std::vector<TaskView> out;
            for (auto& t : store::tasks::list(tx, q.scope, filter)) {
                TaskView v;
                if (t.assigneeId) {
                    auto it = emails.find(*t.assigneeId);
                    if (it == emails.end()) {
                        auto u = store::users::byId(tx, *t.assigneeId);
                        it = emails.emplace(*t.assigneeId, u ? u->email : "").first;
                    }
                    if (!it->second.empty()) v.assigneeEmail = it->second;
                }
                if (t.dossierId)
                    if (auto d = store::dossiers::dossier(tx, std::nullopt, *t.dossierId)) v.dossierReference = d->reference;
                v.task = std::move(t);
                out.push_back(std::move(v));
            }
            return out;
        });
        for (const auto& v : page) each(v);
    }
}

}  // namespace duegate::services::dunning
