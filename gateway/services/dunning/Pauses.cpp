#include "gateway/services/dunning/Pauses.h"

#include "gateway/services/States.h"
#include "gateway/services/dunning/DossierFacts.h"
#include "gateway/services/dunning/DossierMessages.h"
#include "gateway/services/dunning/DunningTasks.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/TaskRepository.h"

namespace duegate::services::dunning {
namespace {

namespace sd = store::dunning;

sd::Candidate dossierIn(store::Tx& tx, Scope scope, std::int64_t id) {
    auto c = sd::candidate(tx, scope, id);
    if (!c) throw NotFound("no dossier " + std::to_string(id));
    return *c;
}

void event(Context& ctx, store::Tx& tx, const sd::Candidate& d, const std::string& kind, const std::string& summary) {
    store::events::append(tx, store::EventRecord{0, d.creditorId, d.dossierId, ctx.now(), kind, std::nullopt, summary,
                                                 std::nullopt});
}

void setStatus(Context& ctx, store::Tx& tx, const sd::Candidate& d, const std::string& to) {
    if (d.status == to) return;
    store::dossiers::transition(tx, d.dossierId, d.status, to, ctx.now());
}

const core::Policy* policyFor(store::Tx& tx, const DunningSetup& setup, std::int64_t dossierId) {
    auto facts = loadFacts(tx, std::nullopt, dossierId, core::CivilDate::fromDayNumber(0));
    if (!facts) return nullptr;
    auto creditor = store::creditors::byId(tx, facts->dossier.creditorId);
    return choosePolicy(setup, *facts, creditor ? creditor->policy : std::nullopt);
}

PlanResult activate(Context& ctx, store::Tx& tx, const DunningSetup& setup, const sd::Candidate& d,
                    const sd::PlanRow& plan, const std::string& approvedBy, const core::CivilDate& today) {
    sd::startPlan(tx, plan.id, d.openMinor, approvedBy, ctx.now());
    sd::closeOpenPromises(tx, d.dossierId, "cancelled", ctx.now());
    setStatus(ctx, tx, d, "plan");
    const auto texts = loadTexts(ctx, tx, d);
    const auto lang = languageOf(d);
    auto data = dossierFields(texts, lang, today);
    data.values["instalment_count"] = std::to_string(plan.instalments.size());
    data.values["first_date"] = core::formatDate(lang, *core::CivilDate::parseIso(plan.firstDate));
    for (const auto& i : plan.instalments)
        data.lists["instalments"].push_back(
            {{"seq", std::to_string(i.seq)},
             {"due_date", core::formatDate(lang, *core::CivilDate::parseIso(i.dueDate))},
             {"amount", core::formatAmount(lang, core::Money(i.amountMinor, d.currency))}});
    event(ctx, tx, d, "plan_approved",
          "Payment plan of " + std::to_string(plan.instalments.size()) + " instalments from " + plan.firstDate +
              " approved by " + approvedBy);
    queueDossierMail(ctx, tx, setup, texts, "plan_confirmation", data, "plan:" + std::to_string(plan.id),
                     "plan_confirmation");
    return PlanResult{plan.id, "active", std::nullopt, "approved by " + approvedBy};
}

}  // namespace

std::vector<std::pair<core::CivilDate, std::int64_t>> splitInstalments(std::int64_t total, int count,
                                                                       const core::CivilDate& first) {
    std::vector<std::pair<core::CivilDate, std::int64_t>> out;
    if (count <= 0) return out;
    const std::int64_t each = total / count;
    for (int i = 0; i < count; ++i) {
        int y = first.year(), m = first.month() + i;
        y += (m - 1) / 12;
        m = (m - 1) % 12 + 1;
        const int day = std::min(first.day(), core::CivilDate::daysInMonth(y, m));
        const auto due = *core::CivilDate::fromYmd(y, m, day);
        out.emplace_back(due, i + 1 == count ? total - each * (count - 1) : each);
    }
    return out;
}

std::int64_t recordPromise(Context& ctx, const DunningSetup& setup, Scope scope, const PromiseInput& in,
                           const core::CivilDate& today) {
    if (in.date < today) throw InputError("a promise date must be today or later");
    if (today.plusDays(90) < in.date) throw InputError("a promise date at most 90 days ahead");
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, scope, in.dossierId);
        if (d.status != "active" && d.status != "promised")
            throw InputError("dossier " + d.reference + " is " + d.status + ": no promise can be recorded");
        if (in.amountMinor && (*in.amountMinor <= 0 || *in.amountMinor > d.openMinor))
            throw InputError("a promised amount must be more than zero and at most the open amount");
        sd::closeOpenPromises(tx, d.dossierId, "cancelled", ctx.now());
        sd::PromiseRow p;
        p.creditorId = d.creditorId;
        p.dossierId = d.dossierId;
        p.madeOn = today.iso();
        p.promisedDate = in.date.iso();
        p.amountMinor = in.amountMinor;
        p.currency = d.currency;
        p.state = "open";
        p.source = in.source;
        const auto id = sd::insertPromise(tx, p, ctx.now());
        setStatus(ctx, tx, d, "promised");
        const core::Money amount(in.amountMinor.value_or(d.openMinor), d.currency);
        event(ctx, tx, d, "promise_recorded",
              "Promise to pay " + amount.toString() + " by " + in.date.iso() + " (" + in.source + ")");
        const auto texts = loadTexts(ctx, tx, d);
        const auto lang = languageOf(d);
        auto data = dossierFields(texts, lang, today);
        data.values["promise_date"] = core::formatDate(lang, in.date);
        data.values["promise_amount"] = core::formatAmount(lang, amount);
        queueDossierMail(ctx, tx, setup, texts, "promise_confirmation", data, "promise:" + std::to_string(id),
                         "promise_confirmation");
        return id;
    });
}

PlanResult requestPlan(Context& ctx, const DunningSetup& setup, Scope scope, const PlanInput& in,
                       const core::CivilDate& today) {
    if (in.instalments < 2 || in.instalments > 36) throw InputError("a payment plan has 2 to 36 instalments");
    if (in.firstDate < today) throw InputError("the first instalment must be today or later");
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, scope, in.dossierId);
        if (d.status != "active" && d.status != "promised")
            throw InputError("dossier " + d.reference + " is " + d.status + ": no payment plan can be requested");
        sd::PlanRow plan;
        plan.creditorId = d.creditorId;
        plan.dossierId = d.dossierId;
        plan.state = "requested";
        plan.instalmentCount = in.instalments;
        plan.firstDate = in.firstDate.iso();
        plan.totalMinor = d.openMinor;
        plan.openAtStartMinor = d.openMinor;
        plan.currency = d.currency;
        plan.requestedOn = today.iso();
        std::int64_t seq = 0;
        for (const auto& [due, amount] : splitInstalments(d.openMinor, in.instalments, in.firstDate))
            plan.instalments.push_back(sd::InstalmentRow{++seq, due.iso(), amount});
        plan.id = sd::insertPlan(tx, plan, ctx.now());
        event(ctx, tx, d, "plan_requested",
              "Payment plan requested: " + std::to_string(in.instalments) + " instalments from " + in.firstDate.iso() +
                  " (" + in.source + ")");
        const auto* policy = policyFor(tx, setup, d.dossierId);
        std::string why;
        if (!policy) why = "no dunning policy applies";
        else if (policy->planMaxInstalments == 0) why = "policy " + policy->name + " approves no plan by itself";
        else if (in.instalments > policy->planMaxInstalments)
            why = "more than " + std::to_string(policy->planMaxInstalments) + " instalments";
        else if (d.openMinor / in.instalments < policy->planMinInstalmentMinor)
            why = "instalments below " + core::Money(policy->planMinInstalmentMinor, d.currency).toString();
        else if (today.plusDays(policy->planMaxFirstDelayDays) < in.firstDate)
            why = "first instalment more than " + std::to_string(policy->planMaxFirstDelayDays) + " days ahead";
        if (why.empty()) return activate(ctx, tx, setup, d, plan, "policy", today);
        const auto task = openTask(ctx, tx,
                                   DunningTask{d.creditorId, d.dossierId, "plan_request",
                                               "Payment plan request on dossier " + d.reference + ": decide",
                                               std::to_string(in.instalments) + " instalments from " +
                                                   in.firstDate.iso() + "; not approved automatically: " + why,
                                               2, today.iso(), "plan_request:" + std::to_string(plan.id)});
        return PlanResult{plan.id, "requested", task, why};
    });
}

PlanResult approvePlan(Context& ctx, const DunningSetup& setup, Scope scope, std::int64_t planId,
                       const std::string& approvedBy, const core::CivilDate& today) {
    return ctx.db->transaction([&](store::Tx& tx) {
        auto plan = sd::planById(tx, scope, planId);
        if (!plan) throw NotFound("no payment plan " + std::to_string(planId));
        if (plan->state != "requested") throw InputError("payment plan " + std::to_string(planId) + " is " + plan->state);
        const auto d = dossierIn(tx, scope, plan->dossierId);
        if (d.status != "active" && d.status != "promised")
            throw InputError("dossier " + d.reference + " is " + d.status + ": the plan cannot start");
        store::tasks::cancelOpen(tx, d.dossierId, "plan_request", ctx.now());
        return activate(ctx, tx, setup, d, *plan, approvedBy, today);
    });
}

void resolveDispute(Context& ctx, Scope scope, std::int64_t dossierId, const std::string& resolution) {
    ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, scope, dossierId);
        if (d.status != "disputed") throw InputError("dossier " + d.reference + " is not disputed");
        setStatus(ctx, tx, d, "active");
        event(ctx, tx, d, "dispute_resolved", "Dispute resolved: " + resolution + "; reminders resume");
    });
}

std::size_t stopDunning(Context& ctx, store::Tx& tx, std::int64_t dossierId, const std::string& reason) {
    const auto n = sd::cancelPlannedMessages(tx, dossierId, "cancelled: " + reason, ctx.now());
    sd::closeOpenPromises(tx, dossierId, "kept", ctx.now());
    if (auto plan = sd::latestPlan(tx, dossierId, {"active"}))
        sd::setPlanState(tx, plan->id, "completed", std::nullopt, ctx.now());
    return n;
}

void markPaid(Context& ctx, const DunningSetup& setup, Scope scope, std::int64_t dossierId,
              const core::CivilDate& today) {
    ctx.db->transaction([&](store::Tx& tx) {
        auto d = dossierIn(tx, scope, dossierId);
        if (d.status == "paid") return;
        const auto paid = d.openMinor;
        store::dossiers::transition(tx, d.dossierId, d.status, "paid", ctx.now(), {0, std::nullopt});
        const auto cancelled = stopDunning(ctx, tx, d.dossierId, "dossier paid");
        event(ctx, tx, d, "dossier_paid",
              "Dossier paid (" + core::Money(paid, d.currency).toString() + "); reminders stopped, " +
                  std::to_string(cancelled) + " planned message(s) cancelled");
        d.openMinor = 0;
        const auto texts = loadTexts(ctx, tx, d);
        queueDossierMail(ctx, tx, setup, texts, "thanks", dossierFields(texts, languageOf(d), today),
                         "thanks:" + std::to_string(d.dossierId), "thanks");
    });
}

}  // namespace duegate::services::dunning
