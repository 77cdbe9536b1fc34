// SHA-256 and constant-time comparison, the one implementation of each that every layer uses
// (attachment digests, the blob store's content address, API-key and session hashes, webhook and
// link signatures). Both come from OpenSSL's libcrypto: its SHA-256 uses the CPU's SHA extensions
// when present, and CRYPTO_memcmp is written not to let the compiler shortcut the comparison.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace duegate::parsers {

// Lower-case hex SHA-256 of the bytes (64 characters).
std::string sha256Hex(std::string_view bytes);

// The same, fed in pieces (a file streamed into the blob store without holding it whole).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    // Lower-case hex of everything fed so far; the object then starts over.
    std::string hexDigest();

private:
    void* _ctx;  // EVP_MD_CTX
};

// Equal content, compared in time independent of where the first difference is. The lengths are
// compared first (a different length returns false at once: lengths of digests and signatures are
// public).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace duegate::parsers
