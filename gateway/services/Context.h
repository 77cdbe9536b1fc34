// What every use case needs, built once by `duegate serve` (or a test) and passed by reference:
// the store, the blob store, the clock and the settings that shape messages and links.
// Thread-safety: shared read-only after construction; Database and BlobStore are thread-safe.
#pragma once

#include "gateway/services/AuthSettings.h"
#include "gateway/services/Clock.h"
#include "store/BlobStore.h"
#include "store/Database.h"

#include <memory>
#include <stdexcept>
#include <string>

namespace duegate::services {

class IntakeBatcher;
namespace dunning {
struct DunningSetup;
}

struct Settings {
    std::string baseUrl = "http://127.0.0.1:8080";  // links in mails: {baseUrl}/d/{token}
    std::string mailFrom = "reminders@duegate.example";
    std::string linkSecret;                          // HMAC key for debtor links (portal.link_secret_file)
    unsigned linkValidityDays = 120;
    std::string agencyName = "duegate";
    // Channels (issue 10): reply addresses r+TOKEN@replyDomain (empty: off), the Twilio auth token
    // that signs its webhooks, and whether an SMS channel is configured (fallbacks pick SMS only then).
    std::string replyDomain;
    std::string twilioAuthToken;
    bool smsEnabled = false;
    unsigned replyPauseDays = 14;                    // a debtor's reply pauses reminders this long
    // The agency's client account ([agency]): debtors of creditors in 'agency' mode pay here.
    std::string agencyIban, agencyBic;
    // Ingest: how often an item may be tried before it is quarantined, and how long one worker's
    // claim on it lasts (a crashed worker's items are taken again after this).
    unsigned ingestMaxAttempts = 5;
    unsigned ingestLeaseSeconds = 60;
    // Login security ([portal] throttling, sessions, reset, TOTP): AuthSettings.h.
    AuthSettings auth;
};

struct Context {
    std::shared_ptr<store::Database> db;
    std::shared_ptr<store::BlobStore> blobs;
    std::shared_ptr<const Clock> clock;
    Settings settings;
    // Group commit of received mails (set by openRuntime; null = one transaction per mail).
    std::shared_ptr<IntakeBatcher> intake;
    // [dunning]: policies, template overrides, time zone (services/dunning/DunningSetup.h).
    // Null: the shipped policies and texts, Europe/Brussels (dunning::setupOf).
    std::shared_ptr<const dunning::DunningSetup> dunning;
    // SPF/DKIM checks for creditors with sender_auth = spf_or_dkim (SenderAuth.h); null = such
    // creditors' mail is quarantined as "sender authentication not available".
    std::shared_ptr<const class SenderAuthenticator> senderAuth;

    std::string now() const;  // the clock's instant in the store's format
};

// Bad input from a person or a script (CLI: exit 2; HTTP: 400), with a message that says what.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Not found *in the caller's scope*: another tenant's id looks exactly like a missing one.
struct NotFound : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace duegate::services
