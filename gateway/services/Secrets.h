// Secrets and digests used by the services: random tokens, sha256, HMAC-SHA256, constant-time
// comparison, and Argon2id password hashing (DESIGN.md security model).
// Thread-safety: all functions are safe to call from any thread.
#pragma once

#include "parsers/common/Digest.h"

#include <string>
#include <string_view>

namespace duegate::services {

// SHA-256 hex and constant-time comparison: the one implementation (OpenSSL) in parsers/common.
using parsers::constantTimeEquals;
using parsers::sha256Hex;

// `bytes` random bytes from the OS, hex-encoded (2 * bytes characters).
std::string randomHex(std::size_t bytes);
// HMAC-SHA256, base64url without padding.
std::string hmacSha256Base64Url(std::string_view key, std::string_view data);

// Argon2id (t=3, m=64 MiB, p=1) encoded hash "$argon2id$v=19$m=65536,t=3,p=1$...".
std::string hashPassword(std::string_view password);
bool verifyPassword(std::string_view password, const std::string& encodedHash);

}  // namespace duegate::services
