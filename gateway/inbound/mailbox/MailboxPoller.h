// MailboxPoller: one pass over every enabled mailbox (`duegate mailbox add`), run by `serve`
// every [mailbox] poll_seconds. Per mailbox: connect, list, and for each message not yet fetched:
// fetch -> services::receivePolledMail (the item committed, the UID remembered) -> only then
// finish it on the server (POP3 DELE, applied at QUIT; IMAP UID MOVE). A message already
// remembered but still there (a crash after commit) is only finished. A message larger than
// maxMessageBytes is left on the server and logged once per pass.
// A mailbox that fails (unreachable, bad password, protocol error) is logged without its
// password and skipped until the next pass; the others still run.
// Thread-safety: pollOnce() from one thread at a time.
#pragma once

#include "gateway/inbound/mailbox/MailboxClient.h"
#include "gateway/services/Context.h"
#include "gateway/services/MailboxService.h"

#include <functional>
#include <memory>
#include <string>

namespace duegate::inbound {

struct MailboxPollerOptions {
    int timeoutSeconds = 60;
    std::size_t maxMessageBytes = 26214400;
    std::string caFile;   // PEM bundle trusted for pop3s/imaps; empty = the system's store
};

struct PollStats {
    std::size_t fetched = 0, duplicates = 0, finished = 0, failedMailboxes = 0;
};

class MailboxPoller {
public:
    // Opens a client for a mailbox (tests pass a fake); the default connects for real.
    using Connect = std::function<std::unique_ptr<MailboxClient>(const store::mailboxes::MailboxRecord&,
                                                                 const services::MailboxUrl&,
                                                                 const std::string& password)>;
    // Logs through platform::log (module mailbox), never a password.
    MailboxPoller(services::Context& ctx, MailboxPollerOptions options, Connect connect = {});

    PollStats pollOnce();
    PollStats pollMailbox(const store::mailboxes::MailboxRecord& m);

private:
    services::Context& _ctx;
    MailboxPollerOptions _options;
    Connect _connect;
};

}  // namespace duegate::inbound
