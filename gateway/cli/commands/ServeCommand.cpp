// `duegate serve --config FILE`: runs every listener and worker the config enables, logs to
// stderr, and stops cleanly on SIGTERM/SIGINT (listeners first, so nothing new comes in, then the
// workers finish their current pass).
#include "gateway/cli/commands/Commands.h"

#include "channels/FileMailChannel.h"
#include "channels/SmtpMailChannel.h"
#include "channels/TwilioSmsChannel.h"
#include "channels/letter/PrintProvider.h"
#include "gateway/cli/commands/Runtime.h"
#include "gateway/inbound/IntakeSink.h"
#include "gateway/inbound/SmtpServer.h"
#include "gateway/jobs/PeriodicWorker.h"
#include "gateway/services/IngestService.h"
#include "gateway/services/OutboxService.h"
#include "portal/PortalServer.h"

#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>

namespace duegate::cli {
namespace {

std::shared_ptr<const channels::DkimSigner> dkimSigner(const config::Config& cfg, std::ostream& log) {
    if (cfg.smtpOut.dkimKeyFile.empty()) return nullptr;
    auto signer = channels::DkimSigner::fromKeyFile(cfg.smtpOut.dkimKeyFile, cfg.smtpOut.dkimSelector,
                                                    cfg.smtpOut.dkimDomain);
    log << "duegate: outbound mail is DKIM-signed as d=" << cfg.smtpOut.dkimDomain << " s=" << cfg.smtpOut.dkimSelector
        << "\n";
    return signer;
}

std::unique_ptr<channels::MailChannel> mailChannel(const config::Config& cfg, std::ostream& log) {
    auto dkim = dkimSigner(cfg, log);
    if (cfg.smtpOut.host.empty()) {
        log << "duegate: outbound mail is written as .eml files into " << cfg.smtpOut.outboxDir
            << " ([smtp_out] host is empty)\n";
        return std::make_unique<channels::FileMailChannel>(channels::FileMailOptions{cfg.smtpOut.outboxDir, 60}, dkim);
    }
    channels::SmtpRelayOptions o;
    o.host = cfg.smtpOut.host;
    o.port = static_cast<std::uint16_t>(cfg.smtpOut.port);
    o.heloName = cfg.smtpOut.heloName;
    o.envelopeFrom = cfg.smtpOut.from;
    channels::parseStartTls(cfg.smtpOut.starttls, o.starttls);
    o.dkim = dkim;
    log << "duegate: outbound mail goes to " << o.host << ":" << o.port << " (starttls " << cfg.smtpOut.starttls
        << ")\n";
    return std::make_unique<channels::SmtpMailChannel>(o);
}

}  // namespace

int runServe(const Args& args, Io& io) {
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
    auto& log = io.err;
    log << "duegate: store " << (rt.ctx.db->dialect() == store::Dialect::SQLite ? "SQLite" : "PostgreSQL")
        << " migrated; blobs in " << cfg.store.blobs << "\n";

    auto mail = mailChannel(cfg, log);
    // Channels by name for the outbox dispatcher: email, sms (Twilio), letter (the print folder).
    std::unique_ptr<channels::SmsChannel> sms;
    if (rt.ctx.settings.smsEnabled) {
        channels::TwilioOptions t;
        t.baseUrl = cfg.twilio.baseUrl;
        t.accountSid = cfg.twilio.accountSid;
        t.authToken = cfg.twilio.authToken;
        t.from = cfg.twilio.from;
        t.statusCallback = cfg.portal.baseUrl + "/hooks/twilio/status";
        sms = std::make_unique<channels::TwilioSmsChannel>(t);
        log << "duegate: SMS through Twilio at " << cfg.twilio.baseUrl << "\n";
    }
    channels::PrintFolder print(cfg.print.dir);
    services::ChannelSet channelSet;
    channelSet.mail = mail.get();
    channelSet.sms = sms.get();
    channelSet.print = &print;
    if (!cfg.reply.domain.empty()) log << "duegate: replies and bounces come home to r+TOKEN@" << cfg.reply.domain << "\n";
    services::DispatchPolicy policy;
    policy.maxAttempts = cfg.jobs.outboxMaxAttempts;
    policy.initialBackoffS = cfg.jobs.outboxInitialBackoffS;
    policy.maxBackoffS = cfg.jobs.outboxMaxBackoffS;

    jobs::PeriodicWorker outbox("outbox", std::chrono::milliseconds(cfg.jobs.outboxIntervalMs), [&] {
        services::recoverInterrupted(rt.ctx);
        const auto s = services::dispatchDue(rt.ctx, channelSet, policy);
        if (s.sent + s.retried + s.failed > 0)
            log << "duegate: outbox: sent " << s.sent << ", retry " << s.retried << ", failed " << s.failed << "\n";
        return s.sent + s.failed > 0;
    });
    jobs::PeriodicWorker ingest("ingest", std::chrono::milliseconds(cfg.jobs.ingestIntervalMs), [&] {
        const auto s = services::processPending(rt.ctx, 50);
        if (s.applied + s.quarantined + s.failed > 0) {
            log << "duegate: ingest: applied " << s.applied << ", quarantined " << s.quarantined << ", failed "
                << s.failed << "\n";
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
        log << "duegate: " << (o.lmtp ? "LMTP" : "SMTP") << " listening on "
            << o.listen.substr(0, o.listen.rfind(':')) << ":" << smtp->port() << "\n";
    }
    std::unique_ptr<portal::PortalServer> web;
    if (cfg.portal.enabled) {
        portal::PortalOptions o;
        o.listen = cfg.portal.listen;
        o.secureCookies = cfg.portal.baseUrl.rfind("https://", 0) == 0;
        web = std::make_unique<portal::PortalServer>(rt.ctx, o);
        web->start();
        log << "duegate: portal listening on " << o.listen.substr(0, o.listen.rfind(':')) << ":" << web->port()
            << " (links use " << cfg.portal.baseUrl << ")\n";
    }
    ingest.start();
    outbox.start();
    log << "duegate: ready" << std::endl;

    int sig = 0;
    sigwait(&stopSignals, &sig);
    log << "duegate: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ": stopping" << std::endl;
    if (smtp) smtp->stop();
    if (web) web->stop();
    ingest.stop();
    outbox.stop();
    log << "duegate: stopped" << std::endl;
    return 0;
}

}  // namespace duegate::cli
