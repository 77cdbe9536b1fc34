#include "channels/TwilioSmsChannel.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace duegate::channels {

namespace {

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Response {
    std::string body;
    std::size_t max = 0;
    bool truncated = false;
    int retryAfter = -1;
};

size_t onBody(char* data, size_t size, size_t count, void* user) {
    auto* r = static_cast<Response*>(user);
    std::size_t n = size * count;
    if (r->body.size() + n > r->max) {
        r->truncated = true;
        return 0;   // makes curl stop with CURLE_WRITE_ERROR: the answer is bounded
    }
    r->body.append(data, n);
    return n;
}

size_t onHeader(char* data, size_t size, size_t count, void* user) {
    auto* r = static_cast<Response*>(user);
    std::size_t n = size * count;
    std::string line(data, n);
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind("retry-after:", 0) == 0) {
        // Only the delta-seconds form; an HTTP date falls back to the default.
        std::size_t i = 12;
        while (i < line.size() && line[i] == ' ') ++i;
        int v = 0;
        bool any = false;
        while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && v < 1000000) {
            v = v * 10 + (line[i++] - '0');
            any = true;
        }
        if (any) r->retryAfter = v;
    }
    return n;
}

std::size_t codePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
    void operator()(char* p) const { curl_free(p); }
};

std::string escape(CURL* curl, const std::string& s) {
    std::unique_ptr<char, CurlFree> e(curl_easy_escape(curl, s.data(), static_cast<int>(s.size())));
    return e ? std::string(e.get()) : std::string();
}

// Reads Twilio's JSON answer: the message's sid on success, code and message on errors.
struct Answer {
    std::string sid;
    std::string code;
    std::string message;
};

Answer parseAnswer(const std::string& body) {
    Answer a;
    try {
        auto obj = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        if (!obj) return a;
        auto get = [&](const char* key) {
            if (!obj->has(key) || obj->isNull(key)) return std::string();
            return obj->get(key).convert<std::string>();
        };
        a.sid = get("sid");
        a.code = get("code");
        a.message = get("message");
    } catch (const Poco::Exception&) {
        // not JSON (a proxy's HTML error page): the HTTP status still decides
    } catch (const std::exception&) {
    }
    return a;
}

std::string oneLine(std::string s, std::size_t max = 300) {
    for (char& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    if (s.size() > max) s.resize(max);
    return s;
}

}  // namespace

TwilioSmsChannel::TwilioSmsChannel(TwilioOptions options) : _options(std::move(options)) {
    globalInit();
    while (!_options.baseUrl.empty() && _options.baseUrl.back() == '/') _options.baseUrl.pop_back();
}

DeliveryResult TwilioSmsChannel::send(const OutboundSms& sms) {
    const auto& o = _options;
    if (sms.to.empty()) return Failed{"sms: no recipient number"};
    if (sms.body.empty()) return Failed{"sms: empty body"};
    if (codePoints(sms.body) > o.maxBodyChars)
        return Failed{"sms: body longer than " + std::to_string(o.maxBodyChars) + " characters"};
    if (o.accountSid.empty() || o.authToken.empty()) return Failed{"twilio: account_sid/auth_token not configured"};

    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) return Retry{"twilio: curl_easy_init failed", o.retryAfterSeconds};
    CURL* c = curl.get();

    std::string url = o.baseUrl + "/2010-04-01/Accounts/" + escape(c, o.accountSid) + "/Messages.json";
    // A Messaging Service (MG + 32 hex) sends from its own number pool: MessagingServiceSid, not From.
    const bool service = o.from.size() == 34 && o.from.rfind("MG", 0) == 0;
    std::string form = "To=" + escape(c, sms.to) + (service ? "&MessagingServiceSid=" : "&From=") + escape(c, o.from) +
                       "&Body=" + escape(c, sms.body);
    if (!o.statusCallback.empty()) form += "&StatusCallback=" + escape(c, o.statusCallback);

    Response response;
    response.max = o.maxResponseBytes;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.connectTimeoutSeconds));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o.timeoutSeconds));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, o.accountSid.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.authToken.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "duegate");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (!o.caLocation.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.caLocation.c_str());
    struct curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");   // no 100-continue round trip
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);

    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && response.truncated && status >= 200)) {
        std::string what = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
        // Before the request went out nothing can have been sent; after it, Twilio may have it.
        bool neverSent = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                         rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR ||
                         rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_UNSUPPORTED_PROTOCOL ||
                         rc == CURLE_URL_MALFORMAT;
        if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
            return Failed{"twilio: bad base_url: " + oneLine(what)};
        if (!neverSent) return Unknown{"twilio: state unknown: " + oneLine(what)};
        return Retry{"twilio: " + oneLine(what), o.retryAfterSeconds};
    }

    Answer answer = parseAnswer(response.body);
    if (status >= 200 && status < 300) return Delivered{answer.sid};
    std::string reason = "twilio " + (answer.code.empty() ? std::string("?") : answer.code) + ": " +
                         oneLine(answer.message.empty() ? std::string("no message") : answer.message) +
                         " (HTTP " + std::to_string(status) + ")";
    if (status == 429) {
        int after = response.retryAfter >= 0 ? std::min(std::max(response.retryAfter, 1), o.maxRetryAfterSeconds)
                                             : o.retryAfterSeconds;
        return Retry{reason, after};
    }
    if (status >= 400 && status < 500) return Failed{reason};
    return Retry{reason, o.retryAfterSeconds};
}

}  // namespace duegate::channels
