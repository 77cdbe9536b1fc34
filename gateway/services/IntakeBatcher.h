// Group commit for intake: many SMTP sessions share one transaction and one fsync per directory,
// and every mail is still acknowledged only after its own bytes and rows are durable.
//
// Leader/follower, as in LevelDB's DBImpl::Write/BuildBatchGroup: every caller of receive()
// first does its own share of the work in its own thread (sha256, Message-ID and, for blobs kept as
// files, the durable write: temp file, fsync, rename, fsync directory; fifty sessions doing that at
// once share the file system's journal commits, where one leader doing fifty in a row waits for
// each), then joins a queue. The caller at the front is the leader: it takes the queue's first
// mails (up to maxMails / maxBytes), writes every mail's inbound rows (and, when blobs live in the
// database, its blob) in ONE transaction, commits (one WAL fsync on SQLite, one WAL flush on
// PostgreSQL), and hands each follower its own result. Meanwhile the next callers queue up and
// form the next group, so a group's size follows the load by itself (no timer, no waiting for a
// group to fill: a lone mail is committed at once).
//
// Per-mail isolation: a group first runs without savepoints; when one mail's insert throws, the
// group is run once more with a SAVEPOINT per mail, the bad mail is rolled back alone and only its
// caller gets the error (the listener answers 4xx), the others commit. When BEGIN or COMMIT fails,
// every caller of the group gets that error: none of them got 250.
// Duplicates (same bytes or Message-ID to the same creditor, also twice in one group) resolve to
// the existing item, as receiveMail always did.
// Thread-safety: receive() is called from many listener threads at once; the batcher must
// outlive its callers.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/IntakeService.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::services {

struct MailIn {
    const std::string& mailFrom;
    const std::vector<std::string>& recipients;
    std::string_view raw;
    const std::string& remoteAddress;
};

class IntakeBatcher {
public:
    struct Options {
        std::size_t maxMails = 128;                 // mails per group at most
        std::size_t maxBytes = 64u * 1024 * 1024;   // raw bytes per group at most (a big mail goes alone)
        // Tests only: called for each mail inside its savepoint, before its rows; throwing fails
        // that mail alone.
        std::function<void(std::string_view raw)> beforeInsert;
    };
    IntakeBatcher();
    explicit IntakeBatcher(Options options);

    // Blocks until the mail is durable (or failed). Throws store::StoreError (or what the store
    // threw) when this mail could not be stored.
    ReceivedMail receive(Context& ctx, const MailIn& mail);

    struct Stats {
        std::uint64_t groups = 0;
        std::uint64_t mails = 0;
        std::size_t largestGroup = 0;
    };
    Stats stats() const;

    struct Writer;  // one waiting caller; internal

private:
    Options _options;
    mutable std::mutex _mutex;
    std::deque<std::shared_ptr<Writer>> _queue;
    Stats _stats;
};

// The whole of one mail without a queue (a group of one): what receiveMail does when the Context
// has no batcher (CLI commands, tests).
ReceivedMail receiveAlone(Context& ctx, const MailIn& mail);

}  // namespace duegate::services
