#include "gateway/services/NotificationService.h"

#include "gateway/services/OutboxService.h"
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
    const char* subject;
};
constexpr Topic kTopics[] = {{"payment_matched", "payment", "Payment received"},
                             {"dispute_opened", "dispute", "A debtor disputes"},
                             {"reply_received", "reply", "A debtor replied"},
                             {"creditor_question", "question", "A question from your case manager"},
                             {"payout_made", "payout", "Payout made"}};
constexpr std::int64_t kLookback = 50;

std::int64_t creditorOf(const Principal& who) {
    if (!who.creditorId || !who.userId) throw NotFound("notification settings belong to a creditor user");
    return *who.creditorId;
}

}  // namespace

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
            std::string where;
            if (e.dossierId)
                if (auto d = store::dossiers::dossier(tx, e.creditorId, *e.dossierId))
                    where = "Dossier " + d->reference + ": " + ctx.settings.baseUrl + "/dossiers/" + std::to_string(d->id) + "\n";
            for (const auto& u : it->second) {
                const auto mode = cp::notificationModes(tx, e.creditorId, u.id)[topic->topic];
                if (mode == "immediate") {
                    if (queueMessage(ctx, tx,
                                     QueuedMessage{e.creditorId, std::nullopt,
                                                   "notify:" + std::to_string(u.id) + ":" + std::to_string(e.id), "email",
                                                   "creditor_notification", u.email, topic->subject,
                                                   "Hello " + u.name + ",\n\n" + e.summary + "\n" + where +
                                                       "\nYou get this mail at once; change it under Notifications in "
                                                       "the portal.\n\n" + ctx.settings.agencyName + "\n"}))
                        ++stats.immediate;
                } else if (mode == "digest") {
                    if (cp::addDigestItem(tx, cp::DigestItem{0, e.creditorId, u.id, e.id, topic->topic,
                                                             e.summary + (where.empty() ? "" : " (" + where.substr(0, where.size() - 1) + ")"),
                                                             ctx.now()}))
                        ++stats.digested;
                }
            }
        }
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
            std::string lines;
            while (j < items.size() && items[j].userId == items[i].userId) {
                lines += "- [" + items[j].topic + "] " + items[j].summary + "\n";
                ++j;
            }
            const auto user = store::users::byId(tx, items[i].userId);
            if (user)
                if (queueMessage(ctx, tx,
                                 QueuedMessage{items[i].creditorId, std::nullopt,
                                               "digest:" + std::to_string(items[i].userId) + ":" + day + ":" +
                                                   std::to_string(items[j - 1].id),
                                               "email", "creditor_digest", user->email, "Your daily summary (" + day + ")",
                                               "Hello " + user->name + ",\n\nSince the last summary:\n\n" + lines +
                                                   "\nChange what you get under Notifications in the portal.\n\n" +
                                                   ctx.settings.agencyName + "\n"}))
                    ++sent;
            cp::markDigestSent(tx, items[i].userId, items[j - 1].id, day);
            i = j;
        }
        return sent;
    });
}

}  // namespace duegate::services
