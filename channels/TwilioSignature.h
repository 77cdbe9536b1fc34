// Twilio webhook signatures (X-Twilio-Signature), as Twilio documents them ("Secure webhooks"):
// base64(HMAC-SHA1(authToken, url + concat(sorted (name, value) pairs)))).
//
// Inputs: the full URL Twilio requested (scheme, host, path, query exactly as configured), the
// URL-decoded form parameters of a form-encoded POST (every one received, in any order, repeated
// names allowed; empty for GET and for JSON bodies) and the header value.
// verifyTwilioSignature() also accepts the signature computed over the URL with the default port
// added (":443"/":80") or an explicit port removed, as Twilio's SDK validators do, because proxies
// and load balancers change it. Comparison is in constant time.
// For JSON-bodied webhooks Twilio signs the URL alone (with a bodySHA256 query parameter):
// verify with empty params, then check the body with verifyTwilioBodyHash().
// Errors: none; a malformed header or URL simply does not verify.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duegate::channels {

using TwilioParams = std::vector<std::pair<std::string, std::string>>;

// The signature Twilio would send for exactly this URL and these parameters.
std::string computeTwilioSignature(std::string_view authToken, std::string_view url, const TwilioParams& params);

bool verifyTwilioSignature(std::string_view authToken, std::string_view url, const TwilioParams& params,
                           std::string_view signatureHeader);

// True when url carries bodySHA256=<lowercase hex sha256 of rawBody>.
bool verifyTwilioBodyHash(std::string_view url, std::string_view rawBody);

}  // namespace duegate::channels
