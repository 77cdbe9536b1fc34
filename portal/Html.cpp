#include "portal/Html.h"

#include "gateway/core/Money.h"
#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal {

void appendEscapedHtml(std::string& out, std::string_view text) {
    std::size_t plain = 0;  // start of the run of characters that need no escaping
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* entity;
        switch (text[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        // NUL has no business in a page and some parsers treat it oddly: drop it.
        case '\0': entity = ""; break;
        default: continue;
        }
        out.append(text.data() + plain, i - plain);
        out += entity;
        plain = i + 1;
    }
    out.append(text.data() + plain, text.size() - plain);
}

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    appendEscapedHtml(out, text);
    return out;
}

namespace {

// The layout rendered with mustache; the values that change per request are passed apart from the
// shape (language, menus, which sections show) so the frame below can render it with markers.
std::string renderLayout(const Layout& layout, const std::string& title, const std::string& userName,
                         const std::string& csrf, const std::string& languageBase, const std::string& bodyHtml) {
    namespace m = kainjow::mustache;
    m::data o(m::data::type::object);  // built in place: the body is not copied twice more
    o["lang"] = layout.lang;
    o["title"] = title;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["navigation"] = m::data(layout.navigation);
    if (layout.navigation) {
        m::list nav;
        if (layout.navigation) nav.push_back(m::object{{"href", std::string("/dashboard")},
                                                       {"label", i18n::text(layout.lang, "nav_dashboard")}});
        if (layout.staffMenu) nav.push_back(m::object{{"href", std::string("/tasks")},
                                                      {"label", i18n::text(layout.lang, "nav_tasks")}});
        // The finance queue (FinanceRoutes.cpp): staff and creditor users alike.
        nav.push_back(m::object{{"href", std::string("/payments")}, {"label", i18n::text(layout.lang, "nav_payments")}});
        // Staff: the admin pages (admins only, 403 for others); creditor users: their own account.
        if (layout.navigation)
            nav.push_back(m::object{{"href", std::string(layout.staffMenu ? "/admin" : "/account")},
                                    {"label", i18n::text(layout.lang, layout.staffMenu ? "nav_admin" : "nav_account")}});
        if (!layout.staffMenu) nav.push_back(m::object{{"href", std::string("/creditor")},
                                                       {"label", i18n::text(layout.lang, "nav_creditor")}});
        nav.push_back(m::object{{"href", std::string("/security")}, {"label", i18n::text(layout.lang, "nav_security")}});
        o["nav_links"] = m::data(nav);
    }
    if (!layout.userName.empty()) {
        o["user_name"] = userName;
        o["csrf"] = csrf;
    }
    o["has_languages"] = m::data(!layout.languageBase.empty());
    if (!layout.languageBase.empty()) {
        m::list langs;
        for (const auto& code : i18n::languages()) {
            m::object l;
            l["code"] = code;
            l["name"] = i18n::text(code, "lang_name");
            l["href"] = languageBase + "?lang=" + code;
            l["current"] = m::data(code == layout.lang);
            langs.push_back(m::data(l));
        }
        o["languages"] = m::data(langs);
    }
    o["body"] = bodyHtml;
    return renderTemplate("layout", o);
}

}  // namespace

// Every page goes through here: the layout of its shape is rendered once (Templates.h,
// Frame) and each page only writes its pieces, the escaped values and the body.
std::string page(const Layout& layout, const std::string& bodyHtml) {
    if (!i18n::isLanguage(layout.lang))  // not a shape worth keeping: render it whole
        return renderLayout(layout, layout.title, layout.userName, layout.csrfToken, layout.languageBase, bodyHtml);
    std::string key = "layout/" + layout.lang;
    key += layout.navigation ? 'n' : '-';
    key += layout.staffMenu ? 's' : '-';
    key += layout.userName.empty() ? '-' : 'u';
    key += layout.languageBase.empty() ? '-' : 'l';
    const Frame& f = frame(key, [&] {
        return renderLayout(layout, Frame::marker(0), Frame::marker(1), Frame::marker(2),
                            layout.languageBase.empty() ? std::string() : Frame::marker(3), Frame::rawMarker(4));
    });
    const std::string_view values[] = {layout.title, layout.userName, layout.csrfToken, layout.languageBase, bodyHtml};
    std::string out;
    out.reserve(f.fixedSize() + bodyHtml.size() + layout.title.size() + layout.userName.size() + 3 * layout.languageBase.size() + 64);
    f.render(out, values);
    return out;
}

const std::string& stylesheet() {
    static const std::string empty;
    const std::string* css = staticFile("portal.css");
    return css ? *css : empty;
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
