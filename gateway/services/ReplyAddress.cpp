#include "gateway/services/ReplyAddress.h"

#include "gateway/services/Secrets.h"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <cctype>

namespace duegate::services {
namespace {

class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string signature(std::string_view secret, std::int64_t id) {
    Poco::HMACEngine<Sha256Engine> hmac{std::string(secret)};
    const std::string data = "reply|v1|" + std::to_string(id);
    hmac.update(data.data(), static_cast<unsigned>(data.size()));
    const auto digest = hmac.digest();
    static const char* alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char b : digest) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5 && out.size() < 13) {
            out += alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
        if (out.size() == 13) break;
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string replyToken(std::string_view secret, std::int64_t messageId) {
    return std::to_string(messageId) + "-" + signature(secret, messageId);
}

std::string replyAddress(std::string_view secret, std::string_view domain, std::int64_t messageId) {
    return "r+" + replyToken(secret, messageId) + "@" + lower(domain);
}

std::optional<std::int64_t> parseReplyAddress(std::string_view secret, std::string_view domain,
                                              std::string_view address) {
    if (domain.empty() || secret.empty()) return std::nullopt;
    const std::string a = lower(address);
    const auto at = a.rfind('@');
    if (at == std::string::npos || a.substr(at + 1) != lower(domain)) return std::nullopt;
    const std::string local = a.substr(0, at);
    if (local.rfind("r+", 0) != 0) return std::nullopt;
    const auto dash = local.find('-', 2);
    if (dash == std::string::npos || dash == 2 || dash - 2 > 18) return std::nullopt;
    std::int64_t id = 0;
    for (std::size_t i = 2; i < dash; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(local[i]))) return std::nullopt;
        id = id * 10 + (local[i] - '0');
    }
    if (id <= 0) return std::nullopt;
    if (!constantTimeEquals(local.substr(dash + 1), signature(secret, id))) return std::nullopt;
    return id;
}

}  // namespace duegate::services
