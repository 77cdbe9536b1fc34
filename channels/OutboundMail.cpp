#include "channels/OutboundMail.h"

#include "parsers/common/Text.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/UUIDGenerator.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <sstream>
#include <stdexcept>

namespace duegate::channels {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr std::size_t kFold = 78;   // RFC 5322 2.1.1: lines SHOULD be <= 78 characters

bool isPlainAscii(std::string_view s) {
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e) return false;
    }
    return true;
}

// CR, LF and other controls inside a header value become spaces: no header injection.
std::string flatten(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

using parsers::iequals;

// Base64 by Poco, lines of `lineLength` characters ended by CRLF, the last one too (0: one line,
// no CRLF), as RFC 2045 bodies and RFC 2047 encoded words need.
std::string base64(std::string_view in, std::size_t lineLength) {
    std::ostringstream out;
    {
        Poco::Base64Encoder enc(out);
        enc.rdbuf()->setLineLength(static_cast<int>(lineLength));
        enc.write(in.data(), static_cast<std::streamsize>(in.size()));
        enc.close();
    }
    std::string s = std::move(out).str();
    if (lineLength && !s.empty() && (s.size() < 2 || s.compare(s.size() - 2, 2, "\r\n") != 0)) s += "\r\n";
    return s;
}

// Length of the UTF-8 sequence starting with byte c (1 for invalid lead bytes, so we always advance).
std::size_t utf8Length(unsigned char c) {
    if (c >= 0xf0 && c < 0xf8) return 4;
    if (c >= 0xe0) return c < 0xf0 ? 3 : 1;
    if (c >= 0xc0) return 2;
    return 1;
}

// "Name: value" folded at spaces so lines stay near 78 characters where the value allows it.
std::string headerLine(std::string_view name, std::string_view value) {
    std::string out(name);
    out += ": ";
    std::size_t lineStart = 0;
    std::size_t i = 0;
    while (i < value.size()) {
        auto sp = value.find(' ', i + 1);
        if (sp == std::string_view::npos) sp = value.size();
        auto word = value.substr(i, sp - i);   // includes its leading space, except the first
        if (out.size() - lineStart + word.size() > kFold && i > 0 && word.front() == ' ') {
            out += "\r\n";
            lineStart = out.size();
        }
        out += word;
        i = sp;
    }
    out += "\r\n";
    return out;
}

struct Mailbox {
    std::string name;
    std::string address;
};

Mailbox parseMailbox(std::string_view s) {
    Mailbox m;
    auto lt = s.rfind('<');
    auto gt = s.rfind('>');
    if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
        m.address = trim(s.substr(lt + 1, gt - lt - 1));
        m.name = trim(s.substr(0, lt));
        if (m.name.size() >= 2 && m.name.front() == '"' && m.name.back() == '"') {
            std::string unq;
            for (std::size_t i = 1; i + 1 < m.name.size(); ++i) {
                if (m.name[i] == '\\' && i + 2 < m.name.size()) ++i;
                unq += m.name[i];
            }
            m.name = unq;
        }
    } else {
        m.address = trim(s);
    }
    return m;
}

std::string renderMailbox(std::string_view field, std::string_view value) {
    Mailbox m = parseMailbox(flatten(value));
    if (m.address.empty()) throw std::invalid_argument(std::string(field) + ": no address");
    for (char c : m.address)
        if (c == ' ' || c == '<' || c == '>' || c == ',' || !isPlainAscii(std::string_view(&c, 1)))
            throw std::invalid_argument(std::string(field) + ": malformed address");
    if (m.name.empty()) return m.address;
    std::string phrase;
    if (!isPlainAscii(m.name)) {
        phrase = encodeHeaderWord(m.name);
    } else {
        phrase = "\"";
        for (char c : m.name) {
            if (c == '"' || c == '\\') phrase += '\\';
            phrase += c;
        }
        phrase += '"';
    }
    return phrase + " <" + m.address + ">";
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

std::string boundaryFor(std::string_view messageId, int level) {
    std::uint64_t h = fnv1a(std::string(messageId) + "/" + std::to_string(level));
    std::string hex;
    for (int i = 60; i >= 0; i -= 4) hex += kHex[(h >> i) & 15];
    return "=_duegate_" + hex + "_" + std::to_string(level);
}

bool isToken(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) continue;
        if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
    }
    return true;
}

std::string mediaType(std::string_view ct) {
    auto slash = ct.find('/');
    if (slash == std::string_view::npos || !isToken(ct.substr(0, slash)) || !isToken(ct.substr(slash + 1)))
        return "application/octet-stream";
    return std::string(ct);
}

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Entity {
    std::string headers;   // complete header lines
    std::string body;      // ends with CRLF (or is empty)
};

Entity textEntity(std::string_view subtype, std::string_view text) {
    return {"Content-Type: text/" + std::string(subtype) + "; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n",
            encodeQuotedPrintable(text)};
}

Entity attachmentEntity(const MailAttachment& a) {
    std::string name = flatten(a.filename.empty() ? std::string("attachment") : a.filename);
    std::string type = mediaType(a.contentType);
    Entity e;
    if (isPlainAscii(name)) {
        e.headers = "Content-Type: " + type + ";\r\n name=" + quoted(name) + "\r\n" +
                    "Content-Disposition: attachment;\r\n filename=" + quoted(name) + "\r\n";
    } else {
        // RFC 2231 for readers that follow the standards, an encoded word for those that do not.
        std::string pct = "utf-8''";
        for (char c : name) {
            auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) || c == '.' || c == '-' || c == '_') pct += c;
            else { pct += '%'; pct += kHex[u >> 4]; pct += kHex[u & 15]; }
        }
        std::string word = encodeHeaderWord(name);
        // a name longer than one encoded word would fold inside the quotes: keep it on one line
        for (auto p = word.find("\r\n "); p != std::string::npos; p = word.find("\r\n ")) word.erase(p, 3);
        e.headers = "Content-Type: " + type + ";\r\n name=\"" + word + "\"\r\n" +
                    "Content-Disposition: attachment;\r\n filename=\"" + word + "\";\r\n filename*=" + pct + "\r\n";
    }
    e.headers += "Content-Transfer-Encoding: base64\r\n";
    e.body = base64(a.bytes, 76);
    return e;
}

Entity multipart(std::string_view subtype, const std::string& boundary, const std::vector<Entity>& parts) {
    Entity e;
    e.headers = "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + boundary + "\"\r\n";
    for (const auto& p : parts) {
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1), so one is added
        // after each part body and the body's own last line ending survives decoding.
        e.body += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body + "\r\n";
    }
    e.body += "--" + boundary + "--\r\n";
    return e;
}

const std::array<std::string_view, 11> kReserved = {"from", "to", "subject", "date", "message-id",
                                                    "in-reply-to", "references", "mime-version",
                                                    "content-type", "content-transfer-encoding",
                                                    "content-disposition"};

void checkHeaderName(std::string_view name) {
    if (name.empty() || name.size() > 76) throw std::invalid_argument("extra header: bad name length");
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == ':') throw std::invalid_argument("extra header: invalid name");
    }
    for (auto r : kReserved)
        if (iequals(r, name)) throw std::invalid_argument("extra header: " + std::string(name) + " is set by renderMail");
}

std::string bracketed(std::string_view id) { return "<" + std::string(id) + ">"; }

std::string stripBrackets(std::string s) {
    s = trim(flatten(s));
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    return s;
}

}  // namespace

std::string encodeHeaderWord(std::string_view utf8) {
    if (isPlainAscii(utf8)) return std::string(utf8);
    // 39 bytes -> 52 base64 characters -> a 64-character word: "Subject: " + word stays <= 78.
    constexpr std::size_t kChunk = 39;
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        std::size_t end = i;
        while (end < utf8.size()) {
            std::size_t n = utf8Length(static_cast<unsigned char>(utf8[end]));
            if (end + n - i > kChunk) break;
            end += n;
        }
        if (end == i) end = std::min(utf8.size(), i + kChunk);   // never stall on bad bytes
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i), 0) + "?=";
        i = end;
    }
    return out;
}

std::string encodeQuotedPrintable(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t i = 0;
    while (i < text.size()) {
        // one input line, without its terminator
        std::size_t end = text.find_first_of("\r\n", i);
        if (end == std::string_view::npos) end = text.size();
        std::size_t col = 0;
        for (std::size_t k = i; k < end; ++k) {
            auto u = static_cast<unsigned char>(text[k]);
            char tok[3];
            std::size_t len;
            bool last = k + 1 == end;
            if ((u == ' ' || u == '\t') && !last) {
                tok[0] = static_cast<char>(u);
                len = 1;
            } else if (u >= 33 && u <= 126 && u != '=') {
                tok[0] = static_cast<char>(u);
                len = 1;
            } else {
                tok[0] = '=';
                tok[1] = kHex[u >> 4];
                tok[2] = kHex[u & 15];
                len = 3;
            }
            if (col + len > 75) {   // 75 + the soft break "=" = 76
                out += "=\r\n";
                col = 0;
            }
            out.append(tok, len);
            col += len;
        }
        out += "\r\n";
        if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ++end;
        i = end + 1;
    }
    return out;
}

std::string addressOf(std::string_view mailbox) { return parseMailbox(flatten(mailbox)).address; }

std::string ensureMessageId(OutboundMail& mail) {
    mail.messageId = stripBrackets(mail.messageId);
    if (mail.messageId.empty()) {
        std::string addr = addressOf(mail.from);
        auto at = addr.rfind('@');
        std::string domain = at == std::string::npos || at + 1 == addr.size() ? "duegate.localhost" : addr.substr(at + 1);
        mail.messageId = Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + "@" + domain;
    }
    return mail.messageId;
}

std::string renderMail(const OutboundMail& input, const Poco::DateTime& date) {
    OutboundMail mail = input;
    std::string id = ensureMessageId(mail);

    std::string out;
    out += "Date: " + Poco::DateTimeFormatter::format(date, "%w, %e %b %Y %H:%M:%S +0000") + "\r\n";
    out += "From: " + renderMailbox("from", mail.from) + "\r\n";
    out += "To: " + renderMailbox("to", mail.to) + "\r\n";
    std::string subject = flatten(mail.subject);
    out += isPlainAscii(subject) ? headerLine("Subject", subject) : "Subject: " + encodeHeaderWord(subject) + "\r\n";
    out += "Message-ID: " + bracketed(id) + "\r\n";
    std::string reply = stripBrackets(mail.inReplyTo);
    if (!reply.empty()) {
        out += "In-Reply-To: " + bracketed(reply) + "\r\n";
        out += "References: " + bracketed(reply) + "\r\n";
    }
    for (const auto& [name, value] : mail.extraHeaders) {
        checkHeaderName(name);
        std::string v = flatten(value);
        out += isPlainAscii(v) ? headerLine(name, v) : name + ": " + encodeHeaderWord(v) + "\r\n";
    }
    out += "MIME-Version: 1.0\r\n";

    Entity body = textEntity("plain", mail.textBody);
    if (!mail.htmlBody.empty())
        body = multipart("alternative", boundaryFor(id, 2), {body, textEntity("html", mail.htmlBody)});
    if (!mail.attachments.empty()) {
        std::vector<Entity> parts{body};
        for (const auto& a : mail.attachments) parts.push_back(attachmentEntity(a));
        body = multipart("mixed", boundaryFor(id, 1), parts);
    }
    out += body.headers;
    out += "\r\n";
    out += body.body;
    return out;
}

}  // namespace duegate::channels
