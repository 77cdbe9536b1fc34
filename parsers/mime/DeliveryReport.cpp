#include "parsers/mime/DeliveryReport.h"

#include "parsers/mime/HeaderDecoding.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace duegate::parsers::mime {
namespace {

std::vector<std::string_view> splitLines(std::string_view s) {
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto eol = s.find('\n', pos);
        if (eol == std::string_view::npos) eol = s.size();
        std::string_view line = s.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (eol == s.size()) break;
        pos = eol + 1;
    }
    return lines;
}

// Strips the address-type prefix: "rfc822; jan@x.be" -> "jan@x.be", and the <>.
std::string stripType(std::string_view v) {
    v = trimView(v);
    if (const auto semi = v.find(';'); semi != std::string_view::npos) v = trimView(v.substr(semi + 1));
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
    return std::string(v);
}

bool isAddrChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' ||
           c == '=' || c == '\'';
}

// First e-mail address in s, or empty.
std::string findAddress(std::string_view s, std::size_t* endPos = nullptr) {
    for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
        std::size_t b = at;
        while (b > 0 && isAddrChar(s[b - 1])) --b;
        std::size_t e = at + 1;
        while (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '.' || s[e] == '-')) ++e;
        while (e > at + 1 && s[e - 1] == '.') --e;
        if (b < at && e > at + 1 && s.substr(at + 1, e - at - 1).find('.') != std::string_view::npos) {
            if (endPos) *endPos = e;
            return std::string(s.substr(b, e - b));
        }
    }
    return {};
}

// "5.1.1" anywhere in s.
std::string findStatus(std::string_view s) {
    for (std::size_t i = 0; i + 5 <= s.size(); ++i) {
        const char c = s[i];
        if ((c != '2' && c != '4' && c != '5') || s[i + 1] != '.') continue;
        if (i > 0 && (std::isdigit(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '.')) continue;
        std::size_t j = i + 2, d1 = 0, d2 = 0;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && d1 < 3) { ++j; ++d1; }
        if (d1 == 0 || j >= s.size() || s[j] != '.') continue;
        ++j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && d2 < 3) { ++j; ++d2; }
        if (d2 == 0) continue;
        if (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) continue;
        return std::string(s.substr(i, j - i));
    }
    return {};
}

bool containsCi(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

std::size_t findCi(std::string_view hay, std::string_view needle) {
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

}  // namespace

std::optional<DeliveryReport> parseDeliveryStatus(std::string_view body) {
    DeliveryReport report;
    report.kind = "dsn";
    DeliveryRecipient cur;
    bool inRecipient = false;
    std::string lastName;
    auto flush = [&] {
        if (inRecipient && (!cur.finalRecipient.empty() || !cur.originalRecipient.empty())) report.recipients.push_back(cur);
        cur = {};
        inRecipient = false;
    };
    for (std::string_view line : splitLines(body)) {
        if (trimView(line).empty()) { flush(); lastName.clear(); continue; }
        if (line.front() == ' ' || line.front() == '\t') {
            // Folded continuation (long Diagnostic-Code lines).
            if (lastName == "diagnostic-code") {
                cur.diagnostic += " ";
                cur.diagnostic += std::string(trimView(line));
            }
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string name = toLowerAscii(trimView(line.substr(0, colon)));
        const std::string_view value = trimView(line.substr(colon + 1));
        lastName = name;
        if (name == "reporting-mta") report.reportingMta = stripType(value);
        else if (name == "final-recipient") { inRecipient = true; cur.finalRecipient = stripType(value); }
        else if (name == "original-recipient") { inRecipient = true; cur.originalRecipient = stripType(value); }
        else if (name == "action") { inRecipient = true; cur.action = toLowerAscii(value); }
        else if (name == "status") { inRecipient = true; cur.status = findStatus(value).empty() ? std::string(value) : findStatus(value); }
        else if (name == "diagnostic-code") {
            inRecipient = true;
            std::string_view v = value;
            if (const auto semi = v.find(';'); semi != std::string_view::npos && semi < 12) v = trimView(v.substr(semi + 1));
            cur.diagnostic = std::string(v);
        }
    }
    flush();
    for (auto& r : report.recipients) {
        if (r.finalRecipient.empty()) r.finalRecipient = r.originalRecipient;
        if (r.action.empty() && !r.status.empty()) r.action = r.status[0] == '5' ? "failed" : r.status[0] == '4' ? "delayed" : "delivered";
    }
    if (report.recipients.empty()) return std::nullopt;
    return report;
}

bool looksLikeBounce(const MimeMessage& msg) {
    const std::string from = toLowerAscii(msg.from.address + " " + msg.from.name);
    for (const char* s : {"mailer-daemon", "postmaster", "mail delivery", "mail.delivery", "mdaemon"})
        if (from.find(s) != std::string::npos) return true;
    for (const char* s : {"undeliver", "failure notice", "delivery status notification", "returned mail",
                          "delivery failure", "mail delivery failed", "delivery has failed", "non remis",
                          "onbestelbaar", "unzustellbar", "could not be delivered", "nondeliverable"})
        if (containsCi(msg.subject, s)) return true;
    return false;
}

std::optional<DeliveryReport> parseTextBounce(std::string_view text) {
    DeliveryReport report;
    report.kind = "text";
    // Only the explanation counts: the returned original (which names our own addresses) follows
    // one of these markers.
    std::string_view head = text;
    std::string_view tail;
    for (const char* marker : {"below this line is a copy of the message", "this is a copy of the message",
                               "original message follows", "----- original message", "------ this is a copy",
                               "the original message was received", "----- transcript of session follows",
                               "original message headers", "received: from"}) {
        auto pos = findCi(head, marker);
        if (pos != std::string_view::npos) {
            // Cut at the start of the marker's line ("--- Below this line ...").
            const auto bol = head.rfind('\n', pos);
            pos = bol == std::string_view::npos ? 0 : bol + 1;
            tail = text.substr(pos);
            head = head.substr(0, pos);
        }
    }
    if (tail.empty()) tail = text;
    const auto lines = splitLines(head);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = trimView(lines[i]);
        std::size_t end = 0;
        std::string addr = findAddress(line, &end);
        if (addr.empty()) continue;
        // An address line: "<a@b>:", "a@b", "a@b: reason", "  a@b (reason)"; not a sentence that
        // happens to mention an address far into the line.
        const auto at = line.find(addr);
        const std::string_view before = trimView(line.substr(0, at));
        const bool bullet = std::all_of(before.begin(), before.end(), [](char c) {
            return c == '*' || c == '-' || c == '<' || c == '"' || c == ' ' || c == '\t' || c == '>';
        });
        if (!(bullet || before.back() == ':')) continue;
        if (std::any_of(report.recipients.begin(), report.recipients.end(),
                        [&](const DeliveryRecipient& r) { return r.finalRecipient == addr; }))
            continue;
        DeliveryRecipient r;
        r.finalRecipient = addr;
        std::string_view rest = trimView(line.substr(end));
        while (!rest.empty() && (rest.front() == '>' || rest.front() == ':' || rest.front() == ' ')) rest.remove_prefix(1);
        std::string diag(trimView(rest));
        // The reason is often on the following lines, up to a blank line.
        for (std::size_t k = i + 1; k < lines.size() && diag.size() < 400; ++k) {
            std::string_view next = trimView(lines[k]);
            if (next.empty()) { if (!diag.empty()) break; continue; }
            if (!findAddress(next).empty() && next.find(' ') == std::string_view::npos) break;  // next address
            if (std::none_of(next.begin(), next.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
                if (!diag.empty()) break;
                continue;  // a rule of '=' or '-'
            }
            if (!diag.empty()) diag += " ";
            diag += std::string(next);
        }
        // A later "technical details" line naming the address with a reply code says more.
        for (std::size_t k = i + 1; k < lines.size(); ++k) {
            std::string_view other = trimView(lines[k]);
            if (other.find(addr) != std::string_view::npos && !findStatus(other).empty()) {
                diag = std::string(other);
                break;
            }
        }
        r.diagnostic = diag;
        r.status = findStatus(diag);
        const bool temporary = containsCi(head, "will continue") || containsCi(head, "will retry") ||
                               containsCi(head, "delayed") || containsCi(head, "temporary");
        if (r.status.empty()) {
            // An SMTP reply code in the reason still tells permanent from temporary.
            for (std::size_t k = 0; k + 3 <= diag.size(); ++k)
                if ((diag[k] == '5' || diag[k] == '4') && std::isdigit(static_cast<unsigned char>(diag[k + 1])) &&
                    std::isdigit(static_cast<unsigned char>(diag[k + 2])) && (k == 0 || diag[k - 1] == ' ') &&
                    (k + 3 == diag.size() || diag[k + 3] == ' ' || diag[k + 3] == '-')) {
                    r.status = std::string(1, diag[k]) + ".0.0";
                    break;
                }
        }
        if (r.status.empty()) r.status = temporary ? "4.0.0" : "5.0.0";
        r.action = r.status[0] == '4' ? "delayed" : "failed";
        report.recipients.push_back(std::move(r));
        if (report.recipients.size() >= 100) break;
    }
    // Message-ID of the quoted original.
    const auto mid = findCi(tail, "\nmessage-id:");
    if (mid != std::string_view::npos) {
        std::string_view rest = tail.substr(mid + 12);
        auto eol = rest.find('\n');
        std::string_view v = trimView(rest.substr(0, eol));
        if (v.empty() && eol != std::string_view::npos) {  // folded onto the next line
            rest = rest.substr(eol + 1);
            v = trimView(rest.substr(0, rest.find('\n')));
        }
        report.originalMessageId = std::string(v);
    }
    if (report.recipients.empty()) return std::nullopt;
    return report;
}

}  // namespace duegate::parsers::mime
