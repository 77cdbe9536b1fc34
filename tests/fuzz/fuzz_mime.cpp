// libFuzzer target: parseMime must return a value or a located error for any bytes, within its
// bounds, without crashing, hanging or leaking. Small limits so that the fuzzer reaches them.
// Every text it returns is valid UTF-8 without NUL (it reaches PostgreSQL), whatever the bytes.
#include "parsers/common/Utf8.h"
#include "parsers/mime/MimeJson.h"
#include "parsers/mime/MimeMessage.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void requireText(const std::string& s) {
    if (!duegate::parsers::isValidUtf8(s) || s.find('\0') != std::string::npos) __builtin_trap();
}

void requireText(const duegate::parsers::mime::Address& a) {
    requireText(a.name);
    requireText(a.address);
}

void requireAllText(const duegate::parsers::mime::MimeMessage& m) {
    requireText(m.messageId);
    requireText(m.from);
    for (const auto& a : m.to) requireText(a);
    for (const auto& a : m.cc) requireText(a);
    if (m.replyTo) requireText(*m.replyTo);
    requireText(m.subject);
    requireText(m.date);
    requireText(m.inReplyTo);
    requireText(m.textBody);
    requireText(m.htmlBody);
    for (const auto& a : m.attachments) {
        requireText(a.filename);
        requireText(a.contentType);
        requireText(a.contentId);
        if (a.size != a.bytes.size()) __builtin_trap();
    }
    for (const auto& e : m.embeddedMessages) {
        requireText(e.messageId);
        requireText(e.from);
        requireText(e.subject);
        requireText(e.date);
        requireText(e.textBody);
        requireText(e.htmlBody);
    }
    for (const auto& w : m.warnings) requireText(w);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    duegate::parsers::mime::MimeLimits limits;
    limits.maxBytes = 1 << 20;
    limits.maxDepth = 8;
    limits.maxParts = 64;
    limits.maxHeaderLength = 4096;
    auto r = duegate::parsers::mime::parseMime(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    if (r.ok()) {
        requireAllText(*r);
        (void)duegate::parsers::mime::toJson(*r);
    }
    else (void)r.error().toString();
    return 0;
}
