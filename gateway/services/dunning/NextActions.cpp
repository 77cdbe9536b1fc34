#include "gateway/services/dunning/NextActions.h"

#include "gateway/services/dunning/DossierFacts.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "store/CreditorRepository.h"

namespace duegate::services::dunning {

std::vector<NextAction> nextActions(Context& ctx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                    std::size_t limit) {
    const auto& setup = setupOf(ctx);
    const auto today = core::localDate(ctx.clock->now().epochTime(), setup.zone);
    auto loaded = ctx.db->transaction([&](store::Tx& tx) {
        auto f = loadFacts(tx, scope, dossierId, today);
        if (!f) throw NotFound("no dossier " + std::to_string(dossierId));
        std::optional<std::string> creditorPolicy;
        if (auto c = store::creditors::byId(tx, f->dossier.creditorId)) creditorPolicy = c->policy;
        return std::make_pair(*f, creditorPolicy);
    });
    const auto& facts = loaded.first;
    std::vector<NextAction> out;
    const auto& status = facts.dossier.status;
    if (status != "active" && status != "promised" && status != "plan") return out;
    if (facts.paused) return out;  // a person ends the pause (a reply, ...) before anything is planned
    const core::Policy* policy = choosePolicy(setup, facts, loaded.second);
    if (!policy) return out;
    auto state = stateOf(facts, *policy, today);
    // The next instalment reminder of an active plan.
    for (const auto& i : state.paymentPlan)
        if (!i.paid) {
            NextAction a;
            a.date = std::max(today, i.due.plusDays(-policy->instalmentReminderDays));
            a.kind = "instalment_reminder";
            a.reason = "instalment of " + i.amount.toString() + " due " + i.due.iso();
            if (a.date <= i.due) out.push_back(a);
            break;
        }
    core::CivilDate day = today;
    for (int guard = 0; guard < 40 && out.size() < limit; ++guard) {
        const auto actions = core::plan(state, *policy, day);
        bool acted = false;
        std::optional<core::CivilDate> wait;
        for (const auto& a : actions) {
            if (a.kind == core::ActionKind::Send || a.kind == core::ActionKind::CallTask) {
                NextAction n;
                n.date = a.date;
                n.kind = a.kind == core::ActionKind::Send ? a.key : "call";
                n.channels = a.channels;
                if (a.term) n.termLastDay = a.term->lastDay;
                n.reason = a.reason;
                out.push_back(n);
                state.history.push_back(core::HistoryEntry{a.key, day, a.channels, std::nullopt});
                acted = true;
            } else if (a.kind == core::ActionKind::WaitUntil) {
                wait = a.date;
                if (state.promise && state.promise->status == core::Promise::Status::Open)
                    out.push_back(NextAction{a.date, "promise_check", {}, std::nullopt, a.reason});
            }
        }
        // Beyond today the simulation assumes the debtor neither pays nor reacts.
        if (state.promise && wait && state.promise->status == core::Promise::Status::Open)
            state.promise->status = core::Promise::Status::Broken;
        if (acted) continue;  // the planner never sends twice a day: re-plan from the same day
        if (!wait || !(day < *wait)) break;
        day = *wait;
    }
    std::stable_sort(out.begin(), out.end(), [](const NextAction& a, const NextAction& b) { return a.date < b.date; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace duegate::services::dunning
