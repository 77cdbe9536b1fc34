#include "portal/pages/Pages.h"

#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal::pages {

std::string loginPage(const std::string& csrfToken, const std::string& error, const std::string& email,
                      const std::string& lang, const std::string& notice) {
    namespace m = kainjow::mustache;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = csrfToken;
    o["email"] = email;
    if (!error.empty()) o["error"] = error;
    if (!notice.empty()) o["notice"] = notice;
    Layout l;
    l.title = i18n::text(lang, "login_title") + " · duegate";
    l.lang = lang;
    l.languageBase = "/login";
    return page(l, renderTemplate("login", m::data(o)));
}

}  // namespace duegate::portal::pages
