#include "gateway/services/IntakeBatcher.h"

#include "platform/Metrics.h"
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

void insertRows(Context& ctx, store::Tx& tx, Writer& w, const std::string& now,
                std::map<std::string, std::optional<std::int64_t>>& creditorOf, const Hook& hook) {
    if (hook) hook(w.mail.raw);
    if (ctx.blobs->inTransaction(w.mail.raw.size())) ctx.blobs->putIn(tx, w.result.sha256, w.mail.raw);  // with its rows
    ReceivedMail r;
    r.sha256 = w.result.sha256;
    r.duplicate = true;
    std::set<std::int64_t> seen;
    for (const auto& rcpt : w.mail.recipients) {
        auto it = creditorOf.find(rcpt);
        if (it == creditorOf.end()) {
            it = creditorOf.emplace(rcpt, store::creditors::idByIntakeAddress(tx, rcpt)).first;
        }
        if (!it->second || !seen.insert(*it->second).second) continue;
        store::InboundItemRecord item;
        item.creditorId = *it->second;
        item.kind = "mail";
        item.sha256 = r.sha256;
        item.size = static_cast<std::int64_t>(w.mail.raw.size());
        if (!w.messageId.empty()) item.messageId = w.messageId;
        item.mailFrom = w.mail.mailFrom;
        item.rcptTo = rcpt;
        item.remoteAddress = w.mail.remoteAddress;
        const auto inserted = store::inbound::insertReceived(tx, item, now);
        r.itemIds.push_back(inserted.id);
        r.duplicate = r.duplicate && inserted.duplicate;
    }
    if (r.itemIds.empty()) r.duplicate = false;
    w.result = std::move(r);
}

// One transaction for the group's rows. Without savepoints a mail that throws aborts the whole
// transaction (and is reported through `failed`); with them it is rolled back alone and its
// writer carries the error.
void runGroup(Context& ctx, const std::vector<Writer*>& group, const Hook& hook, bool savepoints, Writer*& failed) {
    const std::string now = ctx.now();
    ctx.db->transaction([&](store::Tx& tx) {
        std::map<std::string, std::optional<std::int64_t>> creditorOf;
        for (auto* w : group) {
            w->error = nullptr;
            if (!savepoints) {
                failed = w;
                insertRows(ctx, tx, *w, now, creditorOf, hook);
                failed = nullptr;
                continue;
            }
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
