#include "gateway/inbound/mailbox/MailboxPoller.h"

#include "gateway/inbound/mailbox/ImapClient.h"
#include "gateway/inbound/mailbox/LineTransport.h"
#include "gateway/inbound/mailbox/Pop3Client.h"

#include "platform/Log.h"

#include <Poco/Exception.h>

namespace duegate::inbound {

MailboxPoller::MailboxPoller(services::Context& ctx, MailboxPollerOptions options, Connect connect)
    : _ctx(ctx), _options(std::move(options)), _connect(std::move(connect)) {
    if (!_connect) {
        _connect = [this](const store::mailboxes::MailboxRecord& m, const services::MailboxUrl& url,
                          const std::string& password) -> std::unique_ptr<MailboxClient> {
            TransportOptions t{url.host, url.port, url.tls, _options.caFile, _options.timeoutSeconds};
            auto socket = connectSocket(t);
            if (url.protocol == services::MailboxUrl::Protocol::Pop3)
                return std::make_unique<Pop3Client>(socket, url.user, password, m.afterImport, _options.timeoutSeconds);
            return std::make_unique<ImapClient>(std::make_unique<PocoLineTransport>(socket), url.user, password,
                                                url.folder, m.afterImport, _options.maxMessageBytes);
        };
    }
}

PollStats MailboxPoller::pollOnce() {
    PollStats total;
    for (const auto& m : services::enabledMailboxes(_ctx)) {
        const auto s = pollMailbox(m);
        total.fetched += s.fetched;
        total.duplicates += s.duplicates;
        total.finished += s.finished;
        total.failedMailboxes += s.failedMailboxes;
    }
    return total;
}

PollStats MailboxPoller::pollMailbox(const store::mailboxes::MailboxRecord& m) {
    PollStats s;
    std::string error;
    const auto url = services::parseMailboxUrl(m.url, error);
    const std::string name = "mailbox " + std::to_string(m.id) + " (" + (url ? url->display() : m.url) + ")";
    if (!url) {
        platform::logError("mailbox", "bad URL", {{"mailbox", name}, {"error", error}});
        s.failedMailboxes = 1;
        return s;
    }
    try {
        auto client = _connect(m, *url, services::mailboxPassword(m));
        const auto listing = client->list();
        const auto done = services::fetchedUids(_ctx, m, listing.uidValidity);
        for (const auto& msg : listing.messages) {
            if (done.count(msg.uid)) {
                client->finish(msg.uid);   // committed before, not yet deleted or moved
                ++s.finished;
                continue;
            }
            if (msg.size > _options.maxMessageBytes) {
                platform::logWarning("mailbox", "message too large, left on the server",
                                     {{"mailbox", name}, {"uid", msg.uid}, {"bytes", std::to_string(msg.size)},
                                      {"limit", std::to_string(_options.maxMessageBytes)}});
                continue;
            }
            const std::string raw = client->fetch(msg.uid);
            const auto r = services::receivePolledMail(_ctx, m, listing.uidValidity, msg.uid, raw, url->display());
            ++s.fetched;
            if (r.duplicate) ++s.duplicates;
            client->finish(msg.uid);   // only after the commit above
            ++s.finished;
        }
        client->quit();
    } catch (const Poco::Exception& e) {
        platform::logWarning("mailbox", "poll failed, next poll retries", {{"mailbox", name}, {"error", e.displayText()}});
        s.failedMailboxes = 1;
    } catch (const std::exception& e) {
        platform::logWarning("mailbox", "poll failed, next poll retries", {{"mailbox", name}, {"error", e.what()}});
        s.failedMailboxes = 1;
    }
    return s;
}

}  // namespace duegate::inbound
