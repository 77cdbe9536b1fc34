#include "gateway/services/IntakeBatcher.h"

#include "platform/Metrics.h"
#include "store/BlobGroup.h"
#include "store/CreditorRepository.h"
#include "store/InboundRepository.h"

#include <exception>
#include <map>
#include <optional>
#include <set>

namespace duegate::services {

struct IntakeBatcher::Writer {
    explicit Writer(const MailIn& m) : mail(m) {}
    const MailIn& mail;
    std::string messageId;
    ReceivedMail result;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;
};

namespace {

using Writer = IntakeBatcher::Writer;
using Hook = std::function<void(std::string_view)>;

// The caller's own share, in its own thread, before it queues: digest, Message-ID and, for a blob
// kept as a file (a large mail on SQLite), the durable write (temp, fsync, rename, fsync directory).
// A small mail's blob goes into the group's transaction instead (BlobStore::inTransaction): one WAL
// fsync for the whole group, where a file costs a file and a directory fsync per mail. Fifty sessions doing
// this at once share the file system's journal commits; done by the leader one after the other,
// the fsyncs cost more than the whole transaction (measured: bench/smtp, docs/performance.md).
void prepare(Context& ctx, Writer& w) {
    w.result.sha256 = store::BlobStore::sha256Hex(w.mail.raw);
    w.messageId = rawHeaderValue(w.mail.raw, "Message-ID");
    if (w.messageId.size() > 998) w.messageId.resize(998);
    if (!ctx.blobs->inTransaction(w.mail.raw.size())) ctx.blobs->put(w.mail.raw, w.result.sha256);
}

// The creditor each recipient address belongs to, asked once per group.
std::optional<std::int64_t> creditorFor(store::Tx& tx, const std::string& rcpt,
                                        std::map<std::string, std::optional<std::int64_t>>& creditorOf) {
    auto it = creditorOf.find(rcpt);
    if (it == creditorOf.end()) it = creditorOf.emplace(rcpt, store::creditors::idByIntakeAddress(tx, rcpt)).first;
    return it->second;
}

// A mail's inbound rows, one per creditor among its recipients (none: no creditor has the address).
std::vector<store::InboundItemRecord> itemsOf(store::Tx& tx, const Writer& w,
                                              std::map<std::string, std::optional<std::int64_t>>& creditorOf) {
    std::vector<store::InboundItemRecord> items;
    std::set<std::int64_t> seen;
    for (const auto& rcpt : w.mail.recipients) {
        const auto creditor = creditorFor(tx, rcpt, creditorOf);
        if (!creditor || !seen.insert(*creditor).second) continue;
        store::InboundItemRecord item;
        item.creditorId = *creditor;
        item.kind = "mail";
        item.sha256 = w.result.sha256;
        item.size = static_cast<std::int64_t>(w.mail.raw.size());
        if (!w.messageId.empty()) item.messageId = w.messageId;
        item.mailFrom = w.mail.mailFrom;
        item.rcptTo = rcpt;
        item.remoteAddress = w.mail.remoteAddress;
        items.push_back(std::move(item));
    }
    return items;
}

// The mail's result from its items' insert results (a duplicate only when every one was).
ReceivedMail resultOf(const Writer& w, std::vector<store::inbound::Inserted>::const_iterator first,
                      std::vector<store::inbound::Inserted>::const_iterator last) {
    ReceivedMail r;
    r.sha256 = w.result.sha256;
    r.duplicate = first != last;
    for (auto it = first; it != last; ++it) {
        r.itemIds.push_back(it->id);
        r.duplicate = r.duplicate && it->duplicate;
    }
    return r;
}

// One mail alone (inside its savepoint, when a group is run again mail by mail).
void insertRows(Context& ctx, store::Tx& tx, Writer& w, const std::string& now,
                std::map<std::string, std::optional<std::int64_t>>& creditorOf, const Hook& hook) {
    if (hook) hook(w.mail.raw);
    if (ctx.blobs->inTransaction(w.mail.raw.size())) ctx.blobs->putIn(tx, w.result.sha256, w.mail.raw);  // with its rows
    const auto inserted = store::inbound::insertReceivedMany(tx, itemsOf(tx, w, creditorOf), now);
    w.result = resultOf(w, inserted.begin(), inserted.end());
}

// The whole group's blobs and rows in as few statements as the store allows (on PostgreSQL one
// for the blobs and one for the rows, with array parameters: store/BlobGroup.h,
// inbound::insertReceivedMany) instead of two round trips per mail.
void insertGroup(Context& ctx, store::Tx& tx, const std::vector<Writer*>& group, const std::string& now,
                 std::map<std::string, std::optional<std::int64_t>>& creditorOf, const Hook& hook) {
    if (hook)
        for (auto* w : group) hook(w->mail.raw);
    std::vector<store::BlobIn> blobs;
    for (auto* w : group)
        if (ctx.blobs->inTransaction(w->mail.raw.size())) blobs.push_back({w->result.sha256, w->mail.raw});
    if (!blobs.empty()) store::putAllIn(*ctx.blobs, tx, blobs);
    std::vector<store::InboundItemRecord> items;
    std::vector<std::size_t> ends;  // where each mail's items end in `items`, in group order
    for (auto* w : group) {
        for (auto& i : itemsOf(tx, *w, creditorOf)) items.push_back(std::move(i));
        ends.push_back(items.size());
    }
    const auto inserted = store::inbound::insertReceivedMany(tx, items, now);
    for (std::size_t k = 0; k < group.size(); ++k) {
        const auto first = inserted.begin() + static_cast<std::ptrdiff_t>(k == 0 ? 0 : ends[k - 1]);
        group[k]->result = resultOf(*group[k], first, inserted.begin() + static_cast<std::ptrdiff_t>(ends[k]));
    }
}

// One transaction for the group's rows. Without savepoints the group is written at once, and when
// that throws (some mail's rows, or the hook) the whole transaction aborts and `failed` names a
// mail of the group; with them each mail is rolled back alone and its writer carries the error.
void runGroup(Context& ctx, const std::vector<Writer*>& group, const Hook& hook, bool savepoints, Writer*& failed) {
    const std::string now = ctx.now();
    ctx.db->transaction([&](store::Tx& tx) {
        std::map<std::string, std::optional<std::int64_t>> creditorOf;
        for (auto* w : group) w->error = nullptr;
        if (!savepoints) {
            failed = group.front();
            insertGroup(ctx, tx, group, now, creditorOf, hook);
            failed = nullptr;
            return;
        }
        for (auto* w : group) {
            tx.exec("SAVEPOINT intake_mail");
            try {
                insertRows(ctx, tx, *w, now, creditorOf, hook);
            } catch (const std::exception&) {
                w->error = std::current_exception();  // this caller alone hears it (4xx)
                w->result.itemIds.clear();
                tx.exec("ROLLBACK TO SAVEPOINT intake_mail");
            }
            tx.exec("RELEASE SAVEPOINT intake_mail");
        }
    });
}

// The leader's work: the group's rows (and database blobs) in one transaction. The common case
// runs without savepoints (two round trips less per mail on PostgreSQL); when one mail throws,
// the group is run once more with a savepoint per mail so that only that mail fails. A failure of
// BEGIN or COMMIT fails every mail of the group: none of them was acknowledged. Never throws.
void commitGroup(Context& ctx, const std::vector<Writer*>& group, const Hook& hook) {
    Writer* failed = nullptr;
    try {
        runGroup(ctx, group, hook, false, failed);
    } catch (...) {
        const auto error = std::current_exception();
        bool retried = false;
        if (failed && group.size() > 1) {
            try {
                Writer* none = nullptr;
                runGroup(ctx, group, hook, true, none);
                retried = true;
            } catch (...) {
            }
        }
        if (!retried)
            for (auto* w : group) {
                w->error = error;
                w->result.itemIds.clear();
            }
    }
    platform::metrics::add("duegate_intake_commits_total", {}, 1, "intake transactions (one per group of mails)");
    platform::metrics::add("duegate_intake_committed_mails_total", {}, group.size(),
                           "mails in intake transactions (this over commits = mean group size)");
}

ReceivedMail finish(Writer& w) {
    if (w.error) std::rethrow_exception(w.error);
    return std::move(w.result);
}

}  // namespace

IntakeBatcher::IntakeBatcher() : IntakeBatcher(Options{}) {}
IntakeBatcher::IntakeBatcher(Options options) : _options(std::move(options)) {
    if (_options.maxMails == 0) _options.maxMails = 1;
}

ReceivedMail IntakeBatcher::receive(Context& ctx, const MailIn& mail) {
    // Shared, so that the leader may wake its followers after letting go of the mutex (a follower
    // woken while the leader still held it went straight back to sleep on the mutex) without a
    // follower's Writer going away under the leader's notify.
    const auto w = std::make_shared<Writer>(mail);
    prepare(ctx, *w);  // throws before queueing: nothing to clean up in the queue

    std::unique_lock lock(_mutex);
    _queue.push_back(w);
    w->cv.wait(lock, [&] { return w->done || _queue.front() == w; });
    if (w->done) return finish(*w);

    // Leader: the front of the queue, up to the bounds (always at least itself).
    std::vector<std::shared_ptr<Writer>> group;
    std::vector<Writer*> members;
    std::size_t bytes = 0;
    for (const auto& x : _queue) {
        if (!group.empty() && (group.size() >= _options.maxMails || bytes + x->mail.raw.size() > _options.maxBytes))
            break;
        group.push_back(x);
        members.push_back(x.get());
        bytes += x->mail.raw.size();
    }
    lock.unlock();
    commitGroup(ctx, members, _options.beforeInsert);
    lock.lock();

    ++_stats.groups;
    _stats.mails += group.size();
    if (group.size() > _stats.largestGroup) _stats.largestGroup = group.size();
    for (std::size_t i = 0; i < group.size(); ++i) {
        _queue.pop_front();  // the group is the queue's front, in order
        group[i]->done = true;
    }
    const auto next = _queue.empty() ? nullptr : _queue.front();  // the next leader
    lock.unlock();
    for (const auto& x : group)
        if (x != w) x->cv.notify_one();
    if (next) next->cv.notify_one();
    return finish(*w);
}

IntakeBatcher::Stats IntakeBatcher::stats() const {
    std::lock_guard lock(_mutex);
    return _stats;
}

ReceivedMail receiveAlone(Context& ctx, const MailIn& mail) {
    Writer w(mail);
    prepare(ctx, w);
    commitGroup(ctx, {&w}, {});
    return finish(w);
}

}  // namespace duegate::services
