#include "config/Config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

extern char** environ;

namespace duegate::config {
namespace {

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

// A comment starts with ';' or '#' at the start of a line or after white space, so that a ';'
// inside a value (a password in a URL) is kept.
std::string stripComment(const std::string& line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if ((line[i] == ';' || line[i] == '#') && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1]))))
            return line.substr(0, i);
    }
    return line;
}

using Ini = std::map<std::string, std::map<std::string, std::string>>;

Ini readIni(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("config: cannot read " + path);
    Ini ini;
    std::string section, raw;
    for (int lineNo = 1; std::getline(in, raw); ++lineNo) {
        const std::string line = trim(stripComment(raw));
        if (line.empty()) continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                throw ConfigError("config: " + path + " line " + std::to_string(lineNo) + ": expected [section]");
            section = trim(line.substr(1, line.size() - 2));
            ini[section];
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos || section.empty())
            throw ConfigError("config: " + path + " line " + std::to_string(lineNo) +
                              ": expected 'key = value' inside a [section]");
        ini[section][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return ini;
}

struct Key {
    std::string section, name;
    bool required;
    std::function<void(Config&, const std::string& value, const std::string& where)> set;
};

[[noreturn]] void bad(const std::string& where, const std::string& expected, const std::string& got) {
    throw ConfigError("config: " + where + ": expected " + expected + ", got '" + got + "'");
}

std::uint64_t wholeNumber(const std::string& v, const std::string& where, std::uint64_t lo, std::uint64_t hi) {
    const std::string expected = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (v.empty() || v.size() > 19) bad(where, expected, v);
    std::uint64_t n = 0;
    for (char c : v) {
        if (!std::isdigit(static_cast<unsigned char>(c))) bad(where, expected, v);
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n < lo || n > hi) bad(where, expected, v);
    return n;
}

bool onOff(const std::string& v, const std::string& where) {
    if (v == "on" || v == "true" || v == "yes" || v == "1") return true;
    if (v == "off" || v == "false" || v == "no" || v == "0") return false;
    bad(where, "on or off", v);
}

void hostPort(const std::string& v, const std::string& where) {
    const auto colon = v.rfind(':');
    if (colon == std::string::npos || colon == 0) bad(where, "host:port", v);
    wholeNumber(v.substr(colon + 1), where, 0, 65535);
}

void nonEmpty(const std::string& v, const std::string& where, const std::string& what) {
    if (v.empty()) bad(where, what, v);
}

const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"store", "url", true, [](Config& c, const std::string& v, const std::string& w) {
             if (v.rfind("sqlite:", 0) != 0 && v.rfind("postgresql://", 0) != 0 && v.rfind("postgres://", 0) != 0) {
                 // Never echo a password: show the scheme only.
                 bad(w, "sqlite:PATH or postgresql://user:pass@host:port/db", v.substr(0, v.find(':')) + ":...");
             }
             c.store.url = v;
         }},
        {"store", "blobs", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a directory");
             c.store.blobs = v;
         }},
        {"store", "blobs_in", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v != "auto" && v != "files" && v != "database") bad(w, "auto, files or database", v);
             c.store.blobsIn = v;
         }},
        {"store", "pool_size", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.store.poolSize = static_cast<unsigned>(wholeNumber(v, w, 1, 1000));
         }},
        {"store", "pool_wait_ms", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.store.poolWaitMs = static_cast<unsigned>(wholeNumber(v, w, 10, 600000));
         }},
        {"smtp_in", "enabled", false,
         [](Config& c, const std::string& v, const std::string& w) { c.smtpIn.enabled = onOff(v, w); }},
        {"smtp_in", "listen", false, [](Config& c, const std::string& v, const std::string& w) {
             hostPort(v, w);
             c.smtpIn.listen = v;
         }},
        {"smtp_in", "lmtp", false,
         [](Config& c, const std::string& v, const std::string& w) { c.smtpIn.lmtp = onOff(v, w); }},
        {"smtp_in", "max_message_bytes", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.maxMessageBytes = wholeNumber(v, w, 1024, 1073741824);
         }},
        {"smtp_in", "max_recipients", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.maxRecipients = static_cast<unsigned>(wholeNumber(v, w, 1, 10000));
         }},
        {"smtp_in", "max_connections", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.maxConnections = static_cast<unsigned>(wholeNumber(v, w, 1, 10000));
         }},
        {"smtp_in", "tls_cert_file", false,
         [](Config& c, const std::string& v, const std::string&) { c.smtpIn.tlsCertFile = v; }},
        {"smtp_in", "tls_key_file", false,
         [](Config& c, const std::string& v, const std::string&) { c.smtpIn.tlsKeyFile = v; }},
        {"smtp_in", "max_sessions_per_client", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.maxSessionsPerClient = static_cast<unsigned>(wholeNumber(v, w, 1, 10000));
         }},
        {"smtp_in", "command_timeout_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.commandTimeoutS = static_cast<unsigned>(wholeNumber(v, w, 10, 3600));
         }},
        {"smtp_in", "data_block_timeout_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.dataBlockTimeoutS = static_cast<unsigned>(wholeNumber(v, w, 10, 3600));
         }},
        {"smtp_in", "data_deadline_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.dataDeadlineS = static_cast<unsigned>(wholeNumber(v, w, 10, 86400));
         }},
        {"smtp_in", "spool_threshold_bytes", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.spoolThresholdBytes = wholeNumber(v, w, 0, 1073741824);
         }},
        {"smtp_in", "spool_dir", false, [](Config& c, const std::string& v, const std::string&) { c.smtpIn.spoolDir = v; }},
        {"smtp_in", "daily_quota_messages", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.dailyQuotaMessages = static_cast<unsigned>(wholeNumber(v, w, 0, 1000000000));
         }},
        {"smtp_in", "daily_quota_bytes", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpIn.dailyQuotaBytes = wholeNumber(v, w, 0, 1099511627776ULL);
         }},
        {"drop", "enabled", false,
         [](Config& c, const std::string& v, const std::string& w) { c.drop.enabled = onOff(v, w); }},
        {"drop", "dir", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a directory");
             c.drop.dir = v;
         }},
        {"drop", "rescan_seconds", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.drop.rescanSeconds = static_cast<unsigned>(wholeNumber(v, w, 1, 86400));
         }},
        {"drop", "stable_seconds", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.drop.stableSeconds = static_cast<unsigned>(wholeNumber(v, w, 1, 3600));
         }},
        {"drop", "max_file_bytes", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.drop.maxFileBytes = wholeNumber(v, w, 1024, 4294967296ULL);
         }},
        {"mailbox", "enabled", false,
         [](Config& c, const std::string& v, const std::string& w) { c.mailbox.enabled = onOff(v, w); }},
        {"mailbox", "poll_seconds", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.mailbox.pollSeconds = static_cast<unsigned>(wholeNumber(v, w, 1, 86400));
         }},
        {"mailbox", "timeout_seconds", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.mailbox.timeoutSeconds = static_cast<unsigned>(wholeNumber(v, w, 1, 3600));
         }},
        {"mailbox", "max_message_bytes", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.mailbox.maxMessageBytes = wholeNumber(v, w, 1024, 1073741824);
         }},
        {"mailbox", "ca_file", false, [](Config& c, const std::string& v, const std::string&) { c.mailbox.caFile = v; }},
        {"smtp_out", "host", false, [](Config& c, const std::string& v, const std::string&) { c.smtpOut.host = v; }},
        {"smtp_out", "outbox_dir", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a directory");
             c.smtpOut.outboxDir = v;
         }},
        {"smtp_out", "port", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.smtpOut.port = static_cast<unsigned>(wholeNumber(v, w, 1, 65535));
         }},
        {"smtp_out", "from", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v.find('@') == std::string::npos) bad(w, "a mail address", v);
             c.smtpOut.from = v;
         }},
        {"smtp_out", "starttls", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v != "off" && v != "opportunistic" && v != "required") bad(w, "off, opportunistic or required", v);
             c.smtpOut.starttls = v;
         }},
        {"smtp_out", "helo_name", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a host name");
             c.smtpOut.heloName = v;
         }},
        {"smtp_out", "dkim_key_file", false,
         [](Config& c, const std::string& v, const std::string&) { c.smtpOut.dkimKeyFile = v; }},
        {"smtp_out", "dkim_selector", false, [](Config& c, const std::string& v, const std::string& w) {
             for (char ch : v)
                 if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.')
                     bad(w, "a DNS label such as duegate2026", v);
             c.smtpOut.dkimSelector = v;
         }},
        {"smtp_out", "dkim_domain", false, [](Config& c, const std::string& v, const std::string& w) {
             if (!v.empty() && v.find('.') == std::string::npos) bad(w, "a domain name", v);
             c.smtpOut.dkimDomain = v;
         }},
        {"reply", "domain", false, [](Config& c, const std::string& v, const std::string& w) {
             if (!v.empty() && (v.find('.') == std::string::npos || v.find_first_of("@ <>") != std::string::npos))
                 bad(w, "a domain name such as reply.duegate.example", v);
             c.reply.domain = v;
         }},
        {"print", "dir", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a directory");
             c.print.dir = v;
         }},
        {"portal", "enabled", false,
         [](Config& c, const std::string& v, const std::string& w) { c.portal.enabled = onOff(v, w); }},
        {"portal", "listen", false, [](Config& c, const std::string& v, const std::string& w) {
             hostPort(v, w);
             c.portal.listen = v;
         }},
        {"portal", "base_url", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) bad(w, "an http:// or https:// URL", v);
             c.portal.baseUrl = v.back() == '/' ? v.substr(0, v.size() - 1) : v;
         }},
        {"portal", "link_secret_file", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a file path");
             c.portal.linkSecretFile = v;
         }},
        {"portal", "link_validity_days", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.portal.linkValidityDays = static_cast<unsigned>(wholeNumber(v, w, 1, 3650));
         }},
        // Login security ([portal], docs/config.md).
        {"portal", "login_max_failures_account", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.loginMaxFailuresAccount = static_cast<unsigned>(wholeNumber(v, w, 1, 1000));
         }},
        {"portal", "login_max_failures_address", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.loginMaxFailuresAddress = static_cast<unsigned>(wholeNumber(v, w, 1, 100000));
         }},
        {"portal", "login_throttle_seconds", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.loginThrottleSeconds = static_cast<unsigned>(wholeNumber(v, w, 10, 86400));
         }},
        {"portal", "max_concurrent_hashes", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.maxConcurrentHashes = static_cast<unsigned>(wholeNumber(v, w, 1, 64));
         }},
        {"portal", "session_idle_minutes", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.sessionIdleMinutes = static_cast<unsigned>(wholeNumber(v, w, 1, 10080));
         }},
        {"portal", "session_absolute_hours", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.sessionAbsoluteHours = static_cast<unsigned>(wholeNumber(v, w, 1, 720));
         }},
        {"portal", "reset_token_minutes", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.resetTokenMinutes = static_cast<unsigned>(wholeNumber(v, w, 5, 1440));
         }},
        {"portal", "resets_per_account_hour", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.resetsPerAccountHour = static_cast<unsigned>(wholeNumber(v, w, 1, 100));
         }},
        {"portal", "resets_per_address_hour", false, [](Config& c, const std::string& v, const std::string& w) {
             c.portal.resetsPerAddressHour = static_cast<unsigned>(wholeNumber(v, w, 1, 10000));
         }},
        {"portal", "staff_totp", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v != "off" && v != "optional" && v != "required") bad(w, "off, optional or required", v);
             c.portal.staffTotp = v;
         }},
        {"twilio", "base_url", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) bad(w, "an http:// or https:// URL", v);
             c.twilio.baseUrl = v;
         }},
        {"twilio", "account_sid", false,
         [](Config& c, const std::string& v, const std::string&) { c.twilio.accountSid = v; }},
        {"twilio", "auth_token", false,
         [](Config& c, const std::string& v, const std::string&) { c.twilio.authToken = v; }},
        {"twilio", "from", false, [](Config& c, const std::string& v, const std::string&) { c.twilio.from = v; }},
        {"notify", "interval_ms", false, [](Config& c, const std::string& v, const std::string& w) {
             c.notify.intervalMs = static_cast<unsigned>(wholeNumber(v, w, 10, 3600000));
         }},
        {"notify", "digest_at", false, [](Config& c, const std::string& v, const std::string& w) {
             const bool hhmm = v.size() == 5 && v[2] == ':' && std::isdigit(static_cast<unsigned char>(v[0])) &&
                               std::isdigit(static_cast<unsigned char>(v[1])) && std::isdigit(static_cast<unsigned char>(v[3])) &&
                               std::isdigit(static_cast<unsigned char>(v[4])) && std::stoi(v.substr(0, 2)) < 24 &&
                               std::stoi(v.substr(3, 2)) < 60;
             if (v != "off" && !hhmm) bad(w, "HH:MM (local time) or off", v);
             c.notify.digestAt = v;
         }},
        {"webhooks", "interval_ms", false, [](Config& c, const std::string& v, const std::string& w) {
             c.webhooks.intervalMs = static_cast<unsigned>(wholeNumber(v, w, 10, 3600000));
         }},
        {"webhooks", "allow_private_addresses", false, [](Config& c, const std::string& v, const std::string& w) {
             c.webhooks.allowPrivateAddresses = onOff(v, w);
         }},
        {"webhooks", "timeout_seconds", false, [](Config& c, const std::string& v, const std::string& w) {
             c.webhooks.timeoutSeconds = static_cast<unsigned>(wholeNumber(v, w, 1, 120));
         }},
        {"log", "level", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v != "debug" && v != "info" && v != "warning" && v != "error") bad(w, "debug, info, warning or error", v);
             c.log.level = v;
         }},
        {"agency", "name", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "the name debtors see as payee");
             c.agency.name = v;
         }},
        {"agency", "iban", false, [](Config& c, const std::string& v, const std::string& w) {
             std::string compact;
             for (char ch : v)
                 if (ch != ' ') compact += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
             const bool shape = compact.empty() ||
                                (compact.size() >= 15 && compact.size() <= 34 && std::isalpha(static_cast<unsigned char>(compact[0])) &&
                                 std::isalpha(static_cast<unsigned char>(compact[1])) &&
                                 std::all_of(compact.begin(), compact.end(),
                                             [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); }));
             if (!shape) bad(w, "an IBAN such as BE68539007547034", v);
             c.agency.iban = compact;
         }},
        {"agency", "bic", false, [](Config& c, const std::string& v, const std::string& w) {
             if (!v.empty() && v.size() != 8 && v.size() != 11) bad(w, "a BIC of 8 or 11 characters", v);
             c.agency.bic = v;
         }},
        {"dunning", "schedule", false, [](Config& c, const std::string& v, const std::string& w) {
             const bool hhmm = v.size() == 5 && v[2] == ':' && std::isdigit(static_cast<unsigned char>(v[0])) &&
                               std::isdigit(static_cast<unsigned char>(v[1])) &&
                               std::isdigit(static_cast<unsigned char>(v[3])) &&
                               std::isdigit(static_cast<unsigned char>(v[4])) && std::stoi(v.substr(0, 2)) < 24 &&
                               std::stoi(v.substr(3, 2)) < 60;
             if (v != "off" && !hhmm) bad(w, "HH:MM (local time) or off", v);
             c.dunning.schedule = v;
         }},
        {"dunning", "time_zone", false, [](Config& c, const std::string& v, const std::string& w) {
             if (v != "Europe/Brussels" && v != "Europe/Amsterdam") bad(w, "Europe/Brussels or Europe/Amsterdam", v);
             c.dunning.timeZone = v;
         }},
        {"dunning", "templates_dir", false,
         [](Config& c, const std::string& v, const std::string&) { c.dunning.templatesDir = v; }},
        {"dunning", "policies_dir", false,
         [](Config& c, const std::string& v, const std::string&) { c.dunning.policiesDir = v; }},
        {"dunning", "page_size", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.dunning.pageSize = static_cast<unsigned>(wholeNumber(v, w, 10, 100000));
         }},
        {"payout", "schedule", false, [](Config& c, const std::string& v, const std::string& w) {
             static const char* days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
             if (v == "off") {
                 c.payout.enabled = false;
                 c.payout.schedule = v;
                 return;
             }
             int day = 0;
             for (int i = 0; i < 7; ++i)
                 if (v.size() == 9 && v.compare(0, 3, days[i]) == 0 && v[3] == ' ') day = i + 1;
             const bool digits = v.size() == 9 && std::isdigit(static_cast<unsigned char>(v[4])) &&
                                 std::isdigit(static_cast<unsigned char>(v[5])) && v[6] == ':' &&
                                 std::isdigit(static_cast<unsigned char>(v[7])) &&
                                 std::isdigit(static_cast<unsigned char>(v[8]));
             const int hh = digits ? (v[4] - '0') * 10 + (v[5] - '0') : 99;
             const int mm = digits ? (v[7] - '0') * 10 + (v[8] - '0') : 99;
             if (day == 0 || hh > 23 || mm > 59) bad(w, "a weekday and a UTC time such as 'mon 06:00', or off", v);
             c.payout.enabled = true;
             c.payout.schedule = v;
             c.payout.weekday = day;
             c.payout.minuteOfDay = hh * 60 + mm;
         }},
        {"payout", "dir", false, [](Config& c, const std::string& v, const std::string& w) {
             nonEmpty(v, w, "a directory for payout files");
             c.payout.dir = v;
         }},
        {"jobs", "ingest_interval_ms", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.ingestIntervalMs = static_cast<unsigned>(wholeNumber(v, w, 10, 3600000));
         }},
        {"jobs", "ingest_max_attempts", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.ingestMaxAttempts = static_cast<unsigned>(wholeNumber(v, w, 1, 100));
         }},
        {"jobs", "ingest_lease_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.ingestLeaseS = static_cast<unsigned>(wholeNumber(v, w, 1, 86400));
         }},
        {"jobs", "outbox_interval_ms", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxIntervalMs = static_cast<unsigned>(wholeNumber(v, w, 10, 3600000));
         }},
        {"jobs", "outbox_max_attempts", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxMaxAttempts = static_cast<unsigned>(wholeNumber(v, w, 1, 100));
         }},
        {"jobs", "outbox_initial_backoff_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxInitialBackoffS = static_cast<unsigned>(wholeNumber(v, w, 1, 86400));
         }},
        {"jobs", "outbox_max_backoff_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxMaxBackoffS = static_cast<unsigned>(wholeNumber(v, w, 1, 604800));
         }},
        {"jobs", "outbox_lease_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxLeaseS = static_cast<unsigned>(wholeNumber(v, w, 5, 86400));
         }},
        {"jobs", "outbox_reply_timeout_s", false,
         [](Config& c, const std::string& v, const std::string& w) {
             c.jobs.outboxReplyTimeoutS = static_cast<unsigned>(wholeNumber(v, w, 1, 3600));
         }},
    };
    return table;
}

std::string envName(const Key& k) {
    std::string n = "DUEGATE_" + k.section + "_" + k.name;
    for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return n;
}

}  // namespace

Config loadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
    Ini ini = readIni(path);
    std::set<std::string> sections;
    for (const auto& k : keys()) sections.insert(k.section);
    for (const auto& [section, values] : ini) {
        if (!sections.count(section)) throw ConfigError("config: [" + section + "]: not a known section");
        for (const auto& [name, value] : values) {
            bool known = false;
            for (const auto& k : keys()) known = known || (k.section == section && k.name == name);
            if (!known) throw ConfigError("config: [" + section + "] " + name + ": not a known key");
        }
    }
    Config config;
    config.sourcePath = path;
    for (const auto& k : keys()) {
        const std::string where = "[" + k.section + "] " + k.name;
        std::optional<std::string> value;
        if (auto s = ini.find(k.section); s != ini.end())
            if (auto v = s->second.find(k.name); v != s->second.end()) value = v->second;
        if (auto e = env.find(envName(k)); e != env.end()) value = e->second;
        if (!value) {
            if (k.required) throw ConfigError("config: " + where + ": missing (required)");
            continue;
        }
        k.set(config, *value, where);
    }
    if (config.smtpIn.tlsCertFile.empty() != config.smtpIn.tlsKeyFile.empty())
        throw ConfigError("config: [smtp_in] tls_key_file: expected both tls_cert_file and tls_key_file, or neither");
    const int dkimSet = !config.smtpOut.dkimKeyFile.empty() + !config.smtpOut.dkimSelector.empty() +
                        !config.smtpOut.dkimDomain.empty();
    if (dkimSet != 0 && dkimSet != 3)
        throw ConfigError("config: [smtp_out] dkim_key_file: expected dkim_key_file, dkim_selector and dkim_domain "
                          "together (or none of them)");
    if (config.jobs.outboxMaxBackoffS < config.jobs.outboxInitialBackoffS)
        throw ConfigError("config: [jobs] outbox_max_backoff_s: expected at least outbox_initial_backoff_s");
    // A claim must outlive the longest send, or a slow relay's message is parked while it is sent.
    if (config.jobs.outboxLeaseS <= config.jobs.outboxReplyTimeoutS)
        throw ConfigError("config: [jobs] outbox_lease_s: expected more than outbox_reply_timeout_s");
    return config;
}

std::map<std::string, std::string> duegateEnvironment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string kv(*e);
        if (kv.rfind("DUEGATE_", 0) != 0) continue;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

}  // namespace duegate::config
