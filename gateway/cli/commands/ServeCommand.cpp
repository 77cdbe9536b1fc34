// `duegate serve --config FILE`: runs every listener and worker the config enables, logs to
// stderr, and stops cleanly on SIGTERM/SIGINT (listeners first, so nothing new comes in, then the
// workers finish their current pass).
#include "gateway/cli/commands/Commands.h"

#include "channels/FileMailChannel.h"
#include "channels/SmtpMailChannel.h"
#include "gateway/cli/commands/Runtime.h"
#include "gateway/inbound/IntakeSink.h"
#include "gateway/inbound/SmtpServer.h"
#include "gateway/jobs/PeriodicWorker.h"
#include "gateway/services/IngestService.h"
#include "gateway/services/MetricsService.h"
#include "gateway/services/OutboxService.h"
#include "platform/Log.h"
#include "platform/Metrics.h"
#include "portal/PortalServer.h"

#include <csignal>
#include <memory>
#include <pthread.h>

namespace duegate::cli {
namespace {

std::unique_ptr<channels::MailChannel> mailChannel(const config::Config& cfg) {
    if (cfg.smtpOut.host.empty()) {
        platform::logInfo("outbox", "outbound mail is written as .eml files ([smtp_out] host is empty)",
                          {{"dir", cfg.smtpOut.outboxDir}});
        return std::make_unique<channels::FileMailChannel>(channels::FileMailOptions{cfg.smtpOut.outboxDir, 60});
    }
    channels::SmtpRelayOptions o;
    o.host = cfg.smtpOut.host;
    o.port = static_cast<std::uint16_t>(cfg.smtpOut.port);
    o.heloName = cfg.smtpOut.heloName;
    o.envelopeFrom = cfg.smtpOut.from;
    channels::parseStartTls(cfg.smtpOut.starttls, o.starttls);
    // A relay that is down or answers 4xx is retried on the [jobs] backoff schedule (the channel's
    // own 300 s hint would override outbox_initial_backoff_s; issue 13 (d): relay down).
    o.retryAfterSeconds = static_cast<int>(cfg.jobs.outboxInitialBackoffS);
    platform::logInfo("outbox", "outbound mail goes to a relay",
                      {{"relay", o.host + ":" + std::to_string(o.port)}, {"starttls", cfg.smtpOut.starttls}});
    return std::make_unique<channels::SmtpMailChannel>(o);
}

}  // namespace

int runServe(const Args& args, Io& /*io: serve logs through platform::log to stderr*/) {
    if (auto bad = args.unknown({"config"}); !bad.empty()) throw UsageError{"serve: unknown option " + bad[0]};
    // Block the stop signals in every thread we start; the main thread waits for them below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    auto rt = openRuntime(args);
    const auto& cfg = rt.config;
    platform::LogLevel level = platform::LogLevel::Info;
    platform::parseLogLevel(cfg.log.level, level);
    platform::setLogLevel(level);
    platform::logInfo("serve", "store migrated",
                      {{"store", store::redactUrl(cfg.store.url)},
                       {"blobs", rt.ctx.blobs->inDatabase() ? std::string("database") : cfg.store.blobs}});
    services::addStoreMetrics(rt.ctx);

    auto mail = mailChannel(cfg);
    services::DispatchPolicy policy;
    policy.maxAttempts = cfg.jobs.outboxMaxAttempts;
    policy.initialBackoffS = cfg.jobs.outboxInitialBackoffS;
    policy.maxBackoffS = cfg.jobs.outboxMaxBackoffS;

    jobs::PeriodicWorker outbox("outbox", std::chrono::milliseconds(cfg.jobs.outboxIntervalMs), [&] {
        services::recoverInterrupted(rt.ctx);
        const auto s = services::dispatchDue(rt.ctx, *mail, policy);
        if (s.sent + s.retried + s.failed > 0)
            platform::logInfo("outbox", "pass", {{"sent", std::to_string(s.sent)}, {"retry", std::to_string(s.retried)},
                                                 {"failed", std::to_string(s.failed)}});
        return s.sent + s.failed > 0;
    });
    jobs::PeriodicWorker ingest("ingest", std::chrono::milliseconds(cfg.jobs.ingestIntervalMs), [&] {
        const auto s = services::processPending(rt.ctx, 50);
        if (s.applied + s.quarantined + s.failed > 0) {
            platform::logInfo("ingest", "applied " + std::to_string(s.applied),
                              {{"applied", std::to_string(s.applied)}, {"quarantined", std::to_string(s.quarantined)},
                               {"failed", std::to_string(s.failed)}});
            platform::metrics::add("duegate_ingest_items_total", {{"result", "applied"}}, s.applied,
                                   "inbound items processed by the ingest, by result");
            platform::metrics::add("duegate_ingest_items_total", {{"result", "quarantined"}}, s.quarantined);
            platform::metrics::add("duegate_ingest_items_total", {{"result", "failed"}}, s.failed);
            outbox.wake();
        }
        return s.applied + s.quarantined > 0;
    });

    inbound::IntakeSink sink(rt.ctx, [&] { ingest.wake(); });
    std::unique_ptr<inbound::SmtpServer> smtp;
    if (cfg.smtpIn.enabled) {
        inbound::SmtpServerOptions o;
        o.listen = cfg.smtpIn.listen;
        o.lmtp = cfg.smtpIn.lmtp;
        o.maxMessageBytes = cfg.smtpIn.maxMessageBytes;
        o.maxRecipients = cfg.smtpIn.maxRecipients;
        o.maxConnections = cfg.smtpIn.maxConnections;
        smtp = std::make_unique<inbound::SmtpServer>(sink, o);
        smtp->start();
        platform::logInfo("smtp", o.lmtp ? "LMTP listening" : "SMTP listening",
                          {{"address", o.listen.substr(0, o.listen.rfind(':')) + ":" + std::to_string(smtp->port())}});
    }
    std::unique_ptr<portal::PortalServer> web;
    if (cfg.portal.enabled) {
        portal::PortalOptions o;
        o.listen = cfg.portal.listen;
        o.secureCookies = cfg.portal.baseUrl.rfind("https://", 0) == 0;
        web = std::make_unique<portal::PortalServer>(rt.ctx, o);
        web->start();
        platform::logInfo("portal", "links use the base URL",
                          {{"address", o.listen.substr(0, o.listen.rfind(':')) + ":" + std::to_string(web->port())},
                           {"base_url", cfg.portal.baseUrl}});
    }
    ingest.start();
    outbox.start();
    platform::logInfo("serve", "ready");

    int sig = 0;
    sigwait(&stopSignals, &sig);
    platform::logInfo("serve", "stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    if (smtp) smtp->stop();
    if (web) web->stop();
    ingest.stop();
    outbox.stop();
    platform::logInfo("serve", "stopped");
    platform::metrics::clearCollectors();
    return 0;
}

}  // namespace duegate::cli
