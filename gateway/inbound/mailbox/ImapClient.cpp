#include "gateway/inbound/mailbox/ImapClient.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace duegate::inbound {
namespace {

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The {N} (or {N+}) at the end of a line: N, or npos when there is none.
std::size_t trailingLiteral(const std::string& line) {
    if (line.empty() || line.back() != '}') return std::string::npos;
    const auto open = line.rfind('{');
    if (open == std::string::npos) return std::string::npos;
    std::string digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.pop_back();
    if (digits.empty() || digits.size() > 12) return std::string::npos;
    std::size_t n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::string::npos;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

// The number after `key` in a line ("UID 17", "RFC822.SIZE 2048", "[UIDVALIDITY 3]").
std::string numberAfter(const std::string& line, const std::string& key) {
    const std::string u = upper(line);
    auto p = u.find(key + " ");
    if (p == std::string::npos) return {};
    p += key.size() + 1;
    std::size_t e = p;
    while (e < line.size() && std::isdigit(static_cast<unsigned char>(line[e]))) ++e;
    return line.substr(p, e - p);
}

}  // namespace

std::string imapQuote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

ImapClient::ImapClient(std::unique_ptr<LineTransport> transport, const std::string& user, const std::string& password,
                       const std::string& folder, std::string after, std::size_t maxMessageBytes)
    : _t(std::move(transport)), _after(std::move(after)), _maxMessageBytes(maxMessageBytes) {
    const std::string greeting = _t->readLine(8192);
    if (greeting.rfind("* OK", 0) != 0 && greeting.rfind("* PREAUTH", 0) != 0)
        throw Poco::ProtocolException("IMAP greeting: " + greeting.substr(0, 200));
    auto quotedOk = [](const std::string& s) {
        return std::none_of(s.begin(), s.end(), [](char c) {
            auto u = static_cast<unsigned char>(c);
            return u < 0x20 || u >= 0x80;
        });
    };
    if (greeting.rfind("* PREAUTH", 0) != 0) {
        if (!quotedOk(user) || !quotedOk(password))
            throw Poco::InvalidArgumentException("IMAP user or password has characters LOGIN cannot carry");
        // Never put the command text in an error: it carries the password.
        require("LOGIN " + imapQuote(user) + " " + imapQuote(password), "LOGIN as " + user);
    }
    // Asked after login: servers announce MOVE and UIDPLUS only to an authenticated client.
    for (const auto& u : require("CAPABILITY", "CAPABILITY").untagged) {
        const std::string cap = " " + upper(u.line) + " ";
        _move = _move || cap.find(" MOVE ") != std::string::npos;
        _uidplus = _uidplus || cap.find(" UIDPLUS ") != std::string::npos;
    }
    for (const auto& u : require("SELECT " + imapQuote(folder), "SELECT " + folder).untagged) {
        auto v = numberAfter(u.line, "[UIDVALIDITY");
        if (!v.empty()) _uidValidity = v;
    }
    if (_uidValidity.empty()) throw Poco::ProtocolException("SELECT " + folder + ": no UIDVALIDITY");
}

ImapClient::Response ImapClient::command(const std::string& cmd, const std::string& what) {
    const std::string tag = "d" + std::to_string(++_tag);
    _t->write(tag + " " + cmd + "\r\n");
    Response r;
    const std::size_t maxLine = 65536;
    for (;;) {
        std::string line = _t->readLine(maxLine);
        Untagged u;
        // A line ending in {N} continues after N bytes of literal.
        for (std::size_t n; (n = trailingLiteral(line)) != std::string::npos;) {
            if (n > _maxMessageBytes + 65536) throw Poco::ProtocolException(what + ": literal of " + std::to_string(n) + " bytes is too large");
            u.literals.push_back(_t->readExactly(n));
            line += "\x01";   // marks where the literal was
            line += _t->readLine(maxLine);
        }
        if (line.rfind(tag + " ", 0) == 0) {
            std::string rest = line.substr(tag.size() + 1);
            const auto sp = rest.find(' ');
            r.status = upper(rest.substr(0, sp));
            r.text = sp == std::string::npos ? "" : rest.substr(sp + 1);
            return r;
        }
        if (line.rfind("* ", 0) == 0) {
            u.line = line.substr(2);
            r.untagged.push_back(std::move(u));
            continue;
        }
        if (line.rfind("+", 0) == 0) throw Poco::ProtocolException(what + ": unexpected continuation request");
        // Anything else is not IMAP as we know it.
        throw Poco::ProtocolException(what + ": unexpected line: " + line.substr(0, 100));
    }
}

ImapClient::Response ImapClient::require(const std::string& cmd, const std::string& what) {
    auto r = command(cmd, what);
    if (r.status != "OK") throw Poco::ProtocolException("IMAP " + what + ": " + r.status + " " + r.text.substr(0, 200));
    return r;
}

MailboxClient::Listing ImapClient::list() {
    Listing l;
    l.uidValidity = _uidValidity;
    auto r = command("UID FETCH 1:* (UID RFC822.SIZE)", "UID FETCH sizes");
    if (r.status != "OK") {
        // An empty folder: some servers answer "1:*" with NO or BAD; nothing to list then.
        return l;
    }
    for (const auto& u : r.untagged) {
        if (upper(u.line).find(" FETCH ") == std::string::npos) continue;
        const auto uid = numberAfter(u.line, "UID");
        const auto size = numberAfter(u.line, "RFC822.SIZE");
        if (uid.empty()) continue;
        l.messages.push_back({uid, size.empty() ? 0 : static_cast<std::size_t>(std::stoull(size))});
    }
    return l;
}

std::string ImapClient::fetch(const std::string& uid) {
    auto r = require("UID FETCH " + uid + " (UID BODY.PEEK[])", "UID FETCH " + uid);
    for (auto& u : r.untagged) {
        if (upper(u.line).find("BODY[]") == std::string::npos || u.literals.empty()) continue;
        if (numberAfter(u.line, "UID") != uid) continue;
        return std::move(u.literals.front());
    }
    throw Poco::ProtocolException("UID FETCH " + uid + ": no message body in the reply");
}

void ImapClient::finish(const std::string& uid) {
    if (_after.rfind("move:", 0) != 0) return;   // keep
    const std::string folder = _after.substr(5);
    if (!_folderReady) {
        command("CREATE " + imapQuote(folder), "CREATE " + folder);   // NO when it exists: fine
        _folderReady = true;
    }
    if (_move) {
        require("UID MOVE " + uid + " " + imapQuote(folder), "UID MOVE " + uid);
        return;
    }
    require("UID COPY " + uid + " " + imapQuote(folder), "UID COPY " + uid);
    require("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)", "UID STORE " + uid);
    require(_uidplus ? "UID EXPUNGE " + uid : std::string("EXPUNGE"), "EXPUNGE");
}

void ImapClient::quit() { command("LOGOUT", "LOGOUT"); }

}  // namespace duegate::inbound
