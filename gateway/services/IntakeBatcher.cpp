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
    store::BlobStore::Staged staged;
    ReceivedMail result;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;
};

namespace {

using Writer = IntakeBatcher::Writer;

// The caller's own share, in its own thread: digest, Message-ID, and the blob's temporary file.
void prepare(Context& ctx, Writer& w) {
    w.result.sha256 = store::BlobStore::sha256Hex(w.mail.raw);
    w.messageId = rawHeaderValue(w.mail.raw, "Message-ID");
    if (w.messageId.size() > 998) w.messageId.resize(998);
    w.staged = ctx.blobs->stage(w.mail.raw, w.result.sha256);
}

void insertRows(Context& ctx, store::Tx& tx, Writer& w, const std::string& now,
                std::map<std::string, std::optional<std::int64_t>>& creditorOf,
                const std::function<void(std::string_view)>& beforeInsert) {
    if (beforeInsert) beforeInsert(w.mail.raw);
    if (ctx.blobs->inDatabase()) ctx.blobs->putIn(tx, w.result.sha256, w.mail.raw);
    ReceivedMail r;
    r.sha256 = w.result.sha256;
    r.duplicate = true;
    std::set<std::int64_t> seen;
    for (const auto& rcpt : w.mail.recipients) {
        auto it = creditorOf.find(rcpt);
        if (it == creditorOf.end()) {
            auto c = store::creditors::byIntakeAddress(tx, rcpt);
            it = creditorOf.emplace(rcpt, c ? std::optional<std::int64_t>(c->id) : std::nullopt).first;
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

// The leader's work for a group: blobs into place (one fsync per directory), then one transaction
// for every mail's rows, each in its own savepoint. Sets each writer's result or error; never throws.
void commitGroup(Context& ctx, const std::vector<Writer*>& group, const std::function<void(std::string_view)>& hook) {
    std::vector<store::BlobStore::Staged> staged;
    staged.reserve(group.size());
    for (auto* w : group) staged.push_back(w->staged);
    try {
        ctx.blobs->publish(staged);  // blobs durable before the rows that point at them
    } catch (...) {
        for (auto* w : group) w->error = std::current_exception();
    }
    for (std::size_t i = 0; i < group.size(); ++i) group[i]->staged = staged[i];  // what is left to discard
    if (group.front()->error) return;
    const bool savepoints = group.size() > 1;
    try {
        const std::string now = ctx.now();
        ctx.db->transaction([&](store::Tx& tx) {
            std::map<std::string, std::optional<std::int64_t>> creditorOf;
            for (auto* w : group) {
                if (!savepoints) {
                    insertRows(ctx, tx, *w, now, creditorOf, hook);
                    continue;
                }
                tx.exec("SAVEPOINT intake_mail");
                try {
                    insertRows(ctx, tx, *w, now, creditorOf, hook);
                } catch (const std::exception&) {
                    // This mail alone: its caller hears the error, the rest of the group goes on.
                    w->error = std::current_exception();
                    tx.exec("ROLLBACK TO SAVEPOINT intake_mail");
                }
                tx.exec("RELEASE SAVEPOINT intake_mail");
            }
        });
    } catch (...) {
        for (auto* w : group) w->error = std::current_exception();  // nothing of the group committed
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
    Writer w(mail);
    prepare(ctx, w);  // throws before queueing: nothing to clean up in the queue

    std::unique_lock lock(_mutex);
    _queue.push_back(&w);
    w.cv.wait(lock, [&] { return w.done || _queue.front() == &w; });
    if (w.done) return finish(w);

    // Leader: the front of the queue, up to the bounds (always at least itself).
    std::vector<Writer*> group;
    std::size_t bytes = 0;
    for (auto* x : _queue) {
        if (!group.empty() && (group.size() >= _options.maxMails || bytes + x->mail.raw.size() > _options.maxBytes))
            break;
        group.push_back(x);
        bytes += x->mail.raw.size();
    }
    lock.unlock();
    commitGroup(ctx, group, _options.beforeInsert);
    for (auto* x : group) store::BlobStore::discard(x->staged);  // only what was not published
    lock.lock();

    ++_stats.groups;
    _stats.mails += group.size();
    if (group.size() > _stats.largestGroup) _stats.largestGroup = group.size();
    for (auto* x : group) {
        _queue.pop_front();  // the group is the queue's front, in order
        x->done = true;
        if (x != &w) x->cv.notify_one();
    }
    if (!_queue.empty()) _queue.front()->cv.notify_one();  // the next leader
    lock.unlock();
    return finish(w);
}

IntakeBatcher::Stats IntakeBatcher::stats() const {
    std::lock_guard lock(_mutex);
    return _stats;
}

ReceivedMail receiveAlone(Context& ctx, const MailIn& mail) {
    Writer w(mail);
    prepare(ctx, w);
    commitGroup(ctx, {&w}, {});
    store::BlobStore::discard(w.staged);
    return finish(w);
}

}  // namespace duegate::services
