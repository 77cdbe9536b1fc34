#include "gateway/services/dunning/DunningRun.h"

#include "gateway/core/ContactWindow.h"
#include "gateway/core/Planner.h"
#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/dunning/DossierFacts.h"
#include "gateway/services/dunning/DossierMessages.h"
#include "gateway/services/dunning/DunningTasks.h"
#include "gateway/services/dunning/MessageFields.h"
#include "gateway/services/payments/PaymentService.h"
#include "store/ChargeRepository.h"
#include "parsers/common/JsonWriter.h"
#include "platform/Log.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/Time.h"

#include <iostream>
#include <map>

namespace duegate::services::dunning {
namespace {

namespace sd = store::dunning;

struct CreditorInfo {
    store::CreditorRecord record;
    std::optional<std::string> enterpriseNumber;
    bool awaiting = false;
};

bool isOpenStatus(const std::string& s) { return s == "active" || s == "promised" || s == "plan"; }

std::string postalAddress(const sd::Candidate& d) {
    std::string out = d.debtorName + "\n" + d.debtorStreet.value_or("") + "\n" + d.debtorPostcode.value_or("") + " " +
                      d.debtorCity.value_or("");
    if (d.debtorCountry && !d.debtorCountry->empty()) out += "\n" + *d.debtorCountry;
    return out;
}

std::optional<std::string> recipientFor(core::Channel c, const sd::Candidate& d) {
    switch (c) {
        case core::Channel::Email:
            if (d.debtorEmail && !d.debtorEmail->empty()) return d.debtorEmail;
            return std::nullopt;
        case core::Channel::Sms:
            if (d.debtorPhone && !d.debtorPhone->empty()) return d.debtorPhone;
            return std::nullopt;
        case core::Channel::Letter:
            if (d.debtorStreet && d.debtorCity) return postalAddress(d);
            return std::nullopt;
        case core::Channel::Call: return std::nullopt;
    }
    return std::nullopt;
}

// The template for a channel: SMS prefers "<name>.sms", then a subject-less "<name>", then the
// generic "sms_reminder"; e-mail and letters use "<name>".
parsers::Result<core::RenderedText> renderFor(const core::TemplateSet& set, core::Language l, core::Channel c,
                                              const std::string& name, const core::TemplateData& data) {
    if (c == core::Channel::Sms) {
        // GSM-7 where possible (two segments of 153, not 67): a plain space for the no-break space
        // between an amount and "€" ("€" itself is in GSM-7's extension table).
        core::TemplateData sms = data;
        for (auto& [k, v] : sms.values)
            for (std::size_t p; (p = v.find("\xC2\xA0")) != std::string::npos;) v.replace(p, 2, " ");
        if (set.find(l, name + ".sms")) return core::renderMessage(set, l, name + ".sms", sms);
        if (auto t = set.find(l, name); t && t->rfind("Subject:", 0) != 0) return core::renderMessage(set, l, name, sms);
        return core::renderMessage(set, l, "sms_reminder", sms);
    }
    return core::renderMessage(set, l, name, data);
}

core::CivilDate nextContactDay(const core::Policy& p, core::Country country, core::CivilDate d) {
    const auto w = core::contactWindowOf(p);
    for (int i = 0; i < 30 && !core::isContactDay(w, country, d); ++i) d = d.plusDays(1);
    return d;
}

std::string chargeLabel(core::Regime r, core::Language l) {
    const bool nl = l == core::Language::Nl, fr = l == core::Language::Fr;
    switch (r) {
        case core::Regime::BeB2c: return nl ? "Schadebeding" : fr ? "Clause indemnitaire" : "Agreed damages";
        case core::Regime::NlB2c:
            return nl ? "Buitengerechtelijke incassokosten" : fr ? "Frais de recouvrement extrajudiciaires"
                                                                 : "Extrajudicial collection costs";
        case core::Regime::BeB2b:
        case core::Regime::NlB2b: return nl ? "Forfaitaire vergoeding" : fr ? "Indemnité forfaitaire" : "Fixed compensation";
    }
    return "Costs";
}

struct TaskShape {
    std::string kind, title;
    int priority = 2;
};

TaskShape taskShapeFor(const std::string& key, const std::string& reference) {
    if (key.rfind("call:promise-broken:", 0) == 0)
        return {"promise_broken", "Promise broken on dossier " + reference + ": call the debtor", 1};
    if (key.rfind("call:instalment-missed:", 0) == 0)
        return {"instalment_missed", "Instalment missed on dossier " + reference + ": call the debtor", 1};
    if (key.rfind("call:no-channel:", 0) == 0)
        return {"bounce", "No working channel left for dossier " + reference + ": find new contact details", 2};
    if (key.rfind("call:no-reaction:", 0) == 0)
        return {"call", "No reaction on dossier " + reference + ": call the debtor", 2};
    return {"call", "Call the debtor of dossier " + reference, 2};
}

class Runner {
public:
    Runner(Context& ctx, const DunningSetup& setup, const core::CivilDate& today, std::ostream* log)
        : _ctx(ctx), _setup(setup), _today(today), _log(log) {}

    RunStats run() {
        RunStats stats;
        stats.date = _today;
        std::int64_t after = 0;
        for (;;) {
            const auto page = _ctx.db->transaction([&](store::Tx& tx) {
                auto candidates = sd::openPage(tx, after, _setup.pageSize);
                for (const auto& c : candidates) creditor(tx, c.creditorId);
                return loadFacts(tx, std::move(candidates), after, _today);
            });
            if (page.empty()) break;
            for (const auto& f : page) one(f, stats);
            after = page.back().dossier.dossierId;
        }
        return stats;
    }

private:
    const CreditorInfo& creditor(store::Tx& tx, std::int64_t id) {
        auto it = _creditors.find(id);
        if (it != _creditors.end()) return it->second;
        CreditorInfo info;
        if (auto c = store::creditors::byId(tx, id)) info.record = *c;
        info.enterpriseNumber = sd::enterpriseNumber(tx, id);
        info.awaiting = awaitingMatch(tx, id);
        return _creditors.emplace(id, std::move(info)).first->second;
    }

    void one(const DossierFacts& f, RunStats& stats) {
        ++stats.dossiers;
        const auto& d = f.dossier;
        const auto& cred = _creditors.at(d.creditorId);
        if (cred.awaiting || f.paused) {
            ++stats.paused;
            return;
        }
        const core::Policy* policy = choosePolicy(_setup, f, cred.record.policy);
        if (!policy) {
            ++stats.waiting;
            return;
        }
        const auto state = stateOf(f, *policy, _today);
        auto actions = core::plan(state, *policy, _today);
        const auto instalment = dueInstalment(f, *policy);
        bool work = instalment.has_value();
        for (const auto& a : actions) work = work || a.kind == core::ActionKind::Send || a.kind == core::ActionKind::CallTask;
        if (!work) {
            const bool paused = (state.promise && state.promise->status == core::Promise::Status::Open) ||
                                !state.paymentPlan.empty();
            ++(paused ? stats.paused : stats.waiting);
            return;
        }
        try {
            _ctx.db->transaction([&](store::Tx& tx) {
                // The dossier may have moved since the page was read (paid, disputed, another run).
                auto now = store::dossiers::dossier(tx, std::nullopt, d.dossierId);
                if (!now || !isOpenStatus(now->status)) return;
                std::size_t queued = 0, tasks = 0;
                if (instalment) queued += instalmentReminder(tx, f, *policy, *instalment);
                for (const auto& a : actions) {
                    if (a.kind == core::ActionKind::Send) queued += send(tx, f, *policy, a, state);
                    else if (a.kind == core::ActionKind::CallTask) tasks += callTask(tx, f, *policy, a, *now);
                }
                stats.queued += queued;
                stats.tasks += tasks;
                if (queued + tasks == 0) ++stats.waiting;
            });
        } catch (const std::exception& e) {
            ++stats.failed;
            if (_log) *_log << "duegate: dunning: dossier " << d.dossierId << ": " << e.what() << "\n";
            else platform::logError("dunning", "dossier left for the next run",
                                    {{"dossier", std::to_string(d.dossierId)}, {"error", e.what()}});
        }
    }

    std::optional<store::dunning::InstalmentRow> dueInstalment(const DossierFacts& f, const core::Policy& policy) const {
        if (!f.plan) return std::nullopt;
        std::int64_t paid = f.plan->openAtStartMinor - f.dossier.openMinor, cumulative = 0;
        for (const auto& i : f.plan->instalments) {
            cumulative += i.amountMinor;
            if (paid >= cumulative) continue;
            auto due = core::CivilDate::parseIso(i.dueDate);
            if (!due) return std::nullopt;
            const std::string key = "instalment:" + std::to_string(i.seq) + ":" + i.dueDate;
            for (const auto& s : f.steps)
                if (s.step == key) return std::nullopt;
            if (_today < due->plusDays(-policy.instalmentReminderDays) || *due < _today) return std::nullopt;
            return i;
        }
        return std::nullopt;
    }

    DossierTexts texts(store::Tx& tx, const DossierFacts& f) { return loadTexts(_ctx, tx, f.dossier); }

    std::size_t queueOn(store::Tx& tx, const DossierFacts& f, const core::Policy& policy, core::Channel c,
                        const std::string& templateName, const core::TemplateData& data, const std::string& key,
                        const std::string& purpose, const std::vector<MessageAmount>& amounts = {}) {
        const auto& d = f.dossier;
        const auto recipient = recipientFor(c, d);
        if (!recipient) return 0;
        const auto lang = languageOf(d);
        const auto set = templatesFor(_setup, d.creditorId);
        auto text = renderFor(set, lang, c, templateName, data);
        if (!text) throw std::runtime_error("template: " + text.error().toString() + " (" + text.error().context + ")");
        QueuedMessage m;
        m.creditorId = d.creditorId;
        m.dossierId = d.dossierId;
        m.dedupeKey = "dunning:" + std::to_string(d.dossierId) + ":" + key + ":" + std::string(core::channelName(c));
        m.channel = std::string(core::channelName(c));
        m.purpose = purpose;
        m.recipient = *recipient;
        m.subject = text->subject;
        m.body = text->body;
        if (c == core::Channel::Letter) m.amounts = amounts;  // the letter's amounts table
        const auto notBefore =
            notBeforeFor(c, policy, core::regimeCountry(regimeOf(d)), _setup.zone, _ctx.clock->now().epochTime());
        return queueMessage(_ctx, tx, m, notBefore) ? 1 : 0;
    }

    std::size_t send(store::Tx& tx, const DossierFacts& f, const core::Policy& policy, const core::Action& a,
                     const core::DossierState& state) {
        const auto& d = f.dossier;
        sd::StepRow row;
        row.dossierId = d.dossierId;
        row.step = a.key;
        row.policy = policy.name;
        row.effect = std::string(core::legalEffectName(a.effect));
        row.runDate = _today.iso();
        row.channels = joinChannels(a.channels);
        if (a.term) row.termLastDay = a.term->lastDay.iso();
        if (!sd::insertStep(tx, d.creditorId, row, _ctx.now())) return 0;  // done by another run

        const auto t = texts(tx, f);
        const auto lang = languageOf(d);
        auto data = dossierFields(t, lang, _today);
        std::optional<core::CivilDate> previous;
        for (const auto& h : state.history)
            if (h.key.rfind("call:", 0) != 0 && (!previous || *previous < h.date)) previous = h.date;
        addStepFields(data, t, lang, a, previous);
        // What a cost step claims, for the letter's amounts table (the same figure as its text).
        std::vector<MessageAmount> amounts;
        const auto costs = claimableCosts(d, a);
        if (costs) amounts.push_back(MessageAmount{chargeLabel(state.regime, lang), *costs, a.maxCharge->basis});
        std::size_t queued = 0;
        for (auto c : a.channels)
            queued += queueOn(tx, f, policy, c, a.templateName, data, a.key, "reminder", amounts);

        // The costs the step claimed are owed from now on: part of the open amount, imputed first
        // by every later payment (store/ChargeRepository.h, core/PaymentAllocation.h).
        if (costs)
            store::charges::claim(tx, store::charges::ChargeRecord{0, d.creditorId, d.dossierId, "costs",
                                                                   costs->minor(), d.currency, a.key,
                                                                   a.maxCharge->basis, _ctx.now()});

        parsers::JsonWriter w(0);
        w.beginObject().field("step", a.key).field("policy", policy.name).field("effect", row.effect);
        w.field("channels", row.channels).field("language", std::string(core::languageCode(lang)));
        if (a.term) w.field("term_first_day", a.term->firstDay.iso()).field("term_last_day", a.term->lastDay.iso());
        if (a.maxCharge) w.field("max_charge", a.maxCharge->amount.toDecimal()).field("basis", a.maxCharge->basis);
        if (costs) w.field("costs_claimed", costs->toDecimal());
        w.endObject();
        std::string summary = "Step " + a.key + " of policy " + policy.name + " sent by " + row.channels;
        if (a.term) summary += "; legal term ends " + a.term->lastDay.iso();
        summary += " (" + a.reason + ")";
        store::events::append(tx, store::EventRecord{0, d.creditorId, d.dossierId, _ctx.now(), "dunning_step",
                                                     row.channels, summary, w.str()});
        return queued;
    }

    std::size_t callTask(store::Tx& tx, const DossierFacts& f, const core::Policy& policy, const core::Action& a,
                         const store::DossierRecord& now) {
        const auto& d = f.dossier;
        sd::StepRow row;
        row.dossierId = d.dossierId;
        row.step = a.key;
        row.policy = policy.name;
        row.effect = "task";
        row.runDate = _today.iso();
        if (!sd::insertStep(tx, d.creditorId, row, _ctx.now())) return 0;
        const auto shape = taskShapeFor(a.key, d.reference);
        std::string details = a.reason;
        if (!a.templateName.empty()) {
            const auto lang = languageOf(d);
            const auto t = texts(tx, f);
            if (auto script = core::renderMessage(templatesFor(_setup, d.creditorId), lang, a.templateName,
                                                  dossierFields(t, lang, _today)))
                details = script->body + "\n" + a.reason;
        }
        const auto due = nextContactDay(policy, core::regimeCountry(regimeOf(d)), _today);
        const auto id = openTask(_ctx, tx,
                                 DunningTask{d.creditorId, d.dossierId, shape.kind, shape.title, details, shape.priority,
                                             due.iso(), "dunning:" + std::to_string(d.dossierId) + ":" + a.key});
        // A broken promise or a missed instalment ends the pause: the policy resumes.
        if (a.key.rfind("call:promise-broken:", 0) == 0) {
            sd::closeOpenPromises(tx, d.dossierId, "broken", _ctx.now());
            if (now.status == "promised") store::dossiers::transition(tx, d.dossierId, "promised", "active", _ctx.now());
        } else if (a.key.rfind("call:instalment-missed:", 0) == 0 && f.plan) {
            sd::setPlanState(tx, f.plan->id, "broken", std::nullopt, _ctx.now());
            if (now.status == "plan") store::dossiers::transition(tx, d.dossierId, "plan", "active", _ctx.now());
            store::events::append(tx, store::EventRecord{0, d.creditorId, d.dossierId, _ctx.now(), "plan_broken",
                                                         std::nullopt, a.reason + "; the payment plan ends and the "
                                                         "policy resumes", std::nullopt});
        }
        return id ? 1 : 0;
    }

    std::size_t instalmentReminder(store::Tx& tx, const DossierFacts& f, const core::Policy& policy,
                                   const store::dunning::InstalmentRow& i) {
        const auto& d = f.dossier;
        const std::string key = "instalment:" + std::to_string(i.seq) + ":" + i.dueDate;
        core::Channel c = core::Channel::Email;
        if (!recipientFor(c, d)) c = recipientFor(core::Channel::Sms, d) ? core::Channel::Sms : core::Channel::Letter;
        sd::StepRow row{d.dossierId, key, policy.name, "none", _today.iso(), std::string(core::channelName(c)), {}, {}};
        if (!sd::insertStep(tx, d.creditorId, row, _ctx.now())) return 0;
        const auto t = texts(tx, f);
        const auto lang = languageOf(d);
        auto data = dossierFields(t, lang, _today);
        data.values["instalment_seq"] = std::to_string(i.seq);
        data.values["instalment_count"] = std::to_string(f.plan->instalments.size());
        data.values["instalment_amount"] = core::formatAmount(lang, core::Money(i.amountMinor, d.currency));
        if (auto due = core::CivilDate::parseIso(i.dueDate)) data.values["instalment_due"] = core::formatDate(lang, *due);
        return queueOn(tx, f, policy, c, "instalment_reminder", data, key, "instalment_reminder");
    }

    Context& _ctx;
    const DunningSetup& _setup;
    core::CivilDate _today;
    std::ostream* _log;
    std::map<std::int64_t, CreditorInfo> _creditors;
};

}  // namespace

bool awaitingMatch(store::Tx& tx, std::int64_t creditorId) {
    // Match before chase (DESIGN.md rule 6): a creditor whose own account, or the agency's account,
    // has statement lines the matcher has not seen yet waits for the matcher (payments service).
    return payments::hasUnmatchedWork(tx, creditorId);
}

std::string notBeforeFor(core::Channel channel, const core::Policy& policy, core::Country country, core::TimeZone zone,
                         std::int64_t nowUnix) {
    std::int64_t t = nowUnix;
    if (channel == core::Channel::Sms || channel == core::Channel::Call)
        t = core::nextContactInstant(core::contactWindowOf(policy), country, zone, t);
    return store::formatInstant(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(t)));
}

RunStats runDunning(Context& ctx, const DunningSetup& setup, const core::CivilDate& today, std::ostream* log) {
    return Runner(ctx, setup, today, log).run();
}

}  // namespace duegate::services::dunning
