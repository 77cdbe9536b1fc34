// Typed configuration of duegate, read once at start from an INI file plus DUEGATE_SECTION_KEY
// environment overrides (INTERFACES.md), then passed around as plain structs. Components never
// read global configuration.
//
// Every field documents its default and bounds. loadConfig() throws ConfigError whose message is
// one line naming the section, the key and what was expected ("config: [smtp_in] max_message_bytes:
// expected a whole number from 1024 to 1073741824, got 'lots'"). Unknown keys in known sections
// are errors too (a typo must not silently fall back to a default).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace duegate::config {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct StoreConfig {
    std::string url;                    // required: "sqlite:PATH" or "postgresql://user:pass@host:port/db"
    std::string blobs = "var/blobs";    // content-addressed raw mail, files and documents
    // Where blobs live: files under `blobs`, or the database's blobs table (every host reads what
    // any host received). auto = database on PostgreSQL, files on SQLite.
    std::string blobsIn = "auto";       // auto | files | database
    unsigned poolSize = 8;              // 1 .. 1000 connections per process
    unsigned poolWaitMs = 30000;        // 10 .. 600000: longest wait for a free connection
};

struct SmtpInConfig {
    bool enabled = true;                        // listen at all
    std::string listen = "127.0.0.1:2525";      // host:port; port 0 = any free port (logged)
    bool lmtp = false;                          // speak LMTP instead of SMTP
    std::uint64_t maxMessageBytes = 26214400;   // 1 KiB .. 1 GiB; larger -> 552 5.3.4
    unsigned maxRecipients = 100;               // 1 .. 10000
    unsigned maxConnections = 64;               // 1 .. 10000
    // Internet-facing MX (docs/mail.md "SMTP as an MX"):
    std::string tlsCertFile;                    // PEM certificate (chain); with tls_key_file: STARTTLS offered
    std::string tlsKeyFile;                     // PEM private key
    unsigned maxSessionsPerClient = 10;         // 1 .. 10000: concurrent sessions from one client address
    unsigned commandTimeoutS = 300;             // 10 .. 3600: wait for the next command (RFC 5321 4.5.3.2.7)
    unsigned dataBlockTimeoutS = 180;           // 10 .. 3600: wait for the next data bytes (4.5.3.2.6: 3 min)
    unsigned dataDeadlineS = 600;               // 10 .. 86400: a whole DATA phase, 354 to the final dot
    std::uint64_t spoolThresholdBytes = 1048576;  // 0 .. 1 GiB: DATA beyond this goes to a file
    std::string spoolDir;                       // where DATA is spooled; empty = <[store] blobs>/spool
    unsigned dailyQuotaMessages = 0;            // 0 .. 10^9 per creditor per UTC day, 0 = none; then 452 4.2.2
    std::uint64_t dailyQuotaBytes = 0;          // 0 .. 2^40 per creditor per UTC day, 0 = none
};

struct DropConfig {
    bool enabled = true;                        // watch <dir>/<creditor_id>/in
    std::string dir = "var/drop";
    unsigned rescanSeconds = 30;                // 1 .. 86400: full scan (inotify wakes it sooner)
    unsigned stableSeconds = 10;                // 1 .. 3600: a file unchanged this long is complete
    std::uint64_t maxFileBytes = 104857600;     // 1 KiB .. 4 GiB: larger files go to failed/
};

struct MailboxConfig {
    bool enabled = true;                        // poll the mailboxes set with `duegate mailbox add`
    unsigned pollSeconds = 60;                  // 1 .. 86400
    unsigned timeoutSeconds = 60;               // 1 .. 3600: per network operation
    std::uint64_t maxMessageBytes = 26214400;   // 1 KiB .. 1 GiB: larger mails are left and logged
    std::string caFile;                         // PEM bundle trusted for pop3s/imaps; empty = system store
};

struct SmtpOutConfig {
    std::string host;                           // empty: write .eml files into outbox_dir instead
    std::string outboxDir = "var/outbox";
    unsigned port = 2526;                       // 1 .. 65535
    std::string from = "reminders@duegate.example";
    std::string starttls = "off";               // off | opportunistic | required
    std::string heloName = "duegate.localhost";
    // DKIM signing of every outbound mail (docs/mail.md): all three set, or none (no signature).
    std::string dkimKeyFile;                    // PEM private key (RSA), readable by duegate only
    std::string dkimSelector;                   // s=, the TXT record is at <selector>._domainkey.<domain>
    std::string dkimDomain;                     // d=, normally the domain of `from`
};

struct PortalConfig {
    bool enabled = true;
    std::string listen = "127.0.0.1:8080";
    std::string baseUrl = "http://127.0.0.1:8080";   // links in mails and SMS are built from this
    std::string linkSecretFile = "var/link.key";     // created on first start when missing
    unsigned linkValidityDays = 120;                  // 1 .. 3650: how long a debtor link works
    // Login security (docs/portal.md "Security"): throttling before Argon2, the hashing bound,
    // session timeouts, password reset, TOTP for staff.
    unsigned loginMaxFailuresAccount = 5;             // 1 .. 1000 failed logins per account per window
    unsigned loginMaxFailuresAddress = 20;            // 1 .. 100000 per client address per window
    unsigned loginThrottleSeconds = 900;              // 10 .. 86400: the sliding window
    unsigned maxConcurrentHashes = 2;                 // 1 .. 64 Argon2id runs at once (64 MiB each)
    unsigned sessionIdleMinutes = 30;                 // 1 .. 10080
    unsigned sessionAbsoluteHours = 12;               // 1 .. 720
    unsigned resetTokenMinutes = 60;                  // 5 .. 1440
    unsigned resetsPerAccountHour = 3;                // 1 .. 100 reset mails per account per hour
    unsigned resetsPerAddressHour = 10;               // 1 .. 10000 reset requests per client address per hour
    std::string staffTotp = "optional";               // off | optional | required
};

struct TwilioConfig {
    std::string baseUrl = "https://api.twilio.com";
    std::string accountSid;
    std::string authToken;
    std::string from;
};

// [reply]: reminders carry Reply-To and Return-Path r+TOKEN@domain; the SMTP listener accepts them
// and threads replies and bounces. Empty: off (no reply addresses, such RCPTs are refused).
struct ReplyConfig {
    std::string domain;
};

// [print]: letters for the print provider, one folder per day with the PDFs and a manifest.
struct PrintConfig {
    std::string dir = "var/print";
};

// The agency's client account: debtors of creditors in 'agency' mode pay here, and the weekly
// payout leaves from here. Empty iban: no creditor can collect through the agency (such dossiers
// are held for review).
struct AgencyConfig {
    std::string name = "duegate";      // payee name shown to debtors
    std::string iban;                  // electronic form or with spaces; checked (mod 97) at start
    std::string bic;                   // 8 or 11 characters, optional
};

// The daily dunning run (`serve` job and `duegate dunning run`).
struct DunningConfig {
    std::string schedule = "08:00";             // HH:MM local time of the daily run; "off" = only the CLI
    std::string timeZone = "Europe/Brussels";   // Europe/Brussels | Europe/Amsterdam: "today" and the schedule
    std::string templatesDir;                   // empty: built-in texts; else <dir>/<lang>/, <dir>/<creditor_id>/<lang>/
    std::string policiesDir;                    // empty: the shipped policies; else *.ini added (same name replaces)
    unsigned pageSize = 500;                    // 10 .. 100000 dossiers read per keyset page
};

// The weekly payout to creditors in 'agency' mode (docs/payments.md): `schedule` is a weekday and
// a UTC time ("mon 06:00"), or "off" (then only `duegate payout run`); one pain.001 file per run
// and a CSV statement per creditor are written into `dir`.
struct PayoutConfig {
    std::string schedule = "mon 06:00";
    bool enabled = true;               // schedule != off
    int weekday = 1;                   // ISO: 1 = Monday .. 7 = Sunday
    int minuteOfDay = 360;             // UTC
    std::string dir = "var/payout";
};

struct JobsConfig {
    unsigned ingestIntervalMs = 500;     // 10 .. 3600000: periodic scan; a new mail also wakes it
    unsigned ingestMaxAttempts = 5;      // 1 .. 100: then the item is quarantined (raw bytes kept)
    unsigned ingestLeaseS = 60;          // 1 .. 86400: a worker's claim on an item; retried after it
    unsigned outboxIntervalMs = 500;     // 10 .. 3600000
    unsigned outboxMaxAttempts = 8;      // 1 .. 100: then the message is dead-lettered (failed)
    unsigned outboxInitialBackoffS = 30; // 1 .. 86400; doubles per attempt, capped, with jitter
    unsigned outboxMaxBackoffS = 3600;   // 1 .. 604800
    unsigned outboxLeaseS = 1800;        // 5 .. 86400: a send's claim; a 'sending' row older is parked
    unsigned outboxReplyTimeoutS = 600;  // 1 .. 3600: wait for the reply to SMTP's final dot (RFC 5321
                                         // 4.5.3.2.6: 10 min); none in time = outcome unknown, parked
};

// Notifications to creditor users (docs/config.md [notify]): the job reads new events every
// intervalMs; the daily digest is queued at digestAt, local time in [dunning] time_zone ("off": none).
struct NotifyConfig {
    unsigned intervalMs = 2000;        // 10 .. 3600000
    std::string digestAt = "07:00";    // HH:MM or off
};

// Outbound webhooks to creditors' systems (docs/webhooks.md): the job turns new events into
// deliveries every intervalMs; one POST may take timeoutSeconds. Retries: [jobs] outbox_*.
struct WebhooksConfig {
    unsigned intervalMs = 1000;        // 10 .. 3600000
    unsigned timeoutSeconds = 10;      // 1 .. 120
    bool allowPrivateAddresses = false; // endpoints on loopback/private networks (tests, in-house)
};

struct LogConfig {
    std::string level = "info";          // debug | info | warning | error (stderr, key=value lines)
};

struct Config {
    std::string sourcePath;  // the file it was read from, for messages
    StoreConfig store;
    SmtpInConfig smtpIn;
    DropConfig drop;
    MailboxConfig mailbox;
    SmtpOutConfig smtpOut;
    PortalConfig portal;
    TwilioConfig twilio;
    ReplyConfig reply;
    PrintConfig print;
    AgencyConfig agency;
    DunningConfig dunning;
    PayoutConfig payout;
    JobsConfig jobs;
    LogConfig log;
    NotifyConfig notify;
    WebhooksConfig webhooks;
};

// Reads FILE, applies overrides from `env` (normally the process environment: DUEGATE_STORE_URL,
// DUEGATE_SMTP_IN_LISTEN, ...), validates, and returns the typed config. Throws ConfigError.
Config loadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// The process environment's DUEGATE_* variables.
std::map<std::string, std::string> duegateEnvironment();

}  // namespace duegate::config
