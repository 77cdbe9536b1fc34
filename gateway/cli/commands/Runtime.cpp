#include "gateway/cli/commands/Runtime.h"

#include "gateway/services/IntakeBatcher.h"
#include "gateway/services/SenderAuth.h"

#include "gateway/services/LinkService.h"
#include "gateway/services/Secrets.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "parsers/refs/Iban.h"
#include "store/Migrations.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace duegate::cli {

std::optional<std::string> readLinkSecretFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::string secret;
    std::getline(in, secret);
    if (secret.size() < 32) throw std::runtime_error("link secret in " + path + " is shorter than 32 characters");
    return secret;
}

void writeLinkSecretFile(const std::string& path, const std::string& secret) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return;  // another process wrote it first (the same stored key)
        throw std::runtime_error("cannot create link secret " + path + ": " + std::strerror(errno));
    }
    const std::string line = secret + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write link secret " + path);
}

config::Config configFromArgs(const Args& args) {
    const auto path = args.get("config");
    if (!path) throw UsageError{"--config FILE is required"};
    try {
        return config::loadConfig(*path, config::duegateEnvironment());
    } catch (const config::ConfigError& e) {
        throw UsageError{e.what()};
    }
}

Runtime openRuntime(const Args& args) {
    Runtime rt{configFromArgs(args), {}};
    const auto& cfg = rt.config;
    rt.ctx.db = store::Database::open(cfg.store.url, cfg.store.poolSize, cfg.store.poolWaitMs);
    store::migrate(*rt.ctx.db);
    const bool blobsInDb = cfg.store.blobsIn == "database" ||
                           (cfg.store.blobsIn == "auto" && rt.ctx.db->dialect() == store::Dialect::PostgreSQL);
    // Files: mails under 64 KiB still go into the database with their rows when `auto` (SQLite),
    // never when `files`; either way a blob written to the other home earlier is still read.
    const std::size_t inlineBelow = cfg.store.blobsIn == "auto" ? store::BlobStore::kInlineBelow : 0;
    rt.ctx.blobs = blobsInDb ? std::make_shared<store::BlobStore>(rt.ctx.db)
                             : std::make_shared<store::BlobStore>(cfg.store.blobs, rt.ctx.db, inlineBelow);
    rt.ctx.clock = std::make_shared<services::SystemClock>();
    rt.ctx.intake = std::make_shared<services::IntakeBatcher>();  // group commit of received mails
    rt.ctx.senderAuth = std::make_shared<services::SenderAuthenticator>();   // real DNS
    rt.ctx.settings.baseUrl = cfg.portal.baseUrl;
    rt.ctx.settings.mailFrom = cfg.smtpOut.from;
    rt.ctx.settings.linkValidityDays = cfg.portal.linkValidityDays;
    // Login security ([portal]): AuthSettings.h.
    rt.ctx.settings.auth.maxFailuresPerAccount = cfg.portal.loginMaxFailuresAccount;
    rt.ctx.settings.auth.maxFailuresPerAddress = cfg.portal.loginMaxFailuresAddress;
    rt.ctx.settings.auth.throttleWindowSeconds = cfg.portal.loginThrottleSeconds;
    rt.ctx.settings.auth.maxConcurrentHashes = cfg.portal.maxConcurrentHashes;
    rt.ctx.settings.auth.sessionIdleSeconds = cfg.portal.sessionIdleMinutes * 60;
    rt.ctx.settings.auth.sessionAbsoluteSeconds = cfg.portal.sessionAbsoluteHours * 3600;
    rt.ctx.settings.auth.resetTokenSeconds = cfg.portal.resetTokenMinutes * 60;
    rt.ctx.settings.auth.resetsPerAccountHour = cfg.portal.resetsPerAccountHour;
    rt.ctx.settings.auth.resetsPerAddressHour = cfg.portal.resetsPerAddressHour;
    rt.ctx.settings.auth.staffTotp = cfg.portal.staffTotp;
    // The link key lives in the store (every host accepts every link); the key file, when present,
    // seeds it so links sent before keep working, and is written as a copy when missing.
    const auto fileSecret = readLinkSecretFile(cfg.portal.linkSecretFile);
    rt.ctx.settings.linkSecret = services::sharedLinkSecret(rt.ctx, fileSecret.value_or(services::randomHex(32)));
    if (!fileSecret) writeLinkSecretFile(cfg.portal.linkSecretFile, rt.ctx.settings.linkSecret);
    rt.ctx.settings.ingestMaxAttempts = cfg.jobs.ingestMaxAttempts;
    rt.ctx.settings.ingestLeaseSeconds = cfg.jobs.ingestLeaseS;
    // Channels (issue 10): reply addresses, Twilio webhook signatures, SMS as a fallback.
    rt.ctx.settings.replyDomain = cfg.reply.domain;
    rt.ctx.settings.twilioAuthToken = cfg.twilio.authToken;
    rt.ctx.settings.smsEnabled =
        !cfg.twilio.accountSid.empty() && !cfg.twilio.authToken.empty() && !cfg.twilio.from.empty();
    rt.ctx.settings.agencyName = cfg.agency.name;
    rt.ctx.settings.agencyBic = cfg.agency.bic;
    if (!cfg.agency.iban.empty()) {
        auto iban = parsers::refs::normalizeIban(cfg.agency.iban);
        if (!iban)
            throw UsageError{"config: [agency] iban: expected a valid IBAN (country length and check digits), got '" +
                             cfg.agency.iban + "'"};
        rt.ctx.settings.agencyIban = *iban;
    }
    try {
        auto zone = services::dunning::parseTimeZone(cfg.dunning.timeZone);
        auto setup = services::dunning::loadDunningSetup(cfg.dunning.policiesDir, cfg.dunning.templatesDir,
                                                         zone.value_or(core::TimeZone::EuropeBrussels));
        setup.pageSize = cfg.dunning.pageSize;
        rt.ctx.dunning = std::make_shared<const services::dunning::DunningSetup>(std::move(setup));
    } catch (const std::exception& e) {
        throw UsageError{std::string("config: [dunning]: ") + e.what()};
    }
    return rt;
}

}  // namespace duegate::cli
