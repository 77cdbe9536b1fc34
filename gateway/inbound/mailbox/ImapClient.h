// ImapClient: the few IMAP4rev1 (RFC 3501) commands a poller needs, over a LineTransport:
// LOGIN, SELECT (UIDVALIDITY), UID SEARCH / UID FETCH (UID RFC822.SIZE) to list, UID FETCH
// BODY.PEEK[] to read without setting \Seen, and after commit UID MOVE (RFC 6851) or, where the
// server lacks MOVE, UID COPY + \Deleted + UID EXPUNGE (RFC 4315) / EXPUNGE. The target folder is
// created on first use.
//
// Why our own client: Poco has none, and libcurl's IMAP support fetches one URL per request
// (SELECT's UIDVALIDITY is not returned to the caller, a move needs CUSTOMREQUEST strings and
// their raw replies parsed anyway), so the poller would still parse IMAP responses while paying a
// login per message. The part of IMAP we need is small: tagged commands, untagged lines and
// {N} literals; the response reader below handles those and refuses anything larger than the
// configured message size.
// The password is sent as a quoted string or a literal and never appears in an exception text.
// Thread-safety: one client, one thread.
#pragma once

#include "gateway/inbound/mailbox/LineTransport.h"
#include "gateway/inbound/mailbox/MailboxClient.h"

#include <memory>
#include <string>
#include <vector>

namespace duegate::inbound {

class ImapClient final : public MailboxClient {
public:
    // Reads the greeting, logs in and selects `folder`. after = "keep" or "move:FOLDER".
    ImapClient(std::unique_ptr<LineTransport> transport, const std::string& user, const std::string& password,
               const std::string& folder, std::string after, std::size_t maxMessageBytes);

    Listing list() override;
    std::string fetch(const std::string& uid) override;
    void finish(const std::string& uid) override;
    void quit() override;

    struct Untagged {
        std::string line;                    // literals replaced by "{N}"
        std::vector<std::string> literals;
    };
    struct Response {
        std::string status;                  // OK | NO | BAD
        std::string text;
        std::vector<Untagged> untagged;
    };
    // Sends one command (a tag is added) and reads to its tagged reply. `what` names it in errors.
    Response command(const std::string& cmd, const std::string& what);

private:
    Response require(const std::string& cmd, const std::string& what);

    std::unique_ptr<LineTransport> _t;
    std::string _after;
    std::size_t _maxMessageBytes;
    unsigned _tag = 0;
    bool _move = false, _uidplus = false, _folderReady = false;
    std::string _uidValidity;
};

// "quoted string" with \ and " escaped (RFC 3501 4.3).
std::string imapQuote(const std::string& s);

}  // namespace duegate::inbound
