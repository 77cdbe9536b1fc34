// TwilioSmsChannel: sends an SMS through Twilio's Messages API (2010-04-01) with libcurl:
//   POST {baseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json
//   To, From, Body [, StatusCallback] form-encoded; HTTP basic auth accountSid:authToken.
//
// Classification:
// - 2xx                      -> Delivered{sid from the JSON answer} (Twilio queued it);
// - 429                      -> Retry, after Retry-After when Twilio sends it (capped), else retryAfterSeconds;
// - 5xx, other non-4xx codes -> Retry;
// - other 4xx                -> Failed{"twilio <code>: <message> (HTTP <status>)"}, e.g. 21211 invalid
//                               number, 20003 bad credentials (an operator must fix those);
// - cannot connect/resolve   -> Retry (nothing was sent);
// - timeout or connection lost after the request went out -> Unknown ("twilio: state unknown: ..."):
//   Twilio may have queued it; the dispatcher parks it for review instead of resending it;
// - a body longer than maxBodyChars or an empty To/Body -> Failed without calling Twilio.
// Every call has a connect timeout and a total timeout; CURLOPT_NOSIGNAL is set (threads);
// redirects are not followed; only http and https are allowed; the answer is read up to
// maxResponseBytes.
// Thread-safety: send() may run concurrently (one curl handle per call). curl_global_init runs
// once, on first construction.
#pragma once

#include "channels/SmsChannel.h"

#include <cstddef>
#include <string>

namespace duegate::channels {

struct TwilioOptions {
    std::string baseUrl = "https://api.twilio.com";   // a loopback fake in tests; no trailing slash needed
    std::string accountSid;                           // AC...; required
    std::string authToken;                            // required; never logged
    std::string from;                                 // our number (E.164), alphanumeric sender ID, or a
                                                      // Messaging Service SID (MG...: sent as MessagingServiceSid)
    std::string statusCallback;                       // URL Twilio posts status changes to; empty = none
    int connectTimeoutSeconds = 10;
    int timeoutSeconds = 30;                          // the whole request
    int retryAfterSeconds = 60;                       // Retry hint when Twilio gives none
    int maxRetryAfterSeconds = 3600;                  // cap on Twilio's Retry-After
    std::size_t maxBodyChars = 1600;                  // Twilio's limit (code points)
    std::size_t maxResponseBytes = 65536;
    std::string caLocation;                           // CA bundle file; empty = libcurl's default
};

class TwilioSmsChannel : public SmsChannel {
public:
    explicit TwilioSmsChannel(TwilioOptions options);

    DeliveryResult send(const OutboundSms& sms) override;

private:
    TwilioOptions _options;
};

}  // namespace duegate::channels
