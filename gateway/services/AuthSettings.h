// The bounds of portal logins ([portal] keys in docs/config.md), filled from the config by the
// runtime and read by services/AuthService. Plain values; defaults are the shipped ones.
#pragma once

#include <string>

namespace duegate::services {

struct AuthSettings {
    unsigned maxFailuresPerAccount = 5;     // failed logins per account inside the window, then 429
    unsigned maxFailuresPerAddress = 20;    // failed logins per client address inside the window
    unsigned throttleWindowSeconds = 900;   // the sliding window of both
    unsigned maxConcurrentHashes = 2;       // Argon2id runs at once (64 MiB each); beyond: 503
    unsigned sessionIdleSeconds = 1800;     // a session unused this long ends
    unsigned sessionAbsoluteSeconds = 43200;  // and any session ends this long after login
    unsigned resetTokenSeconds = 3600;      // a password reset link works this long, once
    unsigned resetsPerAccountHour = 3;      // reset mails per account per hour (more: none sent)
    unsigned resetsPerAddressHour = 10;     // reset requests per client address per hour (more: 429)
    std::string staffTotp = "optional";     // off | optional | required (required: staff must enrol)
};

}  // namespace duegate::services
