#include "parsers/common/Digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace duegate::parsers {

namespace {

std::string hex(const unsigned char* md, unsigned int length) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(2 * length, '0');
    for (unsigned int i = 0; i < length; ++i) {
        out[2 * i] = kHex[md[i] >> 4];
        out[2 * i + 1] = kHex[md[i] & 0xF];
    }
    return out;
}

EVP_MD_CTX* evp(void* p) { return static_cast<EVP_MD_CTX*>(p); }

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL EVP_Digest(SHA-256) failed");
    return hex(md, length);
}

Sha256::Sha256() : _ctx(EVP_MD_CTX_new()) {
    if (!_ctx || EVP_DigestInit_ex(evp(_ctx), EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(evp(_ctx));
        throw std::runtime_error("OpenSSL EVP_DigestInit(SHA-256) failed");
    }
}

Sha256::~Sha256() { EVP_MD_CTX_free(evp(_ctx)); }

void Sha256::update(std::string_view bytes) {
    if (EVP_DigestUpdate(evp(_ctx), bytes.data(), bytes.size()) != 1)
        throw std::runtime_error("OpenSSL EVP_DigestUpdate(SHA-256) failed");
}

std::string Sha256::hexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(evp(_ctx), md, &length) != 1 || EVP_DigestInit_ex(evp(_ctx), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL EVP_DigestFinal(SHA-256) failed");
    return hex(md, length);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace duegate::parsers
