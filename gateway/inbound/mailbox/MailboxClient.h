// MailboxClient: one connection to a polled mailbox, the narrow seam between the poller's rules
// (MailboxPoller: fetch, commit, only then delete or move) and a protocol (Pop3Client, ImapClient).
// Errors: every method throws (Poco::Exception or std::runtime_error) on a network or protocol
// failure; the poller then drops the connection, and whatever was not finished stays on the server.
// Thread-safety: one client per poll, one thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace duegate::inbound {

class MailboxClient {
public:
    virtual ~MailboxClient() = default;

    struct Message {
        std::string uid;        // POP3 UIDL or IMAP UID
        std::size_t size = 0;   // as the server reports it
    };
    struct Listing {
        std::string uidValidity;   // IMAP UIDVALIDITY of the folder; "" for POP3
        std::vector<Message> messages;
    };
    virtual Listing list() = 0;
    virtual std::string fetch(const std::string& uid) = 0;   // the raw message, leaves it unread/undeleted
    // After commit: POP3 "delete" marks it deleted (done at QUIT); IMAP "move:FOLDER" moves it;
    // "keep" does nothing.
    virtual void finish(const std::string& uid) = 0;
    virtual void quit() = 0;   // a clean end (POP3: the deletions take effect here)
};

}  // namespace duegate::inbound
