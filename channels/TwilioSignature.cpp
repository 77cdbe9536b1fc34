#include "channels/TwilioSignature.h"

#include "parsers/common/Digest.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA1Engine.h>

#include <algorithm>
#include <sstream>

namespace duegate::channels {

namespace {

// The length of a valid signature is public (28); only the content must not leak by timing.
using parsers::constantTimeEquals;

// The URL as given, without an explicit port, and with the scheme's default port.
std::vector<std::string> urlVariants(std::string_view url) {
    std::vector<std::string> out{std::string(url)};
    auto schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos) return out;
    std::string scheme(url.substr(0, schemeEnd));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    std::size_t authStart = schemeEnd + 3;
    std::size_t authEnd = url.find_first_of("/?#", authStart);
    if (authEnd == std::string_view::npos) authEnd = url.size();
    std::string_view authority = url.substr(authStart, authEnd - authStart);
    std::size_t hostStart = authority.rfind('@');
    hostStart = hostStart == std::string_view::npos ? 0 : hostStart + 1;
    std::size_t colon = authority.rfind(':');
    std::size_t bracket = authority.rfind(']');
    bool hasPort = colon != std::string_view::npos && colon >= hostStart &&
                   (bracket == std::string_view::npos || colon > bracket);
    std::string head(url.substr(0, authStart));
    std::string tail(url.substr(authEnd));
    if (hasPort) {
        out.push_back(head + std::string(authority.substr(0, colon)) + tail);
    } else if (scheme == "https" || scheme == "http") {
        out.push_back(head + std::string(authority) + (scheme == "https" ? ":443" : ":80") + tail);
    }
    return out;
}

}  // namespace

std::string computeTwilioSignature(std::string_view authToken, std::string_view url, const TwilioParams& params) {
    TwilioParams sorted = params;
    std::sort(sorted.begin(), sorted.end());   // by name, then by value for repeated names
    std::string data(url);
    for (const auto& [name, value] : sorted) {
        data += name;
        data += value;
    }
    Poco::HMACEngine<Poco::SHA1Engine> hmac{std::string(authToken)};
    hmac.update(data);
    const Poco::DigestEngine::Digest& digest = hmac.digest();
    std::ostringstream out;
    Poco::Base64Encoder b64(out);
    b64.rdbuf()->setLineLength(0);
    b64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    b64.close();
    return out.str();
}

bool verifyTwilioSignature(std::string_view authToken, std::string_view url, const TwilioParams& params,
                           std::string_view signatureHeader) {
    if (authToken.empty() || signatureHeader.empty()) return false;
    bool ok = false;
    for (const auto& candidate : urlVariants(url))
        ok |= constantTimeEquals(computeTwilioSignature(authToken, candidate, params), signatureHeader);
    return ok;
}

bool verifyTwilioBodyHash(std::string_view url, std::string_view rawBody) {
    auto q = url.find('?');
    if (q == std::string_view::npos) return false;
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    std::string expected;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        if (pair.rfind("bodySHA256=", 0) == 0) expected = std::string(pair.substr(11));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    if (expected.empty()) return false;
    return constantTimeEquals(parsers::sha256Hex(rawBody), expected);
}

}  // namespace duegate::channels
