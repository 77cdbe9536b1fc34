#include "gateway/services/StaffService.h"

#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/Secrets.h"
#include "gateway/services/States.h"
#include "gateway/services/DebtorActions.h"
#include "gateway/services/dunning/DossierMessages.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "gateway/services/dunning/MessageFields.h"
#include "gateway/services/dunning/Pauses.h"
#include "parsers/common/JsonWriter.h"
#include "gateway/core/templates/LocaleFormat.h"
#include "store/ChargeRepository.h"
#include "store/CreditorRepository.h"
#include "store/DebtorActionRepository.h"
#include "store/DossierRepository.h"
#include "store/DunningRepository.h"
#include "store/StaffRepository.h"
#include "store/TaskRepository.h"

namespace duegate::services {
namespace {

void requireStaff(const Principal& who) {
    if (!who.staff()) throw Forbidden("case managers only");
}

std::string clip(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n) + "..."; }

store::DossierRecord dossierIn(store::Tx& tx, const Principal& who, std::int64_t dossierId) {
    auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
    if (!d) throw NotFound("no dossier " + std::to_string(dossierId));
    return *d;
}

void event(Context& ctx, store::Tx& tx, const store::DossierRecord& d, const std::string& kind,
           const std::optional<std::string>& channel, const std::string& summary, const std::string& data) {
    store::events::append(tx, store::EventRecord{0, d.creditorId, d.id, ctx.now(), kind, channel, summary, data});
}

// Printable text without control characters other than newline and tab.
bool cleanText(const std::string& s, bool multiline) {
    for (unsigned char c : s) {
        if (c == '\n' || c == '\t' || (multiline && c == '\r')) {
            if (!multiline && c == '\n') return false;
            continue;
        }
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

struct Closing {
    const char* outcome;
    const char* status;
    const char* label;
};
constexpr Closing kClosings[] = {{"paid", "paid", "paid"},
                                 {"written_off", "closed", "written off"},
                                 {"lawyer", "legal", "handed to a lawyer"}};

}  // namespace

std::vector<store::UserRecord> caseManagers(Context& ctx, const Principal& who) {
    requireStaff(who);
    return ctx.db->transaction([&](store::Tx& tx) { return store::staff::activeStaff(tx); });
}

void assignDossier(Context& ctx, const Principal& who, std::int64_t dossierId, std::optional<std::int64_t> userId) {
    requireStaff(who);
    ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, who, dossierId);
        std::string name = "nobody";
        if (userId) {
            const auto u = store::staff::user(tx, std::nullopt, *userId);
            if (!u || u->user.role != "staff" || u->disabledAt)
                throw InputError("case manager: no active staff user " + std::to_string(*userId));
            name = u->user.name + " <" + u->user.email + ">";
        }
        if (d.caseManagerId == userId) return;
        store::staff::assignDossier(tx, std::nullopt, d.id, userId);
        parsers::JsonWriter w;
        w.beginObject().field("case_manager", userId).field("previous", d.caseManagerId).field("user", who.userId);
        w.endObject();
        event(ctx, tx, d, "dossier_assigned", std::nullopt,
              "Dossier assigned to " + name + " by " + who.displayName + "; open tasks follow", w.str());
    });
}

void refuseRequestedPlan(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& reason) {
    requireStaff(who);
    if (reason.empty() || reason.size() > 2000 || !cleanText(reason, true))
        throw InputError("reason: 1 to 2000 characters");
    const auto& setup = dunning::setupOf(ctx);
    const auto today = debtorToday(ctx);
    ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, who, dossierId);
        const auto plan = store::dunning::latestPlan(tx, d.id, {"requested"});
        if (!plan) throw NotFound("no requested plan on dossier " + std::to_string(dossierId));
        store::dunning::setPlanState(tx, plan->id, "refused", std::nullopt, ctx.now());
        store::tasks::cancelOpen(tx, d.id, "plan_request", ctx.now());
        parsers::JsonWriter w;
        w.beginObject().field("plan", plan->id).field("reason", reason).field("user", who.userId).endObject();
        event(ctx, tx, d, "plan_refused", std::nullopt,
              "Payment plan of " + std::to_string(plan->instalmentCount) + " instalments refused by " +
                  who.displayName + ": " + clip(reason, 400) + "; reminders go on",
              w.str());
        const auto candidate = store::dunning::candidate(tx, std::nullopt, d.id);
        if (!candidate) return;
        const auto texts = dunning::loadTexts(ctx, tx, *candidate);
        auto data = dunning::dossierFields(texts, dunning::languageOf(*candidate), today);
        data.values["refusal_reason"] = reason;
        data.values["instalment_count"] = std::to_string(plan->instalmentCount);
        dunning::queueDossierMail(ctx, tx, setup, texts, "plan_refused", data,
                                  "plan_refused:" + std::to_string(plan->id), "plan_refused");
    });
}

std::int64_t writeMessage(Context& ctx, const Principal& who, std::int64_t dossierId, const WrittenMessage& m) {
    requireStaff(who);
    if (m.to != "debtor" && m.to != "creditor") throw InputError("to: debtor or creditor");
    if (m.subject.empty() || m.subject.size() > 200 || !cleanText(m.subject, false))
        throw InputError("subject: 1 to 200 characters on one line");
    if (m.body.empty() || m.body.size() > 10000 || !cleanText(m.body, true))
        throw InputError("message: 1 to 10000 characters");
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, who, dossierId);
        std::optional<std::string> address;
        if (m.to == "debtor") {
            if (auto debtor = store::dossiers::debtor(tx, d.creditorId, d.debtorId)) address = debtor->email;
        } else if (auto c = store::creditors::byId(tx, d.creditorId)) {
            address = c->email;
        }
        if (!address || address->empty()) throw InputError("to: the " + m.to + " has no e-mail address");
        QueuedMessage q;
        q.creditorId = d.creditorId;
        q.dossierId = d.id;
        q.dedupeKey = "staff_message:" + std::to_string(d.id) + ":" + randomHex(8);
        q.purpose = "staff_message";
        q.recipient = *address;
        q.subject = m.subject;
        q.body = m.body;
        const auto id = queueMessage(ctx, tx, q);
        if (!id) throw std::logic_error("staff message dedupe key collided");
        parsers::JsonWriter w;
        w.beginObject().field("outbound_message_id", *id).field("to", m.to).field("subject", m.subject);
        w.field("body", m.body).field("user", who.userId).endObject();
        event(ctx, tx, d, "message_written", "email",
              "Message from " + who.displayName + " to the " + m.to + " (" + *address + "): " + m.subject + " - " +
                  clip(m.body, 2000),
              w.str());
        // The creditor's portal users hear of it by their notification settings (NotificationService).
        if (m.to == "creditor")
            event(ctx, tx, d, "creditor_question", "email", "A question from " + who.displayName + ": " + m.subject,
                  w.str());
        return *id;
    });
}

namespace {

// The end of a dossier, inside the caller's transaction: `to` along the transition table from the
// status read, planned messages cancelled, promises and plans ended, links revoked, open tasks
// cancelled, `dossier_closed` naming who and why.
void closeIn(Context& ctx, store::Tx& tx, const Principal& who, const store::DossierRecord& d, const Closing& closing,
             std::int64_t openAfter, const std::string& reason) {
    if (!canTransition(Machine::Dossier, d.status, closing.status))
        throw InputError("dossier " + d.reference + " is " + d.status + ": it cannot become " + closing.status);
    try {
        store::dossiers::transition(tx, d.id, d.status, closing.status, ctx.now(), {openAfter, std::nullopt});
    } catch (const store::StaleState&) {
        throw InputError("dossier " + d.reference + " changed meanwhile: try again");
    }
    const auto cancelled = dunning::stopDunning(ctx, tx, d.id, "dossier closed");
    const auto links = revokeLinks(ctx, tx, d.id);
    const auto tasks = store::staff::cancelOpenTasks(tx, d.id, ctx.now());
    parsers::JsonWriter w;
    w.beginObject().field("outcome", std::string(closing.outcome)).field("from", d.status);
    w.field("to", std::string(closing.status)).field("reason", reason).field("user", who.userId).endObject();
    event(ctx, tx, d, "dossier_closed", std::nullopt,
          "Dossier closed (" + std::string(closing.label) + ") by " + who.displayName + ": " + clip(reason, 400) + "; " +
              std::to_string(cancelled) + " planned message(s) cancelled, " + std::to_string(links) +
              " link(s) revoked, " + std::to_string(tasks) + " task(s) cancelled",
          w.str());
}

void checkReason(const std::string& reason, const char* what) {
    if (reason.empty() || reason.size() > 2000 || !cleanText(reason, true))
        throw InputError(std::string(what) + ": 1 to 2000 characters");
}

}  // namespace

void closeDossier(Context& ctx, const Principal& who, std::int64_t dossierId, const std::string& outcome,
                  const std::string& reason) {
    requireStaff(who);
    const Closing* closing = nullptr;
    for (const auto& c : kClosings)
        if (outcome == c.outcome) closing = &c;
    if (!closing) throw InputError("outcome: paid, written_off or lawyer");
    checkReason(reason, "reason");
    ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, who, dossierId);
        closeIn(ctx, tx, who, d, *closing, outcome == "paid" ? 0 : d.openMinor, reason);
    });
}

void settleDispute(Context& ctx, const Principal& who, std::int64_t dossierId, const DisputeResolution& r) {
    requireStaff(who);
    if (r.how == "resume") return resolveDisputes(ctx, who, dossierId, r.text);
    if (r.how != "credit" && r.how != "close") throw InputError("resolution: resume, credit or close");
    checkReason(r.text, r.how == "credit" ? "credit reason" : "reason");
    const auto& setup = dunning::setupOf(ctx);
    const auto today = debtorToday(ctx);
    ctx.db->transaction([&](store::Tx& tx) {
        const auto d = dossierIn(tx, who, dossierId);
        const auto disputes = store::debtor_actions::resolveOpenDisputes(tx, d.creditorId, d.id, ctx.now());
        if (d.status != "disputed" && disputes == 0) throw InputError("dossier " + d.reference + " has no open dispute");
        store::tasks::cancelOpen(tx, d.id, "dispute", ctx.now());
        store::tasks::cancelOpen(tx, d.id, "review", ctx.now());
        if (r.how == "close") {
            closeIn(ctx, tx, who, d, kClosings[1], d.openMinor, "dispute: " + r.text);
            return;
        }
        const auto before = store::dunning::candidate(tx, std::nullopt, d.id);
        const std::int64_t principal = before ? before->openMinor - before->chargesOwedMinor : 0;
        if (r.creditMinor <= 0 || r.creditMinor > principal)
            throw InputError("credit: 0.01 up to " + core::Money(std::max<std::int64_t>(principal, 0), d.currency).toString() +
                             ", the principal still open");
        const store::charges::CreditRecord credit{0, d.creditorId, d.id, r.creditMinor, d.currency, r.text, who.userId,
                                                  ctx.now()};
        if (!store::charges::grantCredit(tx, credit, d.status))
            throw InputError("dossier " + d.reference + " changed meanwhile: try again");
        const bool settled = r.creditMinor == principal;
        const core::Money amount(r.creditMinor, d.currency);
        const core::Money rest(d.openMinor - r.creditMinor, d.currency);
        parsers::JsonWriter w;
        w.beginObject().field("credit_minor", r.creditMinor).field("currency", d.currency).field("reason", r.text);
        w.field("open_minor", settled ? std::int64_t{0} : rest.minor()).field("user", who.userId).endObject();
        event(ctx, tx, d, "credit_granted", std::nullopt,
              "Credit of " + amount.toString() + " granted by " + who.displayName + ": " + clip(r.text, 400) +
                  (settled ? std::string("; nothing remains on the principal: the dossier is closed")
                           : "; " + rest.toString() + " still open, reminders resume"),
              w.str());
        if (settled) {
            auto now = d;
            now.openMinor -= r.creditMinor;
            closeIn(ctx, tx, who, now, Closing{"credited", "closed", "credited in full"}, 0, "dispute: " + r.text);
        } else if (d.status == "disputed") {
            store::dossiers::transition(tx, d.id, "disputed", "active", ctx.now());
            parsers::JsonWriter rw;
            rw.beginObject().field("resolution", std::string("credit")).field("user", who.userId).endObject();
            event(ctx, tx, d, "dispute_resolved", std::nullopt,
                  "Dispute resolved with a credit by " + who.displayName + ": " + clip(r.text, 400) + "; reminders resume",
                  rw.str());
        }
        // The debtor is told after the close (closing cancels what is planned); a settled mail
        // names no link, and the link its rendering mints is revoked with the others.
        if (auto after = store::dunning::candidate(tx, std::nullopt, d.id)) {
            const auto texts = dunning::loadTexts(ctx, tx, *after);
            const auto lang = dunning::languageOf(*after);
            auto data = dunning::dossierFields(texts, lang, today);
            data.values["credit_amount"] = core::formatAmount(lang, amount);
            data.values["credit_reason"] = r.text;
            data.flags["settled"] = settled;
            dunning::queueDossierMail(ctx, tx, setup, texts, "credit_granted", data,
                                      "credit:" + std::to_string(d.id) + ":" + randomHex(8), "credit_granted");
            if (settled) revokeLinks(ctx, tx, d.id);
        }
    });
}

std::optional<std::string> closedDossierLanguage(Context& ctx, const std::string& token) {
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<std::string> {
        const auto scope = resolveRevokedLink(ctx, tx, token);
        if (!scope) return std::nullopt;
        const auto d = store::dossiers::dossier(tx, scope->creditorId, scope->dossierId);
        if (!d || (d->status != "closed" && d->status != "paid" && d->status != "legal")) return std::nullopt;
        if (d->language) return d->language;
        const auto debtor = store::dossiers::debtor(tx, d->creditorId, d->debtorId);
        return debtor && debtor->language ? *debtor->language : std::string();
    });
}

}  // namespace duegate::services
