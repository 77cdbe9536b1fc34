// Pop3Client: a polled POP3 mailbox through Poco's POP3ClientSession (RFC 1939): LIST for sizes,
// "UIDL n" per message for its unique id (Poco has no multi-line UIDL; one line per message is
// plain RFC 1939), RETR for the raw bytes, DELE after commit when asked ("delete"), and QUIT,
// where the server applies the deletions: a connection that dies before QUIT deletes nothing.
// Thread-safety: one client, one thread.
#pragma once

#include "gateway/inbound/mailbox/MailboxClient.h"

#include <Poco/Net/POP3ClientSession.h>

#include <map>
#include <string>

namespace duegate::inbound {

class Pop3Client final : public MailboxClient {
public:
    // `socket` connected (TLS or not); logs in. after = "delete" or "keep".
    Pop3Client(const Poco::Net::StreamSocket& socket, const std::string& user, const std::string& password,
               std::string after, int timeoutSeconds);

    Listing list() override;
    std::string fetch(const std::string& uid) override;
    void finish(const std::string& uid) override;
    void quit() override;

private:
    Poco::Net::POP3ClientSession _session;
    std::string _after;
    std::map<std::string, int> _numbers;   // UIDL -> message number in this session
};

}  // namespace duegate::inbound
