// Secrets and digests used by the services: random tokens, sha256, HMAC-SHA256, constant-time
// comparison, and Argon2id password hashing (DESIGN.md security model).
// Thread-safety: all functions are safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace duegate::services {

// `bytes` random bytes from the OS, hex-encoded (2 * bytes characters).
std::string randomHex(std::size_t bytes);
std::string sha256Hex(std::string_view data);
// HMAC-SHA256, base64url without padding.
std::string hmacSha256Base64Url(std::string_view key, std::string_view data);
bool constantTimeEquals(std::string_view a, std::string_view b);

// Argon2id (t=3, m=64 MiB, p=1) encoded hash "$argon2id$v=19$m=65536,t=3,p=1$...".
std::string hashPassword(std::string_view password);
bool verifyPassword(std::string_view password, const std::string& encodedHash);

}  // namespace duegate::services
