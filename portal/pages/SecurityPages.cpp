#include "portal/pages/SecurityPages.h"

#include "portal/EpcQrCode.h"
#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal::pages {
namespace {

namespace m = kainjow::mustache;

Layout bareLayout(const std::string& lang, const std::string& titleKey, const std::string& base) {
    Layout l;
    l.title = i18n::text(lang, titleKey) + " · duegate";
    l.lang = lang;
    l.languageBase = base;
    return l;
}

// The enrolment block: the otpauth URI as a QR code (SVG from libqrencode) and the key as text.
void addEnrolment(m::object& o, const std::string& secret, const std::string& uri) {
    o["secret"] = secret;
    o["uri"] = uri;
    if (auto svg = qrSvg(uri)) o["qr"] = *svg;
}

}  // namespace

std::string loginTotpPage(const std::string& lang, const std::string& csrf, const services::ChallengeView& view,
                          const std::string& error) {
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = csrf;
    if (!error.empty()) o["error"] = error;
    o["enrol"] = m::data(view.kind == "enrol");
    if (view.kind == "enrol") addEnrolment(o, view.secret, view.otpauthUri);
    return page(bareLayout(lang, "sec_totp_title", "/login/totp"), renderTemplate("login_totp", m::data(o)));
}

std::string passwordForgotPage(const std::string& lang, const std::string& csrf, bool sent) {
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = csrf;
    o["sent"] = m::data(sent);
    return page(bareLayout(lang, "sec_forgot_title", "/password/forgot"), renderTemplate("password_forgot", m::data(o)));
}

std::string passwordResetPage(const std::string& lang, const std::string& csrf, const std::string& token,
                              const std::string& error) {
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = csrf;
    o["token"] = token;
    if (!error.empty()) o["error"] = error;
    // No language links here: they would drop the token from the address.
    return page(bareLayout(lang, "sec_reset_title", ""), renderTemplate("password_reset", m::data(o)));
}

std::string accountPage(const Layout& layout, const services::AccountView& view, const std::string& ok) {
    m::object o;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["csrf"] = layout.csrfToken;
    if (!ok.empty()) o["ok"] = ok;
    o["sessions_text"] = i18n::text(layout.lang, "sec_sessions_n", {{"n", std::to_string(view.sessions)}});
    o["totp_allowed"] = m::data(view.totpAllowed);
    o["totp_enabled"] = m::data(view.totpEnabled);
    m::list events;
    for (const auto& [kind, at] : view.events)
        events.push_back(m::object{{"at", displayInstant(at)}, {"what", i18n::text(layout.lang, "sec_ev_" + kind)}});
    o["events"] = m::data(events);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "sec_account_title") + " · duegate";
    return page(l, renderTemplate("security", m::data(o)));
}

std::string accountTotpPage(const Layout& layout, const services::TotpStatus& status, const std::string& error) {
    m::object o;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["csrf"] = layout.csrfToken;
    if (!error.empty()) o["error"] = error;
    o["enabled"] = m::data(status.enabled);
    if (!status.enabled) addEnrolment(o, status.secret, status.otpauthUri);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "sec_totp_title") + " · duegate";
    return page(l, renderTemplate("security_totp", m::data(o)));
}

}  // namespace duegate::portal::pages
