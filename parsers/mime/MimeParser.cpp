// The MIME tree walk behind parseMime (contract in MimeMessage.h).
//
// Why not mimetic's MimeEntity tree: it has no hook for bounds (recursion depth, part count), it
// copies every body into a std::string per entity, it finds boundaries anywhere in a line, and a
// missing inner boundary makes it swallow the rest of the message. Here the message is walked in
// place: every entity is a std::string_view into the input (or into a decoded buffer for encoded
// message/rfc822 parts), boundaries are only recognised at the start of a line, and each bound is
// checked where it is crossed so that the error can name the byte offset.
#include "parsers/mime/MimeMessage.h"

#include "parsers/mime/Charset.h"
#include "parsers/mime/DeliveryReport.h"
#include "parsers/mime/HeaderDecoding.h"
#include "parsers/common/Digest.h"
#include "parsers/mime/TransferDecoding.h"
#include "parsers/mime/Tnef.h"
#include "parsers/common/Utf8.h"

#include <algorithm>
#include <deque>
#include <optional>

namespace duegate::parsers::mime {
namespace {

struct Field {
    std::string name;   // lower-case
    std::string value;  // unfolded, raw (not decoded)
};

struct HeaderBlock {
    std::vector<Field> fields;
    std::string_view body;
    const std::string* find(std::string_view lname) const {
        for (const auto& f : fields)
            if (f.name == lname) return &f.value;
        return nullptr;
    }
};

struct Walker {
    const MimeLimits& limits;
    std::string_view raw;
    MimeMessage msg;
    std::size_t parts = 0;
    std::deque<std::string> arena;  // decoded message/rfc822 bodies; views into them stay valid
    std::optional<Error> error;
    std::vector<std::string_view> deliveryStatusBodies;
    std::string returnedHeadersMessageId;
    bool sawDeliveryReport = false;

    std::size_t offsetOf(std::string_view v) const {
        if (v.data() >= raw.data() && v.data() <= raw.data() + raw.size())
            return static_cast<std::size_t>(v.data() - raw.data());
        return Error::npos;
    }

    void fail(std::string_view at, std::string field, std::string message) {
        if (error) return;
        const std::size_t off = offsetOf(at);
        std::size_t line = 0;
        if (off != Error::npos) line = 1 + static_cast<std::size_t>(std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(off), '\n'));
        error = errorAt(line, off, std::move(field), std::move(message));
    }

    void warn(std::string w) {
        if (msg.warnings.size() < 100) msg.warnings.push_back(std::move(w));
    }

    // Reads the header block at the start of `entity`. `top`: skip an mbox "From " line.
    bool readHeader(std::string_view entity, bool top, HeaderBlock& hb) {
        std::size_t pos = 0;
        if (top && entity.substr(0, 5) == "From ") {
            const auto eol = entity.find('\n');
            pos = eol == std::string_view::npos ? entity.size() : eol + 1;
        }
        while (pos < entity.size()) {
            auto eol = entity.find('\n', pos);
            const std::size_t next = eol == std::string_view::npos ? entity.size() : eol + 1;
            if (eol == std::string_view::npos) eol = entity.size();
            std::string_view line = entity.substr(pos, eol - pos);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.empty()) {
                hb.body = entity.substr(next);
                return true;
            }
            if (line.front() == ' ' || line.front() == '\t') {
                if (!hb.fields.empty()) {
                    auto& v = hb.fields.back().value;
                    v.append(line);
                    if (v.size() > limits.maxHeaderLength) {
                        fail(line, "header " + hb.fields.back().name,
                             "header field longer than " + std::to_string(limits.maxHeaderLength) + " bytes");
                        return false;
                    }
                }
                pos = next;
                continue;
            }
            const auto colon = line.find(':');
            bool isField = colon != std::string_view::npos && colon > 0;
            if (isField) {
                std::string_view name = line.substr(0, colon);
                while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
                isField = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                    return static_cast<unsigned char>(c) > 32 && static_cast<unsigned char>(c) < 127;
                });
                if (isField) {
                    if (hb.fields.size() >= limits.maxHeaderFields) {
                        fail(line, "header", "more than " + std::to_string(limits.maxHeaderFields) + " header fields");
                        return false;
                    }
                    std::string_view value = line.substr(colon + 1);
                    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
                    if (value.size() > limits.maxHeaderLength) {
                        fail(line, "header " + toLowerAscii(name),
                             "header field longer than " + std::to_string(limits.maxHeaderLength) + " bytes");
                        return false;
                    }
                    hb.fields.push_back({toLowerAscii(name), std::string(value)});
                    pos = next;
                    continue;
                }
            }
            // Not a header line and no blank line before it: clients take it as the first body line.
            if (!hb.fields.empty()) warn("header ended without a blank line at byte " + std::to_string(offsetOf(line)));
            hb.body = entity.substr(pos);
            return true;
        }
        hb.body = entity.substr(entity.size());
        return true;
    }

    bool countPart(std::string_view at) {
        if (++parts > limits.maxParts) {
            fail(at, "parts", "more than " + std::to_string(limits.maxParts) + " MIME parts");
            return false;
        }
        return true;
    }

    std::string decodeTransfer(std::string_view body, const std::string& cte, std::string& uuName, const std::string& path) {
        std::string out;
        if (cte == "base64") {
            if (!decodeBase64(body, out)) warn("part " + path + ": base64 data ends in the middle of a group");
        } else if (cte == "quoted-printable") {
            decodeQuotedPrintable(body, out);
        } else if (cte == "x-uuencode" || cte == "uuencode" || cte == "x-uue") {
            if (!decodeUuencode(body, out, uuName)) warn("part " + path + ": uuencoded data without begin/end");
        } else {
            if (!cte.empty() && cte != "7bit" && cte != "8bit" && cte != "binary")
                warn("part " + path + ": unknown Content-Transfer-Encoding '" + cte + "', kept as is");
            out.assign(body);
        }
        return out;
    }

    // Walks one entity. prefix: "2/" inside an attached message; path: "" for the top of a
    // message, "1.2" below. collectBodies: text parts become the message's bodies (false inside
    // attached messages). defaultType: "message/rfc822" inside multipart/digest.
    void walk(std::string_view entity, const std::string& prefix, const std::string& path, std::size_t depth,
              bool top, long bodyOwner, bool relatedNonRoot, std::string_view defaultType) {
        if (error) return;
        if (depth > limits.maxDepth) {
            fail(entity, "depth", "MIME nesting deeper than " + std::to_string(limits.maxDepth));
            return;
        }
        if (!countPart(entity)) return;
        HeaderBlock hb;
        if (!readHeader(entity, top, hb)) return;
        if (top && prefix.empty() && hb.fields.empty()) {
            fail(entity, "header", "no header fields: not an e-mail message");
            return;
        }
        const std::string leafPath = prefix + (path.empty() ? "1" : path);
        bool unknownCharset = false;
        const std::string* ctRaw = hb.find("content-type");
        HeaderParams ct = splitHeaderParams(ctRaw ? std::string_view(*ctRaw) : defaultType);
        if (ct.value.find('/') == std::string::npos) {
            if (ctRaw && !ct.value.empty()) warn("part " + leafPath + ": bad Content-Type '" + ct.value + "', read as " + std::string(defaultType));
            ct = splitHeaderParams(defaultType);
        }
        if (top) fillTopHeaders(hb, prefix);

        if (ct.value.rfind("multipart/", 0) == 0) {
            auto boundary = headerParam(ct, "boundary");
            if (!boundary || boundary->empty()) {
                warn("part " + leafPath + ": multipart without boundary, read as text");
                ct = splitHeaderParams("text/plain");
            } else {
                walkMultipart(hb.body, *boundary, ct, prefix, path, depth, bodyOwner, leafPath);
                return;
            }
        }
        const std::string* cteRaw = hb.find("content-transfer-encoding");
        const std::string cte = cteRaw ? toLowerAscii(trimView(*cteRaw)) : std::string();

        const std::string* cdRaw = hb.find("content-disposition");
        HeaderParams cd = splitHeaderParams(cdRaw ? std::string_view(*cdRaw) : std::string_view());
        std::optional<std::string> filename = headerParam(cd, "filename", &unknownCharset);
        if (!filename) filename = headerParam(ct, "name", &unknownCharset);
        if (unknownCharset) warn("part " + leafPath + ": filename in an unknown charset, bytes kept");
        std::string uuName;

        if (ct.value == "message/rfc822" || ct.value == "message/global") {
            walkAttachedMessage(hb, ct.value, cd.value, filename ? *filename : std::string(), cte, leafPath, depth);
            return;
        }

        const bool isText = ct.value == "text/plain" || ct.value == "text/html";
        const bool explicitAttachment = cd.value == "attachment";
        if (isText && !explicitAttachment && (!filename || filename->empty()) && !relatedNonRoot) {
            std::string bytes = decodeTransfer(hb.body, cte, uuName, leafPath);
            auto charset = headerParam(ct, "charset");
            auto conv = toUtf8(bytes, charset ? *charset : std::string());
            if (!conv.known) warn("part " + leafPath + ": unknown charset '" + *charset + "', bytes kept");
            std::string& target = bodyText(bodyOwner, ct.value == "text/html");
            if (!target.empty()) target += "\n";
            target += conv.text;
            return;
        }
        if (ct.value == "message/delivery-status" || ct.value == "message/global-delivery-status") {
            std::string bytes = decodeTransfer(hb.body, cte, uuName, leafPath);
            arena.push_back(std::move(bytes));
            deliveryStatusBodies.push_back(arena.back());
            return;
        }
        if (ct.value == "text/rfc822-headers" || ct.value == "message/rfc822-headers") {
            std::string bytes = decodeTransfer(hb.body, cte, uuName, leafPath);
            arena.push_back(std::move(bytes));
            HeaderBlock returned;
            if (readHeader(arena.back(), false, returned))
                if (const auto* id = returned.find("message-id")) returnedHeadersMessageId = std::string(trimView(*id));
            return;
        }

        Attachment a;
        a.bytes = decodeTransfer(hb.body, cte, uuName, leafPath);
        a.filename = filename ? *filename : uuName;
        a.contentType = ct.value;
        a.path = leafPath;
        a.inline_ = cd.value == "inline" || (relatedNonRoot && !explicitAttachment);
        a.contentId = contentIdOf(hb);
        const bool tnefType = ct.value == "application/ms-tnef" || ct.value == "application/vnd.ms-tnef";
        if ((tnefType || toLowerAscii(a.filename) == "winmail.dat") && looksLikeTnef(a.bytes)) {
            expandTnef(a, entity);
            return;
        }
        finish(a);
    }

    static std::string contentIdOf(const HeaderBlock& hb) {
        const auto* cid = hb.find("content-id");
        if (!cid) return {};
        std::string_view v = trimView(*cid);
        if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
        return std::string(v);
    }

    // Where the text parts of the current message go: the top message or an embedded one.
    std::string& bodyText(long owner, bool html) {
        if (owner < 0) return html ? msg.htmlBody : msg.textBody;
        auto& em = msg.embeddedMessages[static_cast<std::size_t>(owner)];
        return html ? em.htmlBody : em.textBody;
    }

    void finish(Attachment& a) {
        a.size = a.bytes.size();
        a.sha256Hex = sha256Hex(a.bytes);
        msg.attachments.push_back(std::move(a));
    }

    void expandTnef(Attachment& winmail, std::string_view at) {
        const std::size_t room = parts >= limits.maxParts ? 0 : limits.maxParts - parts;
        TnefResult t = decodeTnef(winmail.bytes, room + 1);
        if (t.files.size() > room) {
            fail(at, "parts", "more than " + std::to_string(limits.maxParts) + " MIME parts (TNEF files included)");
            return;
        }
        if (!t.error.empty() || t.files.empty()) {
            warn("part " + winmail.path + ": winmail.dat " + (t.error.empty() ? std::string("holds no files") : t.error) +
                 ", kept as is");
            if (t.files.empty()) {
                finish(winmail);
                return;
            }
        }
        parts += t.files.size();
        std::size_t n = 0;
        for (auto& f : t.files) {
            Attachment a;
            a.filename = std::move(f.filename);
            a.contentType = f.mimeType.empty() ? "application/octet-stream" : toLowerAscii(f.mimeType);
            a.path = winmail.path + ":" + std::to_string(++n);
            a.bytes = std::move(f.bytes);
            finish(a);
        }
    }

    void walkMultipart(std::string_view body, const std::string& boundary, const HeaderParams& ct,
                       const std::string& prefix, const std::string& path, std::size_t depth, long bodyOwner,
                       const std::string& leafPath) {
        const std::string delim = "--" + boundary;
        std::vector<std::string_view> found;
        std::size_t partStart = std::string_view::npos;
        bool closed = false;
        std::size_t pos = 0;
        while (pos < body.size()) {
            const std::size_t hit = body.find(delim, pos);
            if (hit == std::string_view::npos) break;
            pos = hit + delim.size();
            if (hit != 0 && body[hit - 1] != '\n') continue;  // only at the start of a line
            auto eol = body.find('\n', pos);
            if (eol == std::string_view::npos) eol = body.size();
            std::string_view rest = body.substr(pos, eol - pos);
            bool closing = false;
            if (rest.substr(0, 2) == "--") { closing = true; rest.remove_prefix(2); }
            if (!trimView(rest).empty()) continue;  // "--boundaryX": a longer boundary, not ours
            if (partStart != std::string_view::npos) {
                // The line break before the delimiter belongs to the delimiter.
                std::size_t end = hit;
                if (end > partStart && body[end - 1] == '\n') --end;
                if (end > partStart && body[end - 1] == '\r') --end;
                found.push_back(body.substr(partStart, end - partStart));
            }
            if (closing) { closed = true; break; }
            partStart = eol == body.size() ? body.size() : eol + 1;
            pos = partStart;
            if (found.size() > limits.maxParts) break;
        }
        if (!closed && partStart != std::string_view::npos) {
            // Missing closing boundary: the last part runs to the end, as in mail clients.
            found.push_back(body.substr(partStart));
            warn("part " + leafPath + ": multipart without closing boundary");
        }
        if (found.empty()) {
            warn("part " + leafPath + ": multipart without boundary lines, read as text");
            std::string& target = bodyText(bodyOwner, false);
            if (!target.empty()) target += "\n";
            target += toUtf8(body, "").text;
            return;
        }
        const bool digest = ct.value == "multipart/digest";
        const bool related = ct.value == "multipart/related";
        if (ct.value == "multipart/report") {
            if (auto rt = headerParam(ct, "report-type"); rt && toLowerAscii(*rt) == "delivery-status") sawDeliveryReport = true;
        }
        // multipart/related: the root is the part named by start=, else the first part.
        std::size_t root = 0;
        if (related) {
            if (auto start = headerParam(ct, "start")) {
                for (std::size_t i = 0; i < found.size(); ++i) {
                    HeaderBlock h;
                    if (readHeader(found[i], false, h))
                        if (const auto* cid = h.find("content-id"); cid && trimView(*cid) == trimView(*start)) root = i;
                }
            }
        }
        for (std::size_t i = 0; i < found.size() && !error; ++i) {
            const std::string childPath = (path.empty() ? std::string() : path + ".") + std::to_string(i + 1);
            walk(found[i], prefix, childPath, depth + 1, false, bodyOwner, related && i != root,
                 digest ? "message/rfc822" : "text/plain");
        }
    }

    // An attached message (a forwarded mail, a bounced original): its headers and text go to
    // embeddedMessages, its own attachments to attachments ("2/1.2"). When the sender named it
    // ("original message.eml"), it is also an attachment itself, as mail clients and Python's
    // email list it: the message bytes as a user would save them (transfer encoding undone),
    // listed before its own parts.
    void walkAttachedMessage(const HeaderBlock& part, const std::string& contentType, const std::string& disposition,
                             const std::string& filename, const std::string& cte, const std::string& leafPath,
                             std::size_t depth) {
        const std::string_view body = part.body;
        std::string_view inner = body;
        if (cte == "base64" || cte == "quoted-printable") {
            // Not allowed by RFC 2046 but sent by some clients: decode, then parse.
            std::string uu;
            arena.push_back(decodeTransfer(body, cte, uu, leafPath));
            inner = arena.back();
        }
        if (!filename.empty()) {
            Attachment a;
            a.bytes.assign(inner);
            a.filename = filename;
            a.contentType = contentType;
            a.path = leafPath;
            a.inline_ = disposition == "inline";
            a.contentId = contentIdOf(part);
            a.message = true;
            finish(a);
        }
        HeaderBlock hb;
        if (!readHeader(inner, false, hb)) return;
        EmbeddedMessage em;
        em.path = leafPath;
        if (const auto* v = hb.find("message-id")) em.messageId = utf8OrWindows1252(trimView(*v));
        if (const auto* v = hb.find("from")) {
            auto list = parseAddressList(*v);
            if (!list.empty()) em.from = list.front();
        }
        if (const auto* v = hb.find("subject")) em.subject = decodeHeaderText(trimView(*v));
        if (const auto* v = hb.find("date")) em.date = utf8OrWindows1252(trimView(*v));
        msg.embeddedMessages.push_back(std::move(em));
        const long owner = static_cast<long>(msg.embeddedMessages.size() - 1);
        walk(inner, leafPath + "/", "", depth + 1, false, owner, false, "text/plain");
    }

    void fillTopHeaders(const HeaderBlock& hb, const std::string& prefix) {
        if (!prefix.empty()) return;
        if (const auto* v = hb.find("message-id")) msg.messageId = utf8OrWindows1252(trimView(*v));
        if (const auto* v = hb.find("from")) {
            auto list = parseAddressList(*v);
            if (!list.empty()) msg.from = list.front();
        }
        for (const auto& f : hb.fields) {
            if (f.name == "to") for (auto& a : parseAddressList(f.value)) msg.to.push_back(std::move(a));
            if (f.name == "cc") for (auto& a : parseAddressList(f.value)) msg.cc.push_back(std::move(a));
        }
        if (const auto* v = hb.find("reply-to")) {
            auto list = parseAddressList(*v);
            if (!list.empty()) msg.replyTo = list.front();
        }
        bool unknown = false;
        if (const auto* v = hb.find("subject")) msg.subject = decodeHeaderText(trimView(*v), &unknown);
        if (unknown) warn("subject in an unknown charset, bytes kept");
        if (const auto* v = hb.find("date")) msg.date = utf8OrWindows1252(trimView(*v));
        if (const auto* v = hb.find("in-reply-to")) msg.inReplyTo = utf8OrWindows1252(trimView(*v));
    }

    void buildDeliveryReport() {
        for (auto body : deliveryStatusBodies) {
            if (auto report = parseDeliveryStatus(body)) {
                msg.deliveryReport = std::move(*report);
                break;
            }
        }
        if (!msg.deliveryReport && (sawDeliveryReport || looksLikeBounce(msg))) {
            if (auto report = parseTextBounce(msg.textBody.empty() ? msg.htmlBody : msg.textBody)) msg.deliveryReport = std::move(*report);
        }
        if (!msg.deliveryReport) return;
        auto& r = *msg.deliveryReport;
        if (!returnedHeadersMessageId.empty()) r.originalMessageId = returnedHeadersMessageId;
        for (const auto& em : msg.embeddedMessages)
            if (!em.messageId.empty()) { r.originalMessageId = em.messageId; break; }
    }
};

// The last guard before any text of the message reaches a database or a JSON document: every
// string is valid UTF-8 without NUL (PostgreSQL refuses both). The decoders above already give
// UTF-8 (raw 8-bit header bytes are read as Windows-1252); what they let through (a NUL from an
// encoded word, raw bytes in a UTF-7 text or an address) becomes U+FFFD here. Attachment bytes
// are content, not text: left alone.
bool cleanText(std::string& s) { return makeValidUtf8(s); }

bool cleanText(Address& a) {
    const bool n = cleanText(a.name);
    return cleanText(a.address) || n;
}

bool cleanAllText(MimeMessage& m) {
    bool changed = false;
    auto c = [&](auto& v) { changed = cleanText(v) || changed; };
    c(m.messageId);
    c(m.from);
    for (auto& a : m.to) c(a);
    for (auto& a : m.cc) c(a);
    if (m.replyTo) c(*m.replyTo);
    c(m.subject);
    c(m.date);
    c(m.inReplyTo);
    c(m.textBody);
    c(m.htmlBody);
    for (auto& a : m.attachments) {
        c(a.filename);
        c(a.contentType);
        c(a.path);
        c(a.contentId);
    }
    for (auto& e : m.embeddedMessages) {
        c(e.path);
        c(e.messageId);
        c(e.from);
        c(e.subject);
        c(e.date);
        c(e.textBody);
        c(e.htmlBody);
    }
    if (m.deliveryReport) {
        auto& r = *m.deliveryReport;
        c(r.kind);
        c(r.reportingMta);
        c(r.originalMessageId);
        for (auto& p : r.recipients) {
            c(p.finalRecipient);
            c(p.originalRecipient);
            c(p.action);
            c(p.status);
            c(p.diagnostic);
        }
    }
    for (auto& w : m.warnings) c(w);
    return changed;
}

}  // namespace

Result<MimeMessage> parseMime(std::string_view raw, const MimeLimits& limits) {
    if (raw.size() > limits.maxBytes)
        return errorAtOffset(limits.maxBytes, "message", "larger than " + std::to_string(limits.maxBytes) + " bytes");
    if (raw.empty()) return errorAtOffset(0, "message", "empty input");
    Walker w{limits, raw, {}, 0, {}, std::nullopt, {}, {}, false};
    try {
        w.walk(raw, "", "", 0, true, -1, false, "text/plain");
        if (w.error) return *w.error;
        w.buildDeliveryReport();
        if (cleanAllText(w.msg)) w.warn("text with bytes that are not UTF-8 (or NUL) read with U+FFFD in their place");
    } catch (const std::bad_alloc&) {
        return errorAtOffset(0, "message", "out of memory while parsing");
    }
    return std::move(w.msg);
}

}  // namespace duegate::parsers::mime
