#include "gateway/inbound/SmtpSession.h"

#include "parsers/common/Text.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <exception>

namespace duegate::inbound {

namespace {

constexpr std::string_view kCrlf = "\r\n";

using parsers::iequals;

bool istartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string line(std::string_view text) {
    std::string out(text);
    out += kCrlf;
    return out;
}

// Text that came from elsewhere (the sink's error) goes into a reply line: no CR/LF or other
// control characters, bounded, so it cannot break the protocol or flood the client.
std::string sanitize(std::string_view text, std::size_t maxBytes = 200) {
    std::string out;
    for (char c : text) {
        if (out.size() >= maxBytes) break;
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    return out;
}

bool isAscii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

struct ParsedPath {
    bool ok = false;
    std::string address;
    std::string_view rest;   // the ESMTP parameters after the path
};

// Parses "<address> params" (leniently also "address params": broken senders exist, and losing
// an invoice over a missing bracket is worse than accepting it). A source route "<@a,@b:x@y>"
// is dropped, as RFC 5321 C. asks.
ParsedPath parsePath(std::string_view s) {
    ParsedPath p;
    s = trim(s);
    std::size_t end = 0;
    std::string_view inner;
    if (!s.empty() && s.front() == '<') {
        bool quoted = false;
        std::size_t i = 1;
        for (; i < s.size(); ++i) {
            char c = s[i];
            if (quoted && c == '\\' && i + 1 < s.size()) { ++i; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '>' && !quoted) break;
        }
        if (i >= s.size()) return p;   // no closing bracket
        inner = s.substr(1, i - 1);
        end = i + 1;
        if (end < s.size() && s[end] != ' ') return p;   // "<a>b"
    } else {
        end = std::min(s.find(' '), s.size());
        inner = s.substr(0, end);
        if (inner.empty()) return p;
    }
    if (!inner.empty() && inner.front() == '@') {
        auto colon = inner.find(':');
        if (colon == std::string_view::npos) return p;
        inner.remove_prefix(colon + 1);
    }
    for (char c : inner) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) return p;
    }
    p.ok = true;
    p.address.assign(inner);
    p.rest = trim(s.substr(end));
    return p;
}

// Splits ESMTP parameters "A=1 B" into (name, value) pairs.
std::vector<std::pair<std::string_view, std::string_view>> splitParams(std::string_view s) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    while (!(s = trim(s)).empty()) {
        auto sp = std::min(s.find(' '), s.size());
        auto word = s.substr(0, sp);
        auto eq = word.find('=');
        if (eq == std::string_view::npos) out.emplace_back(word, std::string_view{});
        else out.emplace_back(word.substr(0, eq), word.substr(eq + 1));
        s.remove_prefix(sp);
    }
    return out;
}

// Decimal digits to a size; saturates instead of overflowing (any saturated value is too big).
bool parseSize(std::string_view v, std::size_t& out) {
    if (v.empty() || v.size() > 20) return false;
    std::size_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return false;
        std::size_t d = static_cast<std::size_t>(c - '0');
        n = n > (static_cast<std::size_t>(-1) - d) / 10 ? static_cast<std::size_t>(-1) : n * 10 + d;
    }
    out = n;
    return true;
}

}  // namespace

int Reply::code() const {
    if (text.size() < 5) return 0;
    // start of the last line
    std::size_t start = text.rfind(kCrlf, text.size() - 3);
    start = start == std::string::npos ? 0 : start + 2;
    if (start + 3 > text.size()) return 0;
    int code = 0;
    for (std::size_t i = start; i < start + 3; ++i) {
        if (text[i] < '0' || text[i] > '9') return 0;
        code = code * 10 + (text[i] - '0');
    }
    return code;
}

// The command table: verb, handler, allowed under SMTP, allowed under LMTP. Sequence rules live
// in the handlers (each checks _state), so a new verb is one row and one function.
const SmtpSession::Command SmtpSession::kCommands[] = {
    {"EHLO", &SmtpSession::cmdEhlo, true, false},
    {"HELO", &SmtpSession::cmdHelo, true, false},
    {"LHLO", &SmtpSession::cmdLhlo, false, true},
    {"MAIL", &SmtpSession::cmdMail, true, true},
    {"RCPT", &SmtpSession::cmdRcpt, true, true},
    {"DATA", &SmtpSession::cmdData, true, true},
    {"RSET", &SmtpSession::cmdRset, true, true},
    {"NOOP", &SmtpSession::cmdNoop, true, true},
    {"QUIT", &SmtpSession::cmdQuit, true, true},
    {"VRFY", &SmtpSession::cmdVrfy, true, true},
    {"HELP", &SmtpSession::cmdHelp, true, true},
    // Known verbs we do not offer: 502 rather than 500, so a client knows it was understood.
    {"EXPN", &SmtpSession::cmdNotImplemented, true, true},
    {"STARTTLS", &SmtpSession::cmdStartTls, true, true},
    {"AUTH", &SmtpSession::cmdNotImplemented, true, true},
    {"BDAT", &SmtpSession::cmdNotImplemented, true, true},
    {"ETRN", &SmtpSession::cmdNotImplemented, true, true},
    {"TURN", &SmtpSession::cmdNotImplemented, true, true},
};

SmtpSession::SmtpSession(MailSink& sink, const SmtpSessionOptions& options, std::string remoteAddress)
    : _sink(sink), _options(options), _data(options.spoolThresholdBytes, options.spoolDir) {
    assert(_options.maxMessageBytes >= 1);
    _envelope.remoteAddress = std::move(remoteAddress);
    _lastActivity = _options.clock();
}

std::string SmtpSession::greeting() const {
    return line("220 " + _options.hostname + (_options.lmtp ? " LMTP" : " ESMTP") + " duegate");
}

std::size_t SmtpSession::maxLineBytes() const {
    return std::max(_options.maxCommandLineBytes, _options.maxDataLineBytes);
}

Reply SmtpSession::timeout() {
    _state = State::Closed;
    return {line("421 4.4.2 " + _options.hostname + " Error: timeout exceeded"), true};
}

Reply SmtpSession::shuttingDown() {
    _state = State::Closed;
    return {line("421 4.3.2 " + _options.hostname + " Service shutting down, try again later"), true};
}

Reply SmtpSession::checkTimers() {
    if (_state == State::Closed) return {{}, true};
    const auto now = _options.clock();
    if (_state == State::Data && now - _dataStart >= _options.dataDeadline) {
        resetTransaction();
        _state = State::Closed;
        return {line("421 4.4.2 " + _options.hostname + " Error: DATA took too long, closing"), true};
    }
    const auto idle = _state == State::Data ? _options.dataBlockTimeout : _options.commandTimeout;
    if (now - _lastActivity >= idle) {
        resetTransaction();
        return timeout();
    }
    return {};
}

void SmtpSession::tlsStarted() {
    resetTransaction();
    _envelope.heloName.clear();
    _tlsActive = true;
    _state = State::Connected;
}

Reply SmtpSession::cmdStartTls(std::string_view args) {
    if (!_options.tlsAvailable) return error("502 5.5.1 Error: command not implemented");
    if (!args.empty()) return error("501 5.5.4 Syntax: STARTTLS");
    if (_tlsActive) return error("503 5.5.1 Error: TLS already active");
    if (_state == State::Mail || _state == State::Rcpt) return error("503 5.5.1 Error: MAIL transaction in progress");
    Reply r{line("220 2.0.0 Ready to start TLS"), false};
    r.startTls = true;
    return r;
}

Reply SmtpSession::onLine(std::string_view text) {
    assert(_state != State::Closed && "onLine after the session closed");
    if (_state == State::Closed) return {{}, true};
    _lastActivity = _options.clock();
    if (_state == State::Data) return onDataLine(text);

    if (text.size() > _options.maxCommandLineBytes) return error("500 5.5.2 Error: line too long");
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    auto sp = std::min(text.find(' '), text.size());
    auto verb = text.substr(0, sp);
    auto args = trim(text.substr(sp));
    for (const auto& cmd : kCommands) {
        if (!iequals(cmd.verb, verb)) continue;
        if (_options.lmtp ? !cmd.lmtp : !cmd.smtp) break;
        return (this->*cmd.handler)(args);
    }
    return error("500 5.5.2 Error: command not recognized");
}

Reply SmtpSession::error(std::string text) {
    if (++_errors > _options.maxErrors) {
        _state = State::Closed;
        return {line("421 4.7.0 " + _options.hostname + " Error: too many errors"), true};
    }
    return {line(text), false};
}

void SmtpSession::resetTransaction() {
    _envelope.mailFrom.clear();
    _envelope.recipients.clear();
    _data.clear();   // gives a large message's memory (or spool file) back at once
    _spoolFailed = false;
    _dataTooBig = false;
    _dataLineTooLong = false;
}

Reply SmtpSession::hello(std::string_view args, bool extended) {
    if (args.empty()) return error("501 5.5.4 Syntax: EHLO hostname");
    resetTransaction();
    _envelope.heloName.assign(args);
    _state = State::Greeted;
    if (!extended) return {line("250 " + _options.hostname), false};
    std::string out = "250-" + _options.hostname + "\r\n";
    out += "250-PIPELINING\r\n";
    out += "250-SIZE " + std::to_string(_options.maxMessageBytes) + "\r\n";
    out += "250-8BITMIME\r\n";
    out += "250-SMTPUTF8\r\n";
    if (_options.tlsAvailable && !_tlsActive && !_options.lmtp) out += "250-STARTTLS\r\n";
    out += "250 ENHANCEDSTATUSCODES\r\n";
    return {out, false};
}

Reply SmtpSession::cmdHelo(std::string_view args) { return hello(args, false); }
Reply SmtpSession::cmdEhlo(std::string_view args) { return hello(args, true); }
Reply SmtpSession::cmdLhlo(std::string_view args) { return hello(args, true); }

Reply SmtpSession::cmdMail(std::string_view args) {
    if (_state == State::Connected) return error("503 5.5.1 Error: send " +
                                                 std::string(_options.lmtp ? "LHLO" : "HELO/EHLO") + " first");
    if (_state != State::Greeted) return error("503 5.5.1 Error: nested MAIL command");
    if (!istartsWith(args, "FROM:")) return error("501 5.5.4 Syntax: MAIL FROM:<address>");
    auto path = parsePath(args.substr(5));
    if (!path.ok) return error("501 5.1.7 Bad sender address syntax");
    if (path.address.size() > _options.maxAddressBytes) return error("501 5.1.7 Sender address too long");
    bool utf8 = false;
    for (auto [name, value] : splitParams(path.rest)) {
        if (iequals(name, "SIZE")) {
            std::size_t size = 0;
            if (!parseSize(value, size)) return error("501 5.5.4 Bad SIZE parameter");
            if (size > _options.maxMessageBytes)
                return error("552 5.3.4 Message size exceeds fixed limit");
        } else if (iequals(name, "BODY")) {
            if (!iequals(value, "7BIT") && !iequals(value, "8BITMIME"))
                return error("501 5.5.4 Bad BODY parameter");
        } else if (iequals(name, "SMTPUTF8") && value.empty()) {
            // Addresses and headers may be UTF-8: we store bytes as they come.
            utf8 = true;
        } else {
            return error("555 5.5.4 Unsupported option: " + sanitize(name, 64));
        }
    }
    // RFC 6531 3.4: a UTF-8 address needs the SMTPUTF8 parameter (else the client's downgrade
    // rules apply, which are not ours to guess).
    if (!utf8 && !isAscii(path.address)) return error("553 5.6.7 Non-ASCII address needs SMTPUTF8");
    _smtpUtf8 = utf8;
    _envelope.mailFrom = std::move(path.address);
    _state = State::Mail;
    return {line("250 2.1.0 Ok"), false};
}

Reply SmtpSession::cmdRcpt(std::string_view args) {
    if (_state != State::Mail && _state != State::Rcpt) return error("503 5.5.1 Error: need MAIL command");
    if (!istartsWith(args, "TO:")) return error("501 5.5.4 Syntax: RCPT TO:<address>");
    auto path = parsePath(args.substr(3));
    if (!path.ok || path.address.empty()) return error("501 5.1.3 Bad recipient address syntax");
    if (path.address.size() > _options.maxAddressBytes) return error("501 5.1.3 Recipient address too long");
    if (!path.rest.empty()) return error("555 5.5.4 Unsupported option: " + sanitize(path.rest, 64));
    if (!_smtpUtf8 && !isAscii(path.address)) return error("553 5.6.7 Non-ASCII address needs SMTPUTF8");
    if (_envelope.recipients.size() >= _options.maxRecipients)
        return {line("452 4.5.3 Error: too many recipients"), false};

    MailSink::RecipientVerdict verdict;
    try {
        verdict = _sink.checkRecipient(path.address);
    } catch (const std::exception&) {
        verdict = MailSink::RecipientVerdict::TemporaryFailure;
    }
    const std::string shown = "<" + sanitize(path.address, _options.maxAddressBytes) + ">";
    switch (verdict) {
    case MailSink::RecipientVerdict::Accept:
        _envelope.recipients.push_back(std::move(path.address));
        _state = State::Rcpt;
        return {line("250 2.1.5 Ok"), false};
    case MailSink::RecipientVerdict::UnknownRecipient:
        return error("550 5.1.1 " + shown + ": Recipient address rejected: User unknown");
    case MailSink::RecipientVerdict::QuotaExceeded:
        return {line("452 4.2.2 " + shown + ": daily volume for this recipient exceeded, try again later"), false};
    case MailSink::RecipientVerdict::TemporaryFailure:
        break;
    }
    return {line("451 4.3.0 " + shown + ": Recipient address rejected: try again later"), false};
}

Reply SmtpSession::cmdData(std::string_view args) {
    if (!args.empty()) return error("501 5.5.4 Syntax: DATA");
    if (_state == State::Mail) return error("554 5.5.1 Error: no valid recipients");
    if (_state != State::Rcpt) return error("503 5.5.1 Error: need RCPT command");
    _state = State::Data;
    _data.clear();
    _spoolFailed = false;
    _dataStart = _options.clock();
    return {line("354 End data with <CR><LF>.<CR><LF>"), false};
}

Reply SmtpSession::onDataLine(std::string_view text) {
    // The caller hands lines without their terminator; a line longer than the limit arrives
    // truncated to limit+1. A lone CR left by a bare-LF split is not ours to keep.
    if (!text.empty() && text.back() == '\r' && text.size() <= _options.maxDataLineBytes) text.remove_suffix(1);
    if (text == ".") return endOfData();
    if (text.size() > _options.maxDataLineBytes) _dataLineTooLong = true;
    if (!text.empty() && text.front() == '.') text.remove_prefix(1);   // dot-unstuffing
    if (_dataTooBig || _dataLineTooLong || _spoolFailed) {
        _data.clear();   // keep reading to the end, but hold nothing
        return {};
    }
    if (_data.size() + text.size() + 2 > _options.maxMessageBytes) {
        _dataTooBig = true;
        _data.clear();
        return {};
    }
    try {
        _data.append(text);
        _data.append(kCrlf);
    } catch (const std::exception&) {
        _spoolFailed = true;   // disk full or similar: read to the end, then 451
        _data.clear();
    }
    return {};
}

Reply SmtpSession::endOfData() {
    _state = State::Greeted;
    std::string status;   // one reply line, without the LMTP recipient
    if (_dataTooBig) {
        status = "552 5.3.4 Message size exceeds fixed limit";
    } else if (_dataLineTooLong) {
        status = "554 5.6.0 Message rejected: line longer than " +
                 std::to_string(_options.maxDataLineBytes) + " octets";
    } else if (_spoolFailed) {
        status = "451 4.3.0 Error: message not stored, try again later";
    } else {
        MailSink::Outcome outcome;
        try {
            outcome = _sink.deliver(_envelope, _data.view());
        } catch (const std::exception& e) {
            outcome = MailSink::Outcome{false, true, {}, e.what()};
        } catch (...) {
            outcome = MailSink::Outcome{false, true, {}, "unknown error"};
        }
        if (outcome.stored)
            status = "250 2.0.0 Ok: queued as " + sanitize(outcome.queueId, 100);
        else if (outcome.temporary)
            status = "451 4.3.0 Error: message not stored, try again later";
        else
            status = "554 5.6.0 Message rejected: " + sanitize(outcome.error);
    }
    std::string out;
    if (_options.lmtp) {
        // RFC 2033 4.2: one reply per accepted recipient, in RCPT order.
        auto sp = status.find(' ', 4);   // after "250 2.0.0"
        for (const auto& rcpt : _envelope.recipients)
            out += line(status.substr(0, sp) + " <" + sanitize(rcpt, _options.maxAddressBytes) + ">" +
                        status.substr(sp));
    } else {
        out = line(status);
    }
    resetTransaction();
    return {out, false};
}

Reply SmtpSession::cmdRset(std::string_view) {
    resetTransaction();
    if (_state != State::Connected) _state = State::Greeted;
    return {line("250 2.0.0 Ok"), false};
}

Reply SmtpSession::cmdNoop(std::string_view) { return {line("250 2.0.0 Ok"), false}; }

Reply SmtpSession::cmdQuit(std::string_view) {
    _state = State::Closed;
    return {line("221 2.0.0 Bye"), true};
}

Reply SmtpSession::cmdVrfy(std::string_view args) {
    if (args.empty()) return error("501 5.5.4 Syntax: VRFY address");
    // RFC 5321 3.5.3: 252 when we neither verify nor refuse; it leaks no address list.
    return {line("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery"), false};
}

Reply SmtpSession::cmdHelp(std::string_view) {
    return {line("214 2.0.0 Commands: " + std::string(_options.lmtp ? "LHLO" : "EHLO HELO") +
                 " MAIL RCPT DATA RSET NOOP QUIT VRFY"),
            false};
}

Reply SmtpSession::cmdNotImplemented(std::string_view) {
    return error("502 5.5.1 Error: command not implemented");
}

}  // namespace duegate::inbound
