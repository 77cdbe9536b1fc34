// `duegate serve --config FILE`: runs every listener and worker the config enables, logs to
// stderr, and stops cleanly on SIGTERM/SIGINT (listeners first, so nothing new comes in, then the
// workers finish their current pass).
#include "gateway/cli/commands/Commands.h"

#include "channels/FileMailChannel.h"
#include "channels/SmtpMailChannel.h"
#include "channels/TwilioSmsChannel.h"
#include "channels/WebhookChannel.h"
#include "channels/letter/PrintProvider.h"
#include "gateway/cli/commands/Runtime.h"
#include "gateway/inbound/IntakeSink.h"
#include "gateway/inbound/SmtpServer.h"
#include "gateway/inbound/drop/DropDoor.h"
#include "gateway/inbound/mailbox/MailboxPoller.h"
#include "gateway/jobs/PeriodicWorker.h"
#include "gateway/jobs/IntakeYield.h"
#include "gateway/services/AuthService.h"
#include "gateway/services/IngestService.h"
#include "gateway/services/MetricsService.h"
#include "gateway/services/NotificationService.h"
#include "gateway/services/WebhookService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/core/ContactWindow.h"
#include "gateway/services/dunning/DunningRun.h"
#include "gateway/services/payments/PaymentService.h"
#include "gateway/services/payments/PayoutService.h"
#include "platform/Log.h"
#include "platform/Metrics.h"
#include "portal/PortalServer.h"

#include <Poco/DateTime.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <pthread.h>

namespace duegate::cli {
namespace {

std::shared_ptr<const channels::DkimSigner> dkimSigner(const config::Config& cfg) {
    if (cfg.smtpOut.dkimKeyFile.empty()) return nullptr;
    auto signer = channels::DkimSigner::fromKeyFile(cfg.smtpOut.dkimKeyFile, cfg.smtpOut.dkimSelector,
                                                    cfg.smtpOut.dkimDomain);
    platform::logInfo("outbox", "outbound mail is DKIM-signed",
                      {{"d", cfg.smtpOut.dkimDomain}, {"s", cfg.smtpOut.dkimSelector}});
    return signer;
}

std::unique_ptr<channels::MailChannel> mailChannel(const config::Config& cfg) {
    auto dkim = dkimSigner(cfg);
    if (cfg.smtpOut.host.empty()) {
        platform::logInfo("outbox", "outbound mail is written as .eml files ([smtp_out] host is empty)",
                          {{"dir", cfg.smtpOut.outboxDir}});
        return std::make_unique<channels::FileMailChannel>(channels::FileMailOptions{cfg.smtpOut.outboxDir, 60}, dkim);
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
    o.finalReplyTimeoutSeconds = static_cast<int>(cfg.jobs.outboxReplyTimeoutS);   // then: parked, unknown
    o.dkim = dkim;
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
        platform::logInfo("outbox", "SMS through Twilio", {{"base_url", cfg.twilio.baseUrl}});
    }
    channels::PrintFolder print(cfg.print.dir);
    services::ChannelSet channelSet;
    channelSet.mail = mail.get();
    channelSet.sms = sms.get();
    channelSet.print = &print;
    if (!cfg.reply.domain.empty())
        platform::logInfo("smtp", "replies and bounces come home to r+TOKEN addresses", {{"domain", cfg.reply.domain}});
    // Outbound webhooks to creditors' systems (the outbox channel 'webhook'; docs/webhooks.md).
    channels::WebhookOptions webhookOptions;
    webhookOptions.timeoutSeconds = static_cast<long>(cfg.webhooks.timeoutSeconds);
    webhookOptions.allowPrivateAddresses = cfg.webhooks.allowPrivateAddresses;
    channels::WebhookChannel webhookChannel(webhookOptions);
    channelSet.webhook = &webhookChannel;
    services::DispatchPolicy policy;
    policy.maxAttempts = cfg.jobs.outboxMaxAttempts;
    policy.initialBackoffS = cfg.jobs.outboxInitialBackoffS;
    policy.maxBackoffS = cfg.jobs.outboxMaxBackoffS;
    policy.leaseSeconds = cfg.jobs.outboxLeaseS;

    jobs::PeriodicWorker outbox("outbox", std::chrono::milliseconds(cfg.jobs.outboxIntervalMs), [&] {
        if (const auto parked = services::recoverInterrupted(rt.ctx); parked > 0)
            platform::logWarning("outbox", "interrupted sends parked for review (duegate outbox list)",
                                 {{"parked", std::to_string(parked)}});
        const auto s = services::dispatchDue(rt.ctx, channelSet, policy);
        if (s.sent + s.retried + s.failed + s.parked > 0)
            platform::logInfo("outbox", "pass", {{"sent", std::to_string(s.sent)}, {"retry", std::to_string(s.retried)},
                                                 {"failed", std::to_string(s.failed)},
                                                 {"parked", std::to_string(s.parked)}});
        return s.sent + s.failed + s.parked > 0;
    }, std::chrono::seconds(cfg.jobs.outboxLeaseS));   // one send may wait outbox_reply_timeout_s for its reply
    // The ingest stands back while SMTP sessions are storing mails (at most 2 s in a row, then it
    // drains its backlog as before): see gateway/jobs/IntakeYield.h.
    jobs::IntakeYield intakeYield;
    jobs::PeriodicWorker ingest("ingest", std::chrono::milliseconds(cfg.jobs.ingestIntervalMs), [&] {
        intakeYield.waitForQuiet();
        const auto s = services::processPending(rt.ctx, 50);
        intakeYield.passDone(s.applied + s.quarantined > 0);
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

    // The daily dunning run at [dunning] schedule (local time in [dunning] time_zone). Checked every
    // 30 s; once the time has come, today's run happens once in this process (a restart later that
    // day runs it again, which queues nothing new: the steps are UNIQUE).
    std::string lastDunningDay;
    const auto& dunningSetup = services::dunning::setupOf(rt.ctx);
    jobs::PeriodicWorker dunning("dunning", std::chrono::seconds(30), [&] {
        if (cfg.dunning.schedule == "off") return false;
        const auto nowUnix = rt.ctx.clock->now().epochTime();
        const auto today = core::localDate(nowUnix, dunningSetup.zone);
        const int at = std::stoi(cfg.dunning.schedule.substr(0, 2)) * 60 + std::stoi(cfg.dunning.schedule.substr(3, 2));
        if (today.iso() == lastDunningDay || nowUnix < core::instantAtLocal(dunningSetup.zone, today, at)) return false;
        lastDunningDay = today.iso();
        const auto started = std::chrono::steady_clock::now();
        const auto s = services::dunning::runDunning(rt.ctx, dunningSetup, today);
        platform::metrics::observe("duegate_dunning_run_seconds",
                                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                                   {}, "duration of the daily dunning run");
        platform::metrics::add("duegate_dunning_queued_total", {}, s.queued, "messages queued by the dunning run");
        platform::logInfo("dunning", "dunning run " + today.iso() + ": " + std::to_string(s.dossiers) + " dossiers",
                          {{"date", today.iso()}, {"dossiers", std::to_string(s.dossiers)},
                           {"queued", std::to_string(s.queued)}, {"tasks", std::to_string(s.tasks)},
                           {"waiting", std::to_string(s.waiting)}, {"paused", std::to_string(s.paused)},
                           {"failed", std::to_string(s.failed)}});
        if (s.queued > 0) outbox.wake();
        return false;
    });

    // Payments: the matcher over statement lines no pass has seen yet (an import that was cut off
    // between storing and matching), and the weekly payout at [payout] schedule (UTC), for the
    // period ending the day before; once per day per process, and a paid period pays nothing again.
    jobs::PeriodicWorker matcher("matcher", std::chrono::seconds(5), [&] {
        const auto s = services::payments::matchPending(rt.ctx);
        platform::metrics::add("duegate_payment_lines_total", {{"verdict", "matched"}}, s.matched,
                               "statement lines the matcher decided, by verdict");
        platform::metrics::add("duegate_payment_lines_total", {{"verdict", "suggested"}}, s.suggested);
        platform::metrics::add("duegate_payment_lines_total", {{"verdict", "unmatched"}}, s.unmatched);
        if (s.matched + s.suggested + s.unmatched > 0) {
            platform::logInfo("matcher", "pass", {{"matched", std::to_string(s.matched)},
                                                  {"suggested", std::to_string(s.suggested)},
                                                  {"unmatched", std::to_string(s.unmatched)}});
            outbox.wake();
        }
        return false;
    });
    std::string lastPayoutDay;
    jobs::PeriodicWorker payout("payout", std::chrono::seconds(30), [&] {
        if (!cfg.payout.enabled) return false;
        const Poco::DateTime now(rt.ctx.clock->now());
        const auto today = parsers::CivilDate::fromYmd(now.year(), now.month(), now.day());
        if (!today || today->weekday() != cfg.payout.weekday || now.hour() * 60 + now.minute() < cfg.payout.minuteOfDay ||
            lastPayoutDay == today->iso())
            return false;
        lastPayoutDay = today->iso();
        const auto run = services::payments::runPayout(rt.ctx, cfg.payout.dir, today->plusDays(-1));
        for (const auto& skipped : run.skipped) platform::logWarning("payout", "skipped", {{"creditor", skipped}});
        platform::logInfo("payout", "run", {{"result", services::payments::payoutJson(run)}});
        outbox.wake();
        return false;
    });

    // Creditor notifications and webhooks (issue 14 item 2): new events become mails per each
    // user's settings and webhook deliveries; the daily digest at [notify] digest_at (local time).
    jobs::PeriodicWorker webhookJob("webhooks", std::chrono::milliseconds(cfg.webhooks.intervalMs), [&] {
        const auto queued = services::queueWebhooks(rt.ctx);
        if (queued > 0) {
            platform::logInfo("webhooks", "queued", {{"deliveries", std::to_string(queued)}});
            outbox.wake();
        }
        return queued > 0;
    });
    std::string lastDigestDay;
    jobs::PeriodicWorker notifyJob("notify", std::chrono::milliseconds(cfg.notify.intervalMs), [&] {
        const auto s = services::notifyPass(rt.ctx);
        bool queued = s.immediate > 0;
        if (cfg.notify.digestAt != "off") {
            const auto nowUnix = rt.ctx.clock->now().epochTime();
            const auto today = core::localDate(nowUnix, dunningSetup.zone);
            const int at = std::stoi(cfg.notify.digestAt.substr(0, 2)) * 60 + std::stoi(cfg.notify.digestAt.substr(3, 2));
            if (today.iso() != lastDigestDay && nowUnix >= core::instantAtLocal(dunningSetup.zone, today, at)) {
                lastDigestDay = today.iso();
                const auto digests = services::sendDigests(rt.ctx, today.iso());
                platform::logInfo("notify", "daily digest", {{"date", today.iso()}, {"mails", std::to_string(digests)}});
                queued = queued || digests > 0;
            }
        }
        if (s.immediate + s.digested > 0)
            platform::logInfo("notify", "pass", {{"immediate", std::to_string(s.immediate)},
                                                 {"digest", std::to_string(s.digested)}});
        if (queued) outbox.wake();
        return false;
    });

    // Login security ([portal]; docs/portal.md "Security"): password-reset mails to portal users
    // (through the same mail channel), and every ten minutes the pruning of expired sessions,
    // challenges and reset tokens, old failed logins and the debtor-link rate-limit counters.
    auto lastPrune = std::chrono::steady_clock::now() - std::chrono::hours(1);
    jobs::PeriodicWorker accountMail("account-mail", std::chrono::seconds(1), [&] {
        services::sendAccountMails(rt.ctx, [&](const std::string& to, const std::string& subject,
                                               const std::string& body) -> std::string {
            channels::OutboundMail m;
            m.from = cfg.smtpOut.from;
            m.to = to;
            m.subject = subject;
            m.textBody = body;
            m.extraHeaders.emplace_back("Auto-Submitted", "auto-generated");
            const auto r = mail->send(m);
            if (std::holds_alternative<channels::Delivered>(r)) return {};
            if (const auto* f = std::get_if<channels::Failed>(&r)) return f->reason.empty() ? "failed" : f->reason;
            return "retry";
        });
        if (std::chrono::steady_clock::now() - lastPrune > std::chrono::minutes(10)) {
            lastPrune = std::chrono::steady_clock::now();
            services::pruneSecurityTables(rt.ctx);
        }
        return false;
    });

    inbound::IntakeSink sink(rt.ctx, [&] { intakeYield.mailStored(); ingest.wake(); },
                             inbound::IntakeQuota{cfg.smtpIn.dailyQuotaMessages, cfg.smtpIn.dailyQuotaBytes});
    std::unique_ptr<inbound::SmtpServer> smtp;
    if (cfg.smtpIn.enabled) {
        inbound::SmtpServerOptions o;
        o.listen = cfg.smtpIn.listen;
        o.lmtp = cfg.smtpIn.lmtp;
        o.maxMessageBytes = cfg.smtpIn.maxMessageBytes;
        o.maxRecipients = cfg.smtpIn.maxRecipients;
        o.maxConnections = cfg.smtpIn.maxConnections;
        // MX duties (docs/mail.md "SMTP as an MX").
        o.tlsCertFile = cfg.smtpIn.tlsCertFile;
        o.tlsKeyFile = cfg.smtpIn.tlsKeyFile;
        o.maxSessionsPerClient = cfg.smtpIn.maxSessionsPerClient;
        o.idleTimeoutSeconds = static_cast<int>(cfg.smtpIn.commandTimeoutS);
        o.dataBlockTimeoutSeconds = static_cast<int>(cfg.smtpIn.dataBlockTimeoutS);
        o.dataDeadlineSeconds = static_cast<int>(cfg.smtpIn.dataDeadlineS);
        o.spoolThresholdBytes = static_cast<std::size_t>(cfg.smtpIn.spoolThresholdBytes);
        o.spoolDir = cfg.smtpIn.spoolDir.empty() ? cfg.store.blobs + "/spool" : cfg.smtpIn.spoolDir;
        smtp = std::make_unique<inbound::SmtpServer>(sink, o);
        smtp->start();
        platform::logInfo("smtp", o.lmtp ? "LMTP listening" : "SMTP listening",
                          {{"address", o.listen.substr(0, o.listen.rfind(':')) + ":" + std::to_string(smtp->port())},
                           {"starttls", o.tlsCertFile.empty() ? "off" : "offered"}});
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
    // Mailbox polling (POP3/IMAP mailboxes set with `duegate mailbox add`): a block of its own.
    std::unique_ptr<inbound::MailboxPoller> poller;
    std::unique_ptr<jobs::PeriodicWorker> polling;
    if (cfg.mailbox.enabled) {
        inbound::MailboxPollerOptions o;
        o.timeoutSeconds = static_cast<int>(cfg.mailbox.timeoutSeconds);
        o.maxMessageBytes = static_cast<std::size_t>(cfg.mailbox.maxMessageBytes);
        o.caFile = cfg.mailbox.caFile;
        poller = std::make_unique<inbound::MailboxPoller>(rt.ctx, o);
        polling = std::make_unique<jobs::PeriodicWorker>(
            "mailbox", std::chrono::milliseconds(std::chrono::seconds(cfg.mailbox.pollSeconds)), [&] {
                const auto s = poller->pollOnce();
                if (s.fetched > 0) {
                    platform::logInfo("mailbox", "fetched", {{"messages", std::to_string(s.fetched)},
                                                             {"known", std::to_string(s.duplicates)}});
                    ingest.wake();
                }
                return false;   // the next pass waits poll_seconds: servers do not like hammering
            });
    }
    // SFTP drop ([drop]): <dir>/<creditor_id>/in -> the file intake -> done/ or failed/.
    std::unique_ptr<inbound::DropWatcher> drop;
    if (cfg.drop.enabled) {
        inbound::DropOptions o{cfg.drop.dir, cfg.drop.rescanSeconds, cfg.drop.stableSeconds, cfg.drop.maxFileBytes};
        drop = std::make_unique<inbound::DropWatcher>(o, inbound::dropImporter(rt.ctx, [&] { outbox.wake(); }));
        drop->start();
        platform::logInfo("drop", "watching", {{"dir", cfg.drop.dir}});
    }
    ingest.start();
    outbox.start();
    dunning.start();
    platform::logInfo("dunning", "daily run scheduled",
                      {{"schedule", cfg.dunning.schedule}, {"time_zone", cfg.dunning.timeZone}});
    if (polling) polling->start();
    matcher.start();
    webhookJob.start();
    notifyJob.start();
    accountMail.start();
    if (cfg.payout.enabled && !rt.ctx.settings.agencyIban.empty()) payout.start();
    platform::logInfo("serve", "ready");

    int sig = 0;
    sigwait(&stopSignals, &sig);
    platform::logInfo("serve", "stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    if (smtp) smtp->stop();
    if (polling) polling->stop();
    if (drop) drop->stop();
    if (web) web->stop();
    intakeYield.stop();
    ingest.stop();
    dunning.stop();
    matcher.stop();
    accountMail.stop();
    payout.stop();
    webhookJob.stop();
    notifyJob.stop();
    outbox.stop();
    platform::logInfo("serve", "stopped");
    platform::metrics::clearCollectors();
    return 0;
}

}  // namespace duegate::cli
