#include "portal/Html.h"

#include "gateway/core/Money.h"

namespace duegate::portal {

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        // NUL has no business in a page and some parsers treat it oddly: drop it.
        case '\0': break;
        default: out += c;
        }
    }
    return out;
}

namespace {

// Small, readable on a phone, no external resources (CSP default-src 'self').
constexpr const char* kStyle = R"CSS(
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f23;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff}
header .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:#1d3557}
.card{background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.amount{font-size:1.8rem;font-weight:700}
.muted{color:#5c6670}
.error{background:#fde8e8;border:1px solid #f5b5b5;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.6rem .5rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
td a{display:inline-block;min-height:44px;padding:.6rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{color:#5c6670}
dd{margin:0;word-break:break-word}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
label{display:block;margin:.75rem 0 .25rem}
input[type=email],input[type=password]{width:100%;font-size:1rem;padding:.75rem;border:1px solid #b8c0c8;border-radius:.375rem}
button{font-size:1rem;min-height:44px;padding:.6rem 1.25rem;border:0;border-radius:.375rem;background:#1d3557;color:#fff;cursor:pointer}
header button{background:#fff;color:#1d3557}
.qr svg{width:100%;max-width:16rem;height:auto;display:block}
pre{white-space:pre-wrap;word-break:break-all;background:#f0f2f4;padding:.5rem;border-radius:.375rem}
@media (max-width:40rem){
  table.stack thead{display:none}
  table.stack tr{display:block;border-bottom:1px solid #dde1e6;padding:.5rem 0}
  table.stack td{display:block;border:0;padding:.15rem .5rem}
  table.stack td[data-label]::before{content:attr(data-label) ": ";color:#5c6670}
}
)CSS";

}  // namespace

std::string page(const Layout& layout, const std::string& bodyHtml) {
    std::string out;
    out.reserve(bodyHtml.size() + 3000);
    out += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"referrer\" content=\"no-referrer\">"
           "<title>";
    out += escapeHtml(layout.title);
    out += "</title><style>";
    out += kStyle;
    out += "</style></head><body><header>";
    if (layout.navigation) {
        out += "<a href=\"/\">Dossiers</a><a href=\"/quarantine\">Quarantine</a>";
    } else {
        out += "<span>duegate</span>";
    }
    if (!layout.userName.empty()) {
        out += "<span class=\"who\"><span>" + escapeHtml(layout.userName) +
               "</span><form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"" +
               escapeHtml(layout.csrfToken) + "\"><button type=\"submit\">Log out</button></form></span>";
    }
    out += "</header><main>";
    out += bodyHtml;
    out += "</main></body></html>\n";
    return out;
}

std::string displayMoney(std::int64_t minor, const std::string& currency) {
    return core::Money(minor, currency).toString();
}

std::string displayDate(const std::string& dateOrInstant) { return dateOrInstant.substr(0, 10); }

std::string displayInstant(const std::string& instant) {
    if (instant.size() >= 16 && instant[10] == 'T') return instant.substr(0, 10) + " " + instant.substr(11, 5);
    return instant;
}

}  // namespace duegate::portal
