#include "parsers/mime/MimeJson.h"

#include "parsers/common/JsonWriter.h"

namespace duegate::parsers::mime {
namespace {

void address(JsonWriter& w, const Address& a) {
    w.beginObject().field("name", a.name).field("address", a.address).endObject();
}

void addressList(JsonWriter& w, std::string_view key, const std::vector<Address>& list) {
    w.key(key).beginArray();
    for (const auto& a : list) address(w, a);
    w.endArray();
}

}  // namespace

std::string toJson(const MimeMessage& m) {
    JsonWriter w;
    w.beginObject();
    w.field("format", "eml");
    w.field("message_id", m.messageId);
    w.field("date", m.date);
    w.key("from");
    address(w, m.from);
    addressList(w, "to", m.to);
    addressList(w, "cc", m.cc);
    w.key("reply_to");
    if (m.replyTo) address(w, *m.replyTo);
    else w.null();
    w.field("subject", m.subject);
    w.field("in_reply_to", m.inReplyTo);
    w.field("text_body", m.textBody);
    w.field("html_body", m.htmlBody);
    w.key("attachments").beginArray();
    for (const auto& a : m.attachments) {
        w.beginObject()
            .field("path", a.path)
            .field("filename", a.filename)
            .field("content_type", a.contentType)
            .field("size", static_cast<std::int64_t>(a.size))
            .field("sha256", a.sha256Hex)
            .field("inline", a.inline_)
            .field("content_id", a.contentId)
            .endObject();
    }
    w.endArray();
    w.key("embedded_messages").beginArray();
    for (const auto& e : m.embeddedMessages) {
        w.beginObject().field("path", e.path).field("message_id", e.messageId);
        w.key("from");
        address(w, e.from);
        w.field("subject", e.subject).field("date", e.date).field("text_body", e.textBody).field("html_body", e.htmlBody).endObject();
    }
    w.endArray();
    w.key("delivery_report");
    if (m.deliveryReport) {
        const auto& r = *m.deliveryReport;
        w.beginObject()
            .field("kind", r.kind)
            .field("reporting_mta", r.reportingMta)
            .field("original_message_id", r.originalMessageId);
        w.key("recipients").beginArray();
        for (const auto& p : r.recipients) {
            w.beginObject()
                .field("final_recipient", p.finalRecipient)
                .field("original_recipient", p.originalRecipient)
                .field("action", p.action)
                .field("status", p.status)
                .field("diagnostic", p.diagnostic)
                .endObject();
        }
        w.endArray().endObject();
    } else {
        w.null();
    }
    w.key("warnings").beginArray();
    for (const auto& s : m.warnings) w.value(s);
    w.endArray();
    w.endObject();
    return w.str();
}

}  // namespace duegate::parsers::mime
