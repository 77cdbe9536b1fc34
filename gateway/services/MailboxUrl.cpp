#include "gateway/services/MailboxUrl.h"

namespace duegate::services {
namespace {

std::optional<std::string> percentDecode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        const int h = hex(s[i + 1]), l = hex(s[i + 2]);
        if (h < 0 || l < 0) return std::nullopt;
        out += static_cast<char>(h * 16 + l);
        i += 2;
    }
    return out;
}

}  // namespace

std::string MailboxUrl::display() const {
    std::string s = protocol == Protocol::Pop3 ? "pop3" : "imap";
    if (tls) s += "s";
    s += "://" + host + ":" + std::to_string(port);
    if (protocol == Protocol::Imap) s += "/" + folder;
    return s;
}

std::optional<MailboxUrl> parseMailboxUrl(const std::string& url, std::string& error) {
    MailboxUrl u;
    const auto sep = url.find("://");
    if (sep == std::string::npos) {
        error = "expected pop3://, pop3s://, imap:// or imaps://";
        return std::nullopt;
    }
    const std::string scheme = url.substr(0, sep);
    if (scheme == "pop3" || scheme == "pop3s") u.protocol = MailboxUrl::Protocol::Pop3;
    else if (scheme == "imap" || scheme == "imaps") u.protocol = MailboxUrl::Protocol::Imap;
    else {
        error = "expected pop3://, pop3s://, imap:// or imaps://, got " + scheme + "://";
        return std::nullopt;
    }
    u.tls = scheme.back() == 's';
    std::string rest = url.substr(sep + 3);
    std::string path;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        path = rest.substr(slash + 1);
        rest.resize(slash);
    }
    const auto at = rest.rfind('@');
    if (at == std::string::npos || at == 0) {
        error = "expected a user: SCHEME://user@host:port";
        return std::nullopt;
    }
    std::string user = rest.substr(0, at);
    if (user.find(':') != std::string::npos) {
        error = "no password in the URL: use --password-file or --password-env";
        return std::nullopt;
    }
    auto decoded = percentDecode(user);
    if (!decoded || decoded->empty()) {
        error = "bad percent-encoding in the user";
        return std::nullopt;
    }
    u.user = *decoded;
    std::string hostPort = rest.substr(at + 1);
    std::string port;
    if (auto colon = hostPort.rfind(':'); colon != std::string::npos && hostPort.find(']') == std::string::npos) {
        port = hostPort.substr(colon + 1);
        hostPort.resize(colon);
    }
    if (hostPort.empty()) {
        error = "expected a host";
        return std::nullopt;
    }
    u.host = hostPort;
    if (port.empty()) {
        u.port = u.protocol == MailboxUrl::Protocol::Pop3 ? (u.tls ? 995 : 110) : (u.tls ? 993 : 143);
    } else {
        unsigned long n = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || n > 65535) {
                error = "bad port " + port;
                return std::nullopt;
            }
            n = n * 10 + static_cast<unsigned long>(c - '0');
        }
        if (n == 0 || n > 65535) {
            error = "bad port " + port;
            return std::nullopt;
        }
        u.port = static_cast<std::uint16_t>(n);
    }
    if (u.protocol == MailboxUrl::Protocol::Imap) {
        auto folder = percentDecode(path);
        u.folder = folder && !folder->empty() ? *folder : "INBOX";
    } else if (!path.empty()) {
        error = "a POP3 URL has no folder";
        return std::nullopt;
    }
    return u;
}

}  // namespace duegate::services
