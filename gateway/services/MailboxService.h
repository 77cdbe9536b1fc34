// Mailboxes elsewhere that duegate polls for a creditor (POP3, IMAP), as use cases: configure
// them (the `duegate mailbox` CLI), know what was fetched, and take one fetched message in through
// the same intake as SMTP (receiveMail: same blob, same inbound item, same idempotency by raw
// sha256 and Message-ID, so a mail that also arrived by SMTP is one item).
//
// Order per message (the poller in gateway/inbound/mailbox follows it): fetch -> receivePolledMail
// (the item is committed and the UID remembered) -> only then DELE / MOVE on the server. A crash
// between the two leaves the message on the server, already remembered: the next poll only
// finishes the delete or move; a crash before the remember fetches it again and the intake's
// natural key makes it the same item.
// Passwords live in a file or an environment variable named here; never in the database or a log.
// Thread-safety: like every service, safe from several threads.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/MailboxUrl.h"
#include "store/MailboxRepository.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::services {

struct MailboxInput {
    std::int64_t creditorId = 0;
    std::string url;
    std::optional<std::string> passwordFile, passwordEnv;   // exactly one
    std::string afterImport;   // empty = POP3 "delete", IMAP "move:Processed"; or keep | delete | move:FOLDER
};

// Validates and records a mailbox. Throws InputError (bad URL, password in the URL, no or two
// password sources, `delete` for IMAP or `move:` for POP3, the same URL twice) or NotFound
// (no such creditor).
std::int64_t addMailbox(Context& ctx, const MailboxInput& in);
std::vector<store::mailboxes::MailboxRecord> listMailboxes(Context& ctx, std::optional<std::int64_t> creditorId);
std::vector<store::mailboxes::MailboxRecord> enabledMailboxes(Context& ctx);

// The password of a mailbox (first line of its file, or its environment variable). Throws
// std::runtime_error naming the file or variable, never the value.
std::string mailboxPassword(const store::mailboxes::MailboxRecord& m);

std::set<std::string> fetchedUids(Context& ctx, const store::mailboxes::MailboxRecord& m,
                                  const std::string& uidValidity);

struct PolledMail {
    std::int64_t itemId = 0;
    bool duplicate = false;
};
// Stores one fetched message as the creditor's intake item and remembers its UID. Throws when it
// cannot store (the poller leaves the message on the server and tries again next poll).
PolledMail receivePolledMail(Context& ctx, const store::mailboxes::MailboxRecord& m, const std::string& uidValidity,
                             const std::string& uid, std::string_view raw, const std::string& source);

}  // namespace duegate::services
