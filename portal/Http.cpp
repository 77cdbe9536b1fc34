#include "portal/Http.h"

#include <Poco/String.h>

namespace duegate::portal {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string formDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (Poco::icompare(k, std::string(name)) == 0) return v;
    return {};
}

std::optional<std::string> Request::cookie(const std::string& name) const {
    auto it = cookies.find(name);
    if (it == cookies.end()) return std::nullopt;
    return it->second;
}

std::map<std::string, std::string> Request::form() const {
    const std::string type = Poco::toLower(header("Content-Type"));
    if (type.rfind("application/x-www-form-urlencoded", 0) != 0) return {};
    return parseUrlEncoded(body);
}

Response Response::html(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::text(int status, std::string body) {
    Response r;
    r.status = status;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

Response Response::json(int status, std::string body) {
    Response r;
    r.status = status;
    r.contentType = "application/json";
    r.body = std::move(body);
    return r;
}

Response Response::redirect(const std::string& location) {
    Response r;
    r.status = 303;
    r.contentType = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", location);
    return r;
}

std::string setCookieValue(const CookieSpec& c) {
    std::string v = c.name + "=" + c.value + "; Path=" + c.path;
    if (c.maxAgeSeconds) v += "; Max-Age=" + std::to_string(*c.maxAgeSeconds);
    if (c.httpOnly) v += "; HttpOnly";
    if (c.secure) v += "; Secure";
    if (!c.sameSite.empty()) v += "; SameSite=" + c.sameSite;
    return v;
}

std::map<std::string, std::string> parseCookieHeader(std::string_view header) {
    std::map<std::string, std::string> out;
    while (!header.empty()) {
        const auto semi = header.find(';');
        const std::string_view pair = trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        std::string_view value = trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        // The first occurrence wins: browsers send the most specific path first.
        out.emplace(std::string(trim(pair.substr(0, eq))), std::string(value));
    }
    return out;
}

std::map<std::string, std::string> parseUrlEncoded(std::string_view text) {
    std::map<std::string, std::string> out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        const std::string key = formDecode(pair.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? std::string() : formDecode(pair.substr(eq + 1));
        out[key] = value;
    }
    return out;
}

}  // namespace duegate::portal
