// `duegate mailbox add --config FILE --creditor ID --url pop3s://user@host:port (--password-file F |
//  --password-env VAR) [--after delete|keep|move:FOLDER]`: a mailbox elsewhere that `serve` polls
// for the creditor (docs/intake.md). Prints {"id": N}. The password itself is never given on the
// command line (it would be in the shell history and `ps`), nor stored: only where to read it.
// `duegate mailbox list --config FILE [--creditor ID]`: one JSON object per line.
// `duegate mailbox poll --config FILE`: one pass now (what `serve` does every poll_seconds).
#include "gateway/cli/commands/Commands.h"

#include "gateway/cli/commands/Runtime.h"
#include "gateway/inbound/mailbox/MailboxPoller.h"
#include "gateway/services/MailboxService.h"

#include <iostream>

namespace duegate::cli {
namespace {

std::int64_t number(const std::string& option, const std::string& v) {
    try {
        std::size_t used = 0;
        const auto n = std::stoll(v, &used);
        if (used == v.size() && n > 0) return n;
    } catch (const std::exception&) {
    }
    throw UsageError{"mailbox: --" + option + ": expected a positive number, got '" + v + "'"};
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out + "\"";
}

}  // namespace

int runMailboxAdd(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "creditor", "url", "password-file", "password-env", "after"}); !bad.empty())
        throw UsageError{"mailbox add: unknown option " + bad[0]};
    const auto creditor = args.get("creditor");
    const auto url = args.get("url");
    if (!creditor || !url) throw UsageError{"mailbox add: --creditor ID and --url URL are required"};
    services::MailboxInput in;
    in.creditorId = number("creditor", *creditor);
    in.url = *url;
    in.passwordFile = args.get("password-file");
    in.passwordEnv = args.get("password-env");
    in.afterImport = args.getOr("after", "");
    auto rt = openRuntime(args);
    try {
        const auto id = services::addMailbox(rt.ctx, in);
        io.out << "{\"id\": " << id << "}\n";
    } catch (const services::InputError& e) {
        throw UsageError{std::string("mailbox add: ") + e.what()};
    } catch (const services::NotFound& e) {
        throw UsageError{std::string("mailbox add: ") + e.what()};
    }
    return 0;
}

int runMailboxList(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config", "creditor"}); !bad.empty())
        throw UsageError{"mailbox list: unknown option " + bad[0]};
    std::optional<std::int64_t> creditor;
    if (auto c = args.get("creditor")) creditor = number("creditor", *c);
    auto rt = openRuntime(args);
    for (const auto& m : services::listMailboxes(rt.ctx, creditor)) {
        io.out << "{\"id\": " << m.id << ", \"creditor\": " << m.creditorId << ", \"url\": " << quoted(m.url)
               << ", \"password\": "
               << quoted(m.passwordFile ? "file:" + *m.passwordFile : "env:" + m.passwordEnv.value_or(""))
               << ", \"after\": " << quoted(m.afterImport) << ", \"enabled\": " << (m.enabled ? "true" : "false")
               << "}\n";
    }
    return 0;
}

int runMailboxPoll(const Args& args, Io& io) {
    if (auto bad = args.unknown({"config"}); !bad.empty()) throw UsageError{"mailbox poll: unknown option " + bad[0]};
    auto rt = openRuntime(args);
    inbound::MailboxPollerOptions o;
    o.timeoutSeconds = static_cast<int>(rt.config.mailbox.timeoutSeconds);
    o.maxMessageBytes = static_cast<std::size_t>(rt.config.mailbox.maxMessageBytes);
    o.caFile = rt.config.mailbox.caFile;
    inbound::MailboxPoller poller(rt.ctx, o);   // problems go to the log on stderr
    const auto s = poller.pollOnce();
    io.out << "{\"fetched\": " << s.fetched << ", \"duplicates\": " << s.duplicates << ", \"finished\": " << s.finished
           << ", \"failed_mailboxes\": " << s.failedMailboxes << "}\n";
    return s.failedMailboxes ? 1 : 0;
}

}  // namespace duegate::cli
