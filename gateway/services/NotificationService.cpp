#include "gateway/services/NotificationService.h"

#include "gateway/core/templates/TemplateRenderer.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "store/CreditorPortalRepository.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"

#include <algorithm>

namespace duegate::services {
namespace {

namespace cp = store::creditor_portal;

struct Topic {
    const char* eventKind;
    const char* topic;
};
constexpr Topic kTopics[] = {{"payment_matched", "payment"},
                             {"dispute_opened", "dispute"},
                             {"reply_received", "reply"},
                             {"creditor_question", "question"},
                             {"payout_made", "payout"}};
constexpr std::int64_t kLookback = 50;

std::int64_t creditorOf(const Principal& who) {
    if (!who.creditorId || !who.userId) throw NotFound("notification settings belong to a creditor user");
    return *who.creditorId;
}

// The user's own language for their mails; English when they chose none.
core::Language mailLanguage(const std::string& chosen) {
    return core::parseLanguage(chosen).value_or(core::Language::En);
}

// <lang>/creditor_notification or <lang>/creditor_digest (config/templates, the creditor's
// overrides first), so these mails speak the user's language like every page of the portal.
core::RenderedText render(Context& ctx, std::int64_t creditorId, core::Language lang, const char* name,
                          const core::TemplateData& data) {
    auto text = core::renderMessage(dunning::templatesFor(dunning::setupOf(ctx), creditorId), lang, name, data);
    if (!text) throw std::runtime_error("template: " + text.error().toString() + " (" + text.error().context + ")");
    return *text;
}

}  // namespace

std::string notificationLanguage(Context& ctx, const Principal& who) {
    creditorOf(who);
    return ctx.db->read([&](store::Tx& tx) { return cp::userLanguage(tx, *who.userId); });
}

void saveNotificationLanguage(Context& ctx, const Principal& who, const std::string& language) {
    const auto creditorId = creditorOf(who);
    if (language != "nl" && language != "fr" && language != "en") throw InputError("language: nl, fr or en");
    ctx.db->transaction([&](store::Tx& tx) {
        if (cp::userLanguage(tx, *who.userId) == language) return;
        cp::setUserLanguage(tx, *who.userId, language);
        store::events::append(tx, store::EventRecord{0, creditorId, std::nullopt, ctx.now(), "notification_settings_changed",
                                                     std::nullopt,
                                                     "Mail language of " + who.displayName + ": " + language,
                                                     std::nullopt});
    });
}

const std::vector<std::string>& notificationTopics() {
    static const std::vector<std::string> t{"payment", "dispute", "reply", "question", "payout"};
    return t;
}

const std::vector<std::string>& notificationModes() {
    static const std::vector<std::string> m{"immediate", "digest", "never"};
    return m;
}

std::map<std::string, std::string> notificationSettings(Context& ctx, const Principal& who) {
    const auto creditorId = creditorOf(who);
    return ctx.db->read([&](store::Tx& tx) { return cp::notificationModes(tx, creditorId, *who.userId); });
}

void saveNotificationSettings(Context& ctx, const Principal& who, const std::map<std::string, std::string>& modes) {
    const auto creditorId = creditorOf(who);
    for (const auto& [topic, mode] : modes) {
        const auto& topics = notificationTopics();
        if (std::find(topics.begin(), topics.end(), topic) == topics.end())
            throw InputError(topic.substr(0, 40) + ": not a notification topic");
        const auto& ms = notificationModes();
        if (std::find(ms.begin(), ms.end(), mode) == ms.end()) throw InputError(topic + ": not immediate, digest or never");
    }
    ctx.db->transaction([&](store::Tx& tx) {
        std::string summary;
        for (const auto& [topic, mode] : modes) {
            cp::setNotificationMode(tx, creditorId, *who.userId, topic, mode, ctx.now());
            summary += (summary.empty() ? "" : ", ") + topic + " " + mode;
        }
        store::events::append(tx, store::EventRecord{0, creditorId, std::nullopt, ctx.now(), "notification_settings_changed",
                                                     std::nullopt,
                                                     "Notification settings of " + who.displayName + ": " + summary,
                                                     std::nullopt});
    });
}

NotifyStats notifyPass(Context& ctx, std::size_t batch) {
    return ctx.db->transaction([&](store::Tx& tx) {
        NotifyStats stats;
        const auto cursor = cp::cursor(tx, "notifications").value_or(0);
        const auto floor = std::max<std::int64_t>(cp::cursor(tx, "notifications:start").value_or(0), cursor - kLookback);
        std::vector<std::string> kinds;
        for (const auto& t : kTopics) kinds.push_back(t.eventKind);
        // The newest event id, read before the scan (so the scan sees every event up to it, on
        // PostgreSQL too): when the scan returns less than a batch, nothing up to it is left to do
        // and the cursor moves there, even past events of other kinds. Otherwise a store whose
        // recent events are all of other kinds (an import: 300,000 of them) is scanned from the
        // same old cursor on every pass, each second, for nothing.
        const auto newest = cp::maxEventId(tx);
        const auto events = cp::eventsAfter(tx, std::max<std::int64_t>(0, floor), kinds, batch);
        std::int64_t last = cursor;
        std::map<std::int64_t, std::vector<cp::CreditorUser>> usersOf;
        for (const auto& e : events) {
            last = std::max(last, e.id);
            const Topic* topic = nullptr;
            for (const auto& t : kTopics)
                if (e.kind == t.eventKind) topic = &t;
            if (!topic) continue;
            auto it = usersOf.find(e.creditorId);
            if (it == usersOf.end()) it = usersOf.emplace(e.creditorId, cp::usersOf(tx, e.creditorId)).first;
            core::TemplateData data;
            data.values["summary"] = e.summary;
            data.values["agency_name"] = ctx.settings.agencyName;
            data.flags[std::string("topic_") + topic->topic] = true;
            std::string where;
            if (e.dossierId)
                if (auto d = store::dossiers::dossier(tx, e.creditorId, *e.dossierId)) {
                    data.flags["has_dossier"] = true;
                    data.values["dossier_reference"] = d->reference;
                    data.values["dossier_url"] = ctx.settings.baseUrl + "/dossiers/" + std::to_string(d->id);
                    where = " (" + d->reference + ": " + data.values["dossier_url"] + ")";
                }
            for (const auto& u : it->second) {
                const auto mode = cp::notificationModes(tx, e.creditorId, u.id)[topic->topic];
                if (mode == "immediate") {
                    data.values["user_name"] = u.name;
                    const auto text = render(ctx, e.creditorId, mailLanguage(u.language), "creditor_notification", data);
                    if (queueMessage(ctx, tx,
                                     QueuedMessage{e.creditorId, std::nullopt,
                                                   "notify:" + std::to_string(u.id) + ":" + std::to_string(e.id), "email",
                                                   "creditor_notification", u.email, text.subject, text.body}))
                        ++stats.immediate;
                } else if (mode == "digest") {
                    if (cp::addDigestItem(tx, cp::DigestItem{0, e.creditorId, u.id, e.id, topic->topic, e.summary + where,
                                                             ctx.now()}))
                        ++stats.digested;
                }
            }
        }
        if (events.size() < batch) last = std::max(last, newest);
        if (last != cursor) cp::setCursor(tx, "notifications", last, ctx.now());
        return stats;
    });
}

std::size_t sendDigests(Context& ctx, const std::string& day) {
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto items = cp::pendingDigest(tx, 5000);
        std::size_t sent = 0;
        for (std::size_t i = 0; i < items.size();) {
            std::size_t j = i;
            core::TemplateData data;
            while (j < items.size() && items[j].userId == items[i].userId) {
                data.lists["items"].push_back({{"topic_" + items[j].topic, "1"}, {"summary", items[j].summary}});
                ++j;
            }
            const auto user = store::users::byId(tx, items[i].userId);
            if (user) {
                data.values["user_name"] = user->name;
                data.values["day"] = day;
                data.values["agency_name"] = ctx.settings.agencyName;
                const auto text = render(ctx, items[i].creditorId, mailLanguage(cp::userLanguage(tx, user->id)),
                                         "creditor_digest", data);
                if (queueMessage(ctx, tx,
                                 QueuedMessage{items[i].creditorId, std::nullopt,
                                               "digest:" + std::to_string(items[i].userId) + ":" + day + ":" +
                                                   std::to_string(items[j - 1].id),
                                               "email", "creditor_digest", user->email, text.subject, text.body}))
                    ++sent;
            }
            cp::markDigestSent(tx, items[i].userId, items[j - 1].id, day);
            i = j;
        }
        return sent;
    });
}

}  // namespace duegate::services
