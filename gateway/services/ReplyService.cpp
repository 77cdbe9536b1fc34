#include "gateway/services/ReplyService.h"

#include "gateway/services/ChannelFollowUp.h"
#include "gateway/services/IntakeService.h"
#include "gateway/services/ReplyAddress.h"
#include "gateway/services/States.h"
#include "parsers/mime/DeliveryReport.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

namespace duegate::services {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string json(const Poco::JSON::Object& o) {
    std::ostringstream s;
    o.stringify(s);
    return s.str();
}

// At most n bytes, cut at a UTF-8 boundary.
std::string excerpt(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "…";
}

std::string oneLine(std::string s) {
    for (auto& c : s)
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
    return excerpt(s, 200);
}

// The first words of the reply for the one-line timeline (the whole text is in the event data
// and the raw mail in the blob store): without quoted lines of the reminder it answers.
std::string quote(const std::string& text) {
    std::string own;
    std::size_t pos = 0;
    while (pos < text.size() && own.size() < 300) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        if (!line.empty() && line[0] == '>') continue;
        if (line.rfind("On ", 0) == 0 && line.find("wrote") != std::string::npos) break;
        own += (own.empty() ? "" : " ") + line;
    }
    own = oneLine(own);
    while (!own.empty() && own.back() == ' ') own.pop_back();
    return own.empty() ? std::string() : " \xe2\x80\x94 \"" + excerpt(own, 160) + "\"";
}

}  // namespace

std::optional<std::int64_t> replyTarget(Context& ctx, const std::string& address) {
    const auto id = parseReplyAddress(ctx.settings.linkSecret, ctx.settings.replyDomain, address);
    if (!id) return std::nullopt;
    const bool exists =
        ctx.db->read([&](store::Tx& tx) { return store::outbox::byId(tx, *id).has_value(); });
    return exists ? id : std::nullopt;
}

ReplyKind classifyReply(const parsers::mime::MimeMessage& msg, std::string_view raw, const std::string& mailFrom) {
    if (msg.deliveryReport) {
        bool failed = false, delayed = false;
        for (const auto& r : msg.deliveryReport->recipients) {
            const auto action = lower(r.action);
            if (action == "failed" || (action.empty() && r.status.rfind("5.", 0) == 0)) failed = true;
            if (action == "delayed" || r.status.rfind("4.", 0) == 0) delayed = true;
        }
        if (failed || (!delayed && msg.deliveryReport->recipients.empty())) return ReplyKind::Bounce;
        if (delayed) return ReplyKind::Delay;
        if (mailFrom.empty()) return ReplyKind::Bounce;  // "delivered"/"relayed" reports are not replies either
    }
    if (mailFrom.empty() && parsers::mime::looksLikeBounce(msg)) return ReplyKind::Bounce;
    const auto autoSubmitted = lower(rawHeaderValue(raw, "Auto-Submitted"));
    if (!autoSubmitted.empty() && autoSubmitted != "no") return ReplyKind::AutoReply;
    if (!rawHeaderValue(raw, "X-Autoreply").empty() || !rawHeaderValue(raw, "X-Autorespond").empty())
        return ReplyKind::AutoReply;
    const auto precedence = lower(rawHeaderValue(raw, "Precedence"));
    if (precedence == "auto_reply" || precedence == "bulk" || precedence == "junk" || precedence == "list")
        return ReplyKind::AutoReply;
    const auto subject = lower(msg.subject);
    for (const char* p : {"out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
                          "auto-reply", "automatisch antwoord", "afwezig", "afwezigheid", "réponse automatique",
                          "reponse automatique", "absence", "abwesenheit", "automatische antwort", "vacation"})
        if (subject.find(p) != std::string::npos) return ReplyKind::AutoReply;
    return ReplyKind::Reply;
}

ReplyOutcome receiveReply(Context& ctx, std::int64_t messageId, const std::string& mailFrom, const std::string& rcpt,
                          std::string_view raw, const std::string& remoteAddress) {
    ReplyOutcome out;
    const std::string sha = ctx.blobs->put(raw);  // durable before the row that points at it
    auto parsed = parsers::mime::parseMime(raw);
    parsers::mime::MimeMessage msg;
    if (parsed) msg = parsed.value();
    out.kind = classifyReply(msg, raw, mailFrom);
    // Attachments are kept as blobs before the transaction (content-addressed, idempotent).
    std::vector<std::string> attachmentShas;
    if (out.kind == ReplyKind::Reply)
        for (const auto& a : msg.attachments) attachmentShas.push_back(ctx.blobs->put(a.bytes));

    ctx.db->transaction([&](store::Tx& tx) {
        auto m = store::outbox::byId(tx, messageId);
        if (!m) throw NotFound("outbound message " + std::to_string(messageId));
        store::InboundItemRecord item;
        item.creditorId = m->creditorId;
        item.kind = "mail";
        item.sha256 = sha;
        item.size = static_cast<std::int64_t>(raw.size());
        std::string mid = rawHeaderValue(raw, "Message-ID");
        if (mid.size() > 998) mid.resize(998);
        if (!mid.empty()) item.messageId = mid;
        item.mailFrom = mailFrom;
        item.rcptTo = rcpt;
        item.remoteAddress = remoteAddress;
        const auto inserted = store::inbound::insertReceived(tx, item, ctx.now());
        out.itemId = inserted.id;
        if (inserted.duplicate) {
            out.duplicate = true;
            return;
        }
        requireTransition(Machine::InboundItem, "received", "applied");
        store::inbound::transition(tx, inserted.id, "received", "applied", std::nullopt, ctx.now());

        const std::string from = msg.from.address.empty() ? mailFrom : msg.from.address;
        Poco::JSON::Object data;
        data.set("item", inserted.id);
        data.set("blob", sha);
        data.set("message", messageId);
        data.set("from", from);
        data.set("subject", msg.subject);

        if (out.kind == ReplyKind::Bounce || out.kind == ReplyKind::Delay) {
            std::string status, diagnostic;
            if (msg.deliveryReport && !msg.deliveryReport->recipients.empty()) {
                status = msg.deliveryReport->recipients.front().status;
                diagnostic = msg.deliveryReport->recipients.front().diagnostic;
            }
            data.set("status", status);
            data.set("diagnostic", oneLine(diagnostic));
            if (out.kind == ReplyKind::Delay) {
                if (m->dossierId)
                    store::events::append(tx, store::EventRecord{0, m->creditorId, m->dossierId, ctx.now(),
                                                                 "message_delayed", m->channel,
                                                                 m->purpose + " to " + m->recipient + " delayed " +
                                                                     status,
                                                                 json(data)});
                return;
            }
            const std::string reason = "bounced " + status + (diagnostic.empty() ? "" : ": " + oneLine(diagnostic));
            if (canTransition(Machine::OutboundMessage, m->state, "bounced"))
                store::outbox::move(tx, m->id, m->state, "bounced", reason, ctx.now());
            out.fallback = queueFallback(ctx, tx, *m, reason);
            data.set("fallback", out.fallback);
            if (m->dossierId)
                store::events::append(tx, store::EventRecord{0, m->creditorId, m->dossierId, ctx.now(),
                                                             "message_bounced", m->channel,
                                                             m->purpose + " to " + m->recipient + " " + reason +
                                                                 (out.fallback.empty() ? ""
                                                                                       : "; fallback: " + out.fallback),
                                                             json(data)});
            return;
        }

        if (!m->dossierId) return;
        if (out.kind == ReplyKind::AutoReply) {
            data.set("auto", true);
            store::events::append(tx, store::EventRecord{0, m->creditorId, m->dossierId, ctx.now(), "reply_received",
                                                         "email",
                                                         "automatic reply from " + from + ": " + oneLine(msg.subject),
                                                         json(data)});
            return;
        }
        data.set("auto", false);
        data.set("text", excerpt(msg.textBody.empty() ? msg.htmlBody : msg.textBody, 8000));
        Poco::JSON::Array files;
        for (std::size_t i = 0; i < msg.attachments.size(); ++i) {
            const auto& a = msg.attachments[i];
            store::DocumentRecord doc;
            doc.creditorId = m->creditorId;
            doc.sha256 = attachmentShas[i];
            doc.size = static_cast<std::int64_t>(a.bytes.size());
            doc.contentType = a.contentType.empty() ? "application/octet-stream" : a.contentType;
            doc.filename = a.filename.empty() ? "attachment-" + std::to_string(i + 1) : a.filename;
            const auto docId = store::dossiers::upsertDocument(tx, doc, ctx.now());
            Poco::JSON::Object f;
            f.set("document", docId);
            f.set("filename", doc.filename);
            f.set("content_type", doc.contentType);
            f.set("size", doc.size);
            files.add(f);
        }
        data.set("attachments", files);
        const std::string until = civilDate(ctx, static_cast<int>(ctx.settings.replyPauseDays));
        pauseDossier(ctx, tx, *m->dossierId, "reply", until);
        data.set("paused_until", until);
        store::events::append(tx, store::EventRecord{0, m->creditorId, m->dossierId, ctx.now(), "reply_received",
                                                     "email",
                                                     "reply from " + from + ": " + oneLine(msg.subject) +
                                                         quote(msg.textBody) +
                                                         (msg.attachments.empty()
                                                              ? ""
                                                              : " (" + std::to_string(msg.attachments.size()) +
                                                                    " attachments)") +
                                                         "; reminders paused until " + until,
                                                     json(data)});
        openChannelTask(ctx, tx, m->creditorId, m->dossierId, "reply", "Reply from " + from + ": " + oneLine(msg.subject),
                        excerpt(oneLine(msg.textBody), 300), "reply:item:" + std::to_string(inserted.id), 2);
    });
    return out;
}

}  // namespace duegate::services
