#include "gateway/core/Totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

namespace duegate::core::totp {
namespace {

constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percentEncode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

}  // namespace

std::string hotp(std::string_view key, std::uint64_t counter, int digits) {
    std::array<unsigned char, 8> msg{};
    for (int i = 7; i >= 0; --i) {
        msg[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLen = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg.data(), msg.size(), mac, &macLen);
    const unsigned offset = mac[macLen - 1] & 0x0F;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                                 static_cast<std::uint32_t>(mac[offset + 3]);
    std::uint32_t mod = 1;
    for (int i = 0; i < digits; ++i) mod *= 10;
    std::string code = std::to_string(binary % mod);
    return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::uint64_t stepAt(std::int64_t unixSeconds) {
    return unixSeconds < 0 ? 0 : static_cast<std::uint64_t>(unixSeconds) / kStepSeconds;
}

std::string base32Encode(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 0x1F];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 0x1F];
    return out;
}

std::optional<std::string> base32Decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char ch : text) {
        if (ch == ' ' || ch == '=') continue;
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= '2' && c <= '7') v = c - '2' + 26;
        if (v < 0) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

std::optional<std::uint64_t> verify(std::string_view key, std::string_view code, std::int64_t unixSeconds,
                                    std::uint64_t lastUsedStep) {
    if (code.size() != static_cast<std::size_t>(kDigits)) return std::nullopt;
    for (char c : code)
        if (c < '0' || c > '9') return std::nullopt;
    const std::uint64_t now = stepAt(unixSeconds);
    for (std::uint64_t step : {now - 1, now, now + 1}) {
        if (step <= lastUsedStep || (now == 0 && step == now - 1)) continue;
        const std::string expected = hotp(key, step);
        // Constant time over the six digits.
        unsigned diff = 0;
        for (std::size_t i = 0; i < expected.size(); ++i)
            diff |= static_cast<unsigned>(expected[i] ^ code[i]);
        if (diff == 0) return step;
    }
    return std::nullopt;
}

std::string otpauthUri(const std::string& issuer, const std::string& account, const std::string& base32Secret) {
    return "otpauth://totp/" + percentEncode(issuer) + ":" + percentEncode(account) + "?secret=" + base32Secret +
           "&issuer=" + percentEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace duegate::core::totp
