#include "channels/WebhookChannel.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace duegate::channels {
namespace {

void curlGlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The receiver's answer is not used: read and dropped (bounded by the timeout).
size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

bool privateV4(std::uint32_t a) {  // host order
    const auto in = [a](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
           in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0A80000, 16) || a >= 0xE0000000;
}

struct Guard {
    bool allowPrivate = false;
    bool refused = false;
};

// libcurl asks us for each socket it opens: the resolved address is checked here.
curl_socket_t openSocket(void* clientp, curlsocktype, struct curl_sockaddr* address) {
    auto* guard = static_cast<Guard*>(clientp);
    if (!guard->allowPrivate && isPrivateAddress(&address->addr)) {
        guard->refused = true;
        return CURL_SOCKET_BAD;
    }
    return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

bool isPrivateAddress(const void* sockaddr) {
    sa_family_t family;
    std::memcpy(&family, sockaddr, sizeof family);
    if (family == AF_INET) {
        sockaddr_in v4;
        std::memcpy(&v4, sockaddr, sizeof v4);
        return privateV4(ntohl(v4.sin_addr.s_addr));
    }
    if (family != AF_INET6) return true;
    sockaddr_in6 v6;
    std::memcpy(&v6, sockaddr, sizeof v6);
    const unsigned char* b = v6.sin6_addr.s6_addr;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(b, mapped, 12) == 0)
        return privateV4((std::uint32_t(b[12]) << 24) | (std::uint32_t(b[13]) << 16) | (std::uint32_t(b[14]) << 8) | b[15]);
    bool zeroPrefix = true;
    for (int i = 0; i < 15; ++i) zeroPrefix = zeroPrefix && b[i] == 0;
    if (zeroPrefix && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
}

std::string webhookSignature(const std::string& secret, std::int64_t timestamp, const std::string& body) {
    const std::string t = std::to_string(timestamp);
    const std::string signed_ = t + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_.data()), signed_.size(), mac, &len);
    static const char* hex = "0123456789abcdef";
    std::string v1;
    for (unsigned int i = 0; i < len; ++i) {
        v1 += hex[mac[i] >> 4];
        v1 += hex[mac[i] & 15];
    }
    return "t=" + t + ",v1=" + v1;
}

DeliveryResult WebhookChannel::send(const OutboundWebhook& hook, long& statusOut) {
    statusOut = 0;
    if (hook.url.rfind("http://", 0) != 0 && hook.url.rfind("https://", 0) != 0)
        return Failed{"webhook: not an http(s) URL"};
    curlGlobalInit();
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) return Retry{"webhook: curl_easy_init failed", 60};
    CURL* c = curl.get();
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, hook.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, _o.connectTimeoutSeconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, _o.timeoutSeconds);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, hook.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(hook.body.size()));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "duegate-webhooks");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (!_o.caLocation.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, _o.caLocation.c_str());
    struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    headers = curl_slist_append(headers, ("Duegate-Signature: " + webhookSignature(hook.secret, hook.timestamp, hook.body)).c_str());
    headers = curl_slist_append(headers, ("Duegate-Event: " + hook.eventType).c_str());
    headers = curl_slist_append(headers, ("Duegate-Delivery: " + hook.deliveryId).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    Guard guard{_o.allowPrivateAddresses, false};
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, openSocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    if (guard.refused && rc != CURLE_OK)
        return Failed{"webhook: the URL points to a private or local address (not allowed)"};
    if (rc != CURLE_OK)
        return Retry{std::string("webhook: ") + (errbuf[0] ? errbuf : curl_easy_strerror(rc)), 30};
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    statusOut = status;
    if (status >= 200 && status < 300) return Delivered{"HTTP " + std::to_string(status)};
    if (status == 408 || status == 425 || status == 429 || status >= 500)
        return Retry{"webhook: HTTP " + std::to_string(status), 0};
    return Failed{"webhook: HTTP " + std::to_string(status)};
}

}  // namespace duegate::channels
