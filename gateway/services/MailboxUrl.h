// The address of a mailbox duegate polls: pop3://user@host:port, pop3s://..., imap://user@host:port/FOLDER,
// imaps://... (FOLDER defaults to INBOX; the user may be percent-encoded, e.g. a%40b.example).
// A password in the URL is refused: it would end up in the database and in logs (use a file or
// an environment variable). Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services {

struct MailboxUrl {
    enum class Protocol { Pop3, Imap } protocol = Protocol::Pop3;
    bool tls = false;        // pop3s / imaps: TLS from the first byte
    std::string user, host;
    std::uint16_t port = 0;  // the protocol's default when the URL names none
    std::string folder;      // IMAP only
    // The URL without the user: for logs and the intake item's remote_address.
    std::string display() const;
};

// nullopt and `error` set when the URL is not one of the forms above.
std::optional<MailboxUrl> parseMailboxUrl(const std::string& url, std::string& error);

}  // namespace duegate::services
