#include "gateway/services/SmsHookService.h"

#include "gateway/core/PhoneNumber.h"
#include "gateway/services/ChannelFollowUp.h"
#include "gateway/services/States.h"
#include "platform/Log.h"
#include "store/ContactRepository.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace duegate::services {
namespace {

std::string get(const FormParams& p, const std::string& k) {
    auto it = p.find(k);
    return it == p.end() ? std::string() : it->second;
}

std::string oneLine(std::string s, std::size_t n = 300) {
    for (auto& c : s)
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    if (s.size() > n) {
        std::size_t cut = n;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s = s.substr(0, cut) + "…";
    }
    return s;
}

void event(store::Tx& tx, const Context& ctx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
           const std::string& kind, const std::string& summary, const std::optional<std::string>& data = {}) {
    store::events::append(tx, store::EventRecord{0, creditorId, dossierId, ctx.now(), kind, "sms", summary, data});
}

}  // namespace

bool isStopKeyword(const std::string& body) {
    std::string s;
    for (char c : body)
        if (!std::isspace(static_cast<unsigned char>(c)) && c != '.' && c != '!')
            s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::set<std::string> words = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                                                "QUIT", "ARRET", "ARR\xc3\x8aT", "STOPPEN"};
    return words.count(s) > 0;
}

std::string applyTwilioStatus(Context& ctx, const FormParams& params) {
    const std::string sid = get(params, "MessageSid").empty() ? get(params, "SmsSid") : get(params, "MessageSid");
    std::string status = get(params, "MessageStatus").empty() ? get(params, "SmsStatus") : get(params, "MessageStatus");
    const std::string code = get(params, "ErrorCode");
    if (sid.empty()) return "unknown";
    return ctx.db->transaction([&](store::Tx& tx) -> std::string {
        auto m = store::outbox::byProviderId(tx, sid);
        if (!m || m->channel != "sms") return "unknown";
        if (status == "delivered") {
            if (!canTransition(Machine::OutboundMessage, m->state, "delivered")) return "ignored";
            store::outbox::move(tx, m->id, m->state, "delivered", std::nullopt, ctx.now());
            if (m->dossierId)
                event(tx, ctx, m->creditorId, m->dossierId, "message_delivered",
                      m->purpose + " delivered to " + m->recipient);
            return "applied";
        }
        if (status != "undelivered" && status != "failed") return "ignored";
        if (!canTransition(Machine::OutboundMessage, m->state, "failed")) return "ignored";
        const std::string reason = "twilio " + status + (code.empty() ? "" : " " + code);
        store::outbox::move(tx, m->id, m->state, "failed", reason, ctx.now());
        if (code == "21610" && m->dossierId) {
            if (auto d = store::dossiers::dossier(tx, std::nullopt, *m->dossierId))
                store::contact::setSmsOff(tx, d->debtorId, "twilio 21610", ctx.now());
        }
        const auto fallback = queueFallback(ctx, tx, *m, reason);
        if (m->dossierId)
            event(tx, ctx, m->creditorId, m->dossierId, "message_failed",
                  m->purpose + " to " + m->recipient + " " + reason + (fallback.empty() ? "" : "; fallback: " + fallback));
        return "applied";
    });
}

std::string receiveInboundSms(Context& ctx, const FormParams& params, const std::string& rawBody) {
    const auto from = core::normalizePhone(get(params, "From"));
    if (!from) return "invalid";
    const std::string body = get(params, "Body");
    const std::string sid = get(params, "MessageSid").empty() ? get(params, "SmsSid") : get(params, "MessageSid");
    const std::string sha = ctx.blobs->put(rawBody);
    return ctx.db->transaction([&](store::Tx& tx) -> std::string {
        // Candidates by the last 8 digits as written, then an exact E.164 comparison.
        std::vector<store::DebtorRecord> debtors;
        for (auto& d : store::contact::debtorsWithPhoneEnding(tx, from->substr(from->size() - 8), 1000)) {
            if (!d.phone) continue;
            auto n = core::normalizePhone(*d.phone, d.country.value_or("BE"));
            if (n && *n == *from) debtors.push_back(d);
        }
        if (debtors.empty()) {
            platform::logInfo("twilio", "inbound SMS from an unknown number, not threaded",
                              {{"from", from->substr(0, 5) + "…"}});
            return std::string("unknown");
        }
        // The raw webhook, once per creditor concerned.
        std::set<std::int64_t> creditors;
        std::map<std::int64_t, std::int64_t> itemOf;
        bool allDuplicate = true;
        for (const auto& d : debtors) {
            if (!creditors.insert(d.creditorId).second) continue;
            store::InboundItemRecord item;
            item.creditorId = d.creditorId;
            item.kind = "sms";
            item.sha256 = sha;
            item.size = static_cast<std::int64_t>(rawBody.size());
            if (!sid.empty()) item.messageId = sid;
            item.mailFrom = *from;
            item.rcptTo = get(params, "To");
            const auto ins = store::inbound::insertReceived(tx, item, ctx.now());
            itemOf[d.creditorId] = ins.id;
            if (!ins.duplicate) {
                allDuplicate = false;
                store::inbound::transition(tx, ins.id, "received", "applied", std::nullopt, ctx.now());
            }
        }
        if (allDuplicate) return std::string("duplicate");

        if (isStopKeyword(body)) {
            for (const auto& d : debtors) {
                store::contact::setSmsOff(tx, d.id, "STOP by SMS", ctx.now());
                for (const auto& dossier : store::contact::openDossiers(tx, d.id))
                    event(tx, ctx, d.creditorId, dossier.id, "contact_updated",
                          "SMS switched off: the debtor sent " + oneLine(body, 20));
            }
            return std::string("stop");
        }
        std::vector<store::DossierRecord> open;
        for (const auto& d : debtors)
            for (auto& dossier : store::contact::openDossiers(tx, d.id)) open.push_back(dossier);
        Poco::JSON::Object data;
        data.set("from", *from);
        data.set("text", oneLine(body, 1600));
        data.set("blob", sha);
        std::ostringstream js;
        data.stringify(js);
        if (open.size() == 1) {
            const auto& dossier = open.front();
            const std::string until = civilDate(ctx, static_cast<int>(ctx.settings.replyPauseDays));
            pauseDossier(ctx, tx, dossier.id, "reply", until);
            event(tx, ctx, dossier.creditorId, dossier.id, "reply_received",
                  "SMS from " + *from + ": " + oneLine(body) + "; reminders paused until " + until, js.str());
            openChannelTask(ctx, tx, dossier.creditorId, dossier.id, "reply", "SMS from " + *from, oneLine(body),
                            "reply:sms:" + std::to_string(itemOf[dossier.creditorId]), 2);
            return std::string("threaded");
        }
        // Several dossiers (or none open): a person decides, per creditor.
        for (auto c : creditors) {
            std::string refs;
            for (const auto& dossier : open)
                if (dossier.creditorId == c) refs += (refs.empty() ? "" : ", ") + dossier.reference;
            openChannelTask(ctx, tx, c, std::nullopt, "reply",
                            "SMS from " + *from + " matches " + (refs.empty() ? "no open dossier" : refs),
                            oneLine(body), "reply:sms:" + std::to_string(itemOf[c]), 2);
        }
        return std::string("ambiguous");
    });
}

}  // namespace duegate::services
