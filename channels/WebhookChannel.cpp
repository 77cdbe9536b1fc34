#include "channels/WebhookChannel.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

}  // namespace

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
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
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
