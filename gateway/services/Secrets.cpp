#include "gateway/services/Secrets.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>

#include <argon2.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include <sstream>
#include <stdexcept>
#include <vector>

namespace duegate::services {
namespace {

class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string base64Url(const Poco::DigestEngine::Digest& d) {
    std::ostringstream out;
    {
        Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        enc.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
        enc.close();
    }
    return out.str();
}

}  // namespace

std::string randomHex(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    // One getrandom(2) call: Poco's RandomInputStream opened, read and closed /dev/urandom per
    // call, three system calls per queued mail (bench/import queues 40,000).
    for (std::size_t done = 0; done < bytes;) {
        const ssize_t n = ::getrandom(buf.data() + done, bytes - done, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : buf) {
        out += hex[b >> 4];
        out += hex[b & 0xF];
    }
    return out;
}

std::string hmacSha256Base64Url(std::string_view key, std::string_view data) {
    Poco::HMACEngine<Sha256Engine> hmac{std::string(key)};
    hmac.update(data.data(), static_cast<unsigned>(data.size()));
    return base64Url(hmac.digest());
}

std::string hashPassword(std::string_view password) {
    constexpr uint32_t t = 3, m = 1 << 16, p = 1, saltLen = 16, hashLen = 32;
    std::vector<unsigned char> salt(saltLen);
    Poco::RandomInputStream rnd;
    rnd.read(reinterpret_cast<char*>(salt.data()), saltLen);
    std::vector<char> encoded(argon2_encodedlen(t, m, p, saltLen, hashLen, Argon2_id));
    const int rc = argon2id_hash_encoded(t, m, p, password.data(), password.size(), salt.data(), saltLen, hashLen,
                                         encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2: ") + argon2_error_message(rc));
    return std::string(encoded.data());
}

bool verifyPassword(std::string_view password, const std::string& encodedHash) {
    return argon2id_verify(encodedHash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace duegate::services
