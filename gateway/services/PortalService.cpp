#include "gateway/services/PortalService.h"

#include "gateway/services/DebtorActions.h"
#include "gateway/services/States.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "gateway/services/dunning/NextActions.h"
#include "gateway/services/dunning/Pauses.h"
#include "parsers/common/JsonWriter.h"
#include "store/CreditorPortalRepository.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"

#include <algorithm>
#include <map>
#include <set>

namespace duegate::services {
namespace {

using parsers::CivilDate;

void requireStaff(const Principal& who) {
    if (!who.staff()) throw Forbidden("case managers only");
}

std::string mondayOf(const CivilDate& d) { return d.plusDays(-(d.weekday() - 1)).iso(); }

std::string clip(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n); }

}  // namespace

Dashboard dashboard(Context& ctx, const Principal& who) {
    const auto today = debtorToday(ctx);
    return ctx.db->read([&](store::Tx& tx) {
        Dashboard d;
        d.byStatus = store::portal_reads::statusTotals(tx, who.creditorId);
        // overdue <= 30 days <=> due on or after today - 30, and so on (text dates compare as dates).
        const auto buckets = store::portal_reads::ageing(
            tx, who.creditorId, d.currency,
            {today.plusDays(-30).iso(), today.plusDays(-60).iso(), today.plusDays(-90).iso()});
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            d.ageingMinor[i] = buckets[i].openMinor;
            d.ageingCount[i] = buckets[i].dossiers;
        }
        const CivilDate firstMonday = *CivilDate::parseIso(mondayOf(today.plusDays(-7 * 7)));
        std::map<std::string, std::int64_t> weeks;
        for (int i = 0; i < 8; ++i) weeks[firstMonday.plusDays(7 * i).iso()] = 0;
        for (const auto& p : store::portal_reads::paidPerDay(tx, who.creditorId, d.currency, firstMonday.iso()))
            if (auto day = CivilDate::parseIso(p.day)) weeks[mondayOf(*day)] += p.paidMinor;
        for (const auto& [monday, minor] : weeks) d.collectedPerWeek.push_back(Dashboard::Week{monday, minor});
        std::int64_t open = 0;
        for (const auto& t : d.byStatus)
            if (t.currency == d.currency) open += t.openMinor;
        const auto invoiced = store::portal_reads::invoicedSince(tx, who.creditorId, today.plusDays(-90).iso(), d.currency);
        if (invoiced > 0) d.dsoDays = open * 90 / invoiced;
        return d;
    });
}

std::vector<store::portal_reads::DossierRow> searchDossiers(Context& ctx, const Principal& who,
                                                            const store::portal_reads::Search& search) {
    return ctx.db->read([&](store::Tx& tx) { return store::portal_reads::search(tx, who.creditorId, search); });
}

std::optional<SessionSearch> searchDossiersOfSession(Context& ctx, const std::string& cookieValue,
                                                     const store::portal_reads::Search& search) {
    if (cookieValue.size() != 64) return std::nullopt;  // no query for a missing or malformed cookie
    SessionCheck check;
    auto found = ctx.db->read([&](store::Tx& tx) -> std::optional<SessionSearch> {
        auto session = sessionIn(ctx, tx, cookieValue, check);
        if (!session) return std::nullopt;
        auto rows = store::portal_reads::search(tx, session->principal.creditorId, search);
        return SessionSearch{std::move(*session), std::move(rows)};
    });
    if (found) finishSessionCheck(ctx, check);
    return found;
}

std::optional<Workspace> workspace(Context& ctx, const Principal& who, std::int64_t dossierId) {
    auto ws = ctx.db->read([&](store::Tx& tx) -> std::optional<Workspace> {
        auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
        if (!d) return std::nullopt;
        Workspace w;
        auto& s = w.detail.summary;
        s.dossier = *d;
        s.debtor = store::dossiers::debtor(tx, d->creditorId, d->debtorId).value_or(store::DebtorRecord{});
        s.invoices = store::dossiers::invoices(tx, d->id);
        if (auto c = store::creditors::byId(tx, d->creditorId)) s.creditorName = c->name;
        w.detail.events = store::events::forDossier(tx, d->creditorId, d->id);
        w.detail.messages = store::outbox::forDossier(tx, d->id);
        store::tasks::Filter f;
        f.state.reset();
        f.dossierId = d->id;
        w.tasks = store::tasks::list(tx, d->creditorId, f);
        w.disputes = store::debtor_actions::disputes(tx, d->creditorId, d->id);
        w.acceptance = store::debtor_actions::acceptance(tx, d->creditorId, d->id);
        std::set<std::int64_t> docIds;
        for (const auto& inv : s.invoices)
            for (auto id : {inv.documentId, inv.renderingDocumentId})
                if (id) docIds.insert(*id);
        for (const auto& dispute : w.disputes)
            if (dispute.documentId) docIds.insert(*dispute.documentId);
        // Terms and conditions and other files given with a dossier made by form (CreditorForms.h).
        for (auto id : store::creditor_portal::dossierDocumentIds(tx, d->creditorId, d->id)) docIds.insert(id);
        for (auto id : docIds)
            if (auto doc = store::dossiers::document(tx, d->creditorId, id)) w.documents.push_back(*doc);
        if (d->caseManagerId) w.caseManager = store::users::byId(tx, *d->caseManagerId);
        w.plan = store::dunning::latestPlan(tx, d->id, {"requested", "active"});
        for (const auto& t : w.tasks)
            if (t.state == "open") w.nextActions.push_back(Workspace::Next{t.dueDate, t.kind + ": " + t.title});
        for (const auto& m : w.detail.messages)
            if (m.state == "planned")
                w.nextActions.push_back(Workspace::Next{m.nextAttemptAt.substr(0, 10), m.purpose + " (" + m.channel +
                                                                                           ") to " + m.recipient});
        return w;
    });
    if (!ws) return ws;
    // The dunning engine's plan from today: the next steps and the legal terms they open.
    for (const auto& a : dunning::nextActions(ctx, who.creditorId, dossierId, 5)) {
        std::string what = a.kind;
        std::string via;
        for (auto c : a.channels) via += (via.empty() ? "" : ", ") + std::string(core::channelName(c));
        if (!via.empty()) what += " (" + via + ")";
        if (a.termLastDay) what += "; legal term until " + a.termLastDay->iso();
        if (!a.reason.empty()) what += ": " + a.reason;
        ws->nextActions.push_back(Workspace::Next{a.date.iso(), what});
    }
    std::stable_sort(ws->nextActions.begin(), ws->nextActions.end(),
                     [](const auto& a, const auto& b) { return a.date < b.date; });
    return ws;
}

std::optional<DocumentBytes> dossierDocument(Context& ctx, const Principal& who, std::int64_t dossierId,
                                             std::int64_t documentId) {
    auto ws = workspace(ctx, who, dossierId);
    if (!ws) return std::nullopt;
    for (const auto& doc : ws->documents) {
        if (doc.id != documentId) continue;
        auto bytes = ctx.blobs->get(doc.sha256);
        if (!bytes) return std::nullopt;
        return DocumentBytes{doc, std::move(*bytes)};
    }
    return std::nullopt;
}

std::vector<TaskRow> taskList(Context& ctx, const Principal& who, const TaskQuery& q) {
    requireStaff(who);
    const std::string today = debtorToday(ctx).iso();
    return ctx.db->read([&](store::Tx& tx) {
        store::tasks::Filter f;
        if (q.includeClosed) f.state.reset();
        f.kind = q.kind;
        if (q.mine) f.assigneeId = who.userId.value_or(-1);
        f.limit = 500;
        std::map<std::int64_t, std::string> creditorNames;
        for (const auto& c : store::creditors::all(tx)) creditorNames[c.id] = c.name;
        std::vector<TaskRow> rows;
        for (auto& t : store::tasks::list(tx, q.creditorId, f)) {
            TaskRow r;
            r.overdue = t.state == "open" && t.dueDate < today;
            r.dueToday = t.state == "open" && t.dueDate == today;
            r.creditorName = creditorNames[t.creditorId];
            r.task = std::move(t);
            rows.push_back(std::move(r));
        }
        // Overdue first, then today, then the rest; within each by due date, priority and id.
        std::stable_sort(rows.begin(), rows.end(), [](const TaskRow& a, const TaskRow& b) {
            auto rank = [](const TaskRow& r) { return r.overdue ? 0 : r.dueToday ? 1 : 2; };
            return rank(a) < rank(b);
        });
        return rows;
    });
}

std::vector<store::CreditorRecord> creditorsForStaff(Context& ctx, const Principal& who) {
    requireStaff(who);
    return ctx.db->read([&](store::Tx& tx) { return store::creditors::all(tx); });
}

void closeTask(Context& ctx, const Principal& who, std::int64_t taskId) {
    requireStaff(who);
    ctx.db->transaction([&](store::Tx& tx) {
        if (!store::tasks::close(tx, std::nullopt, taskId, "done", who.userId, ctx.now()))
            throw NotFound("no open task " + std::to_string(taskId));
    });
}

void logCall(Context& ctx, const Principal& who, std::int64_t dossierId, const CallInput& call) {
    requireStaff(who);
    if (call.subject.empty() || call.subject.size() > 200) throw InputError("subject: 1 to 200 characters");
    if (call.outcome.empty() || call.outcome.size() > 4000) throw InputError("outcome: 1 to 4000 characters");
    if (call.nextStep.size() > 1000) throw InputError("next step: at most 1000 characters");
    std::optional<CivilDate> promise;
    if (!call.promiseDate.empty()) {
        const auto today = debtorToday(ctx);
        promise = CivilDate::parseIso(call.promiseDate);
        if (!promise || *promise < today || *promise > today.plusDays(DebtorPolicy{}.maxPromiseDays))
            throw InputError("promise date: expected a day from today to " +
                             today.plusDays(DebtorPolicy{}.maxPromiseDays).iso());
    }
    ctx.db->transaction([&](store::Tx& tx) {
        auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
        if (!d) throw NotFound("no dossier " + std::to_string(dossierId));
        parsers::JsonWriter w;
        w.beginObject().field("subject", call.subject).field("outcome", call.outcome).field("next_step", call.nextStep);
        w.field("promise_date", call.promiseDate).field("user", who.userId).endObject();
        std::string summary = "Call by " + who.displayName + ": " + clip(call.subject, 200) + " - " +
                              clip(call.outcome, 400);
        if (!call.nextStep.empty()) summary += "; next: " + clip(call.nextStep, 200);
        store::events::append(tx, store::EventRecord{0, d->creditorId, d->id, ctx.now(), "call_logged", "phone",
                                                     summary, w.str()});
        if (promise) {
            if (d->status == "active") {
                store::dossiers::transition(tx, d->id, "active", "promised", ctx.now());
            }
            parsers::JsonWriter p;
            p.beginObject().field("date", promise->iso()).field("source", std::string("phone")).endObject();
            store::events::append(tx, store::EventRecord{0, d->creditorId, d->id, ctx.now(), "promise_recorded",
                                                         "phone", "Promise to pay by " + promise->iso() +
                                                                      " taken on the phone by " + who.displayName,
                                                         p.str()});
        }
        if (call.taskId) store::tasks::close(tx, d->creditorId, *call.taskId, "done", who.userId, ctx.now());
    });
}

void approveRequestedPlan(Context& ctx, const Principal& who, std::int64_t dossierId) {
    requireStaff(who);
    const auto plan = ctx.db->transaction([&](store::Tx& tx) -> std::optional<store::dunning::PlanRow> {
        if (!store::dossiers::dossier(tx, who.creditorId, dossierId)) return std::nullopt;
        return store::dunning::latestPlan(tx, dossierId, {"requested"});
    });
    if (!plan) throw NotFound("no requested plan on dossier " + std::to_string(dossierId));
    dunning::approvePlan(ctx, dunning::setupOf(ctx), who.creditorId, plan->id, who.displayName, debtorToday(ctx));
}

void resolveDisputes(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& resolution) {
    requireStaff(who);
    if (resolution.empty() || resolution.size() > 2000) throw InputError("resolution: 1 to 2000 characters");
    const bool disputed = ctx.db->transaction([&](store::Tx& tx) {
        auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
        if (!d) throw NotFound("no dossier " + std::to_string(dossierId));
        const auto n = store::debtor_actions::resolveOpenDisputes(tx, d->creditorId, d->id, ctx.now());
        store::tasks::cancelOpen(tx, d->id, "dispute", ctx.now());
        store::tasks::cancelOpen(tx, d->id, "review", ctx.now());
        if (d->status != "disputed" && n == 0) throw InputError("dossier " + d->reference + " has no open dispute");
        if (d->status != "disputed")
            store::events::append(tx, store::EventRecord{0, d->creditorId, d->id, ctx.now(), "dispute_resolved", "web",
                                                         "Dispute resolved by " + who.displayName + ": " + resolution,
                                                         std::nullopt});
        return d->status == "disputed";
    });
    if (disputed) dunning::resolveDispute(ctx, who.creditorId, dossierId, resolution + " (" + who.displayName + ")");
}

}  // namespace duegate::services
