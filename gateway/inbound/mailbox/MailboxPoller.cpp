#include "gateway/inbound/mailbox/MailboxPoller.h"

#include "gateway/inbound/mailbox/ImapClient.h"
#include "gateway/inbound/mailbox/LineTransport.h"
#include "gateway/inbound/mailbox/Pop3Client.h"

#include <Poco/Exception.h>

namespace duegate::inbound {

MailboxPoller::MailboxPoller(services::Context& ctx, MailboxPollerOptions options, std::ostream& log, Connect connect)
    : _ctx(ctx), _options(std::move(options)), _log(log), _connect(std::move(connect)) {
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
        _log << "duegate: " << name << ": " << error << "\n";
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
                _log << "duegate: " << name << ": message " << msg.uid << " has " << msg.size
                     << " bytes, more than " << _options.maxMessageBytes << ": left on the server\n";
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
        _log << "duegate: " << name << ": " << e.displayText() << " (next poll retries)\n";
        s.failedMailboxes = 1;
    } catch (const std::exception& e) {
        _log << "duegate: " << name << ": " << e.what() << " (next poll retries)\n";
        s.failedMailboxes = 1;
    }
    return s;
}

}  // namespace duegate::inbound
