// The portal's own small request/response values, so route handlers and pages never touch Poco's
// stream-based server objects: a handler gets a Request (method, path, parameters, headers,
// cookies, the bounded body) and returns a Response; PortalServer moves the bytes and adds the
// security headers to every response in one place.
// Thread-safety: plain values, one per request.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duegate::portal {

struct Request {
    std::string method;
    std::string path;                                   // decoded, without the query
    std::map<std::string, std::string> query;           // decoded query parameters (last one wins)
    std::map<std::string, std::string> params;          // route parameters such as {id} and {token}
    std::vector<std::pair<std::string, std::string>> headers;  // as received, names as sent
    std::map<std::string, std::string> cookies;
    std::string body;                                   // at most PortalOptions::maxBodyBytes
    std::string remoteAddress;

    // Case-insensitive header lookup; empty when absent.
    std::string header(std::string_view name) const;
    std::optional<std::string> cookie(const std::string& name) const;
    // application/x-www-form-urlencoded body fields (last one wins); empty for other content types.
    std::map<std::string, std::string> form() const;
};

struct Response {
    int status = 200;
    std::string contentType = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Location, Set-Cookie
    bool closeConnection = false;

    static Response html(int status, std::string body);
    static Response text(int status, std::string body);
    static Response json(int status, std::string body);
    static Response redirect(const std::string& location);  // 303 See Other
};

// Cookie attributes for Set-Cookie; see docs/portal.md for which cookie uses which.
struct CookieSpec {
    std::string name, value, path = "/", sameSite = "Lax";
    std::optional<long> maxAgeSeconds;  // none: a session cookie
    bool httpOnly = true;
    bool secure = false;
};
std::string setCookieValue(const CookieSpec& c);

// The value of one hexadecimal digit, -1 for any other character (form and URI decoding, chunk sizes).
int hexValue(char c);

// "a=1; b=2" -> {a:1, b:2}; malformed pairs are skipped.
std::map<std::string, std::string> parseCookieHeader(std::string_view header);
// "a=1&b=x+y%21" -> {a:1, b:"x y!"}; malformed escapes are kept as they are.
std::map<std::string, std::string> parseUrlEncoded(std::string_view text);

}  // namespace duegate::portal
