// TOTP second factor (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1 from OpenSSL, 30-second steps,
// 6 digits, a window of one step either side. Pure: the time and the last accepted step are
// parameters; the caller stores the step it accepted so a code is never accepted twice.
// Secrets travel as RFC 4648 base32 (what authenticator apps read from the otpauth URI).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::core::totp {

inline constexpr int kStepSeconds = 30;
inline constexpr int kDigits = 6;

// RFC 4226 HOTP: the `digits`-digit code (zero-padded) of `key` at `counter`.
std::string hotp(std::string_view key, std::uint64_t counter, int digits = kDigits);
// The RFC 6238 time step of a Unix time.
std::uint64_t stepAt(std::int64_t unixSeconds);

// Base32 (RFC 4648, upper case, no padding) and back; decode ignores spaces, accepts lower case
// and padding, and returns nothing for any other character.
std::string base32Encode(std::string_view bytes);
std::optional<std::string> base32Decode(std::string_view text);

// The step a 6-digit `code` belongs to (now, one step before or after) when that step is later
// than `lastUsedStep`; nothing for a wrong, malformed or already used code.
std::optional<std::uint64_t> verify(std::string_view key, std::string_view code, std::int64_t unixSeconds,
                                    std::uint64_t lastUsedStep);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string otpauthUri(const std::string& issuer, const std::string& account, const std::string& base32Secret);

}  // namespace duegate::core::totp
