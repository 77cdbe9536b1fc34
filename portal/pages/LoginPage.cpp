#include "portal/pages/Pages.h"

namespace duegate::portal::pages {

std::string loginPage(const std::string& csrfToken, const std::string& error, const std::string& email) {
    std::string b;
    b += "<h1>Log in</h1>";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + h(error) + "</p>";
    b += "<form class=\"card\" method=\"post\" action=\"/login\">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" + h(csrfToken) + "\">"
         "<label for=\"email\">E-mail</label>"
         "<input id=\"email\" type=\"email\" name=\"email\" autocomplete=\"username\" required value=\"" + h(email) + "\">"
         "<label for=\"password\">Password</label>"
         "<input id=\"password\" type=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
         "<p><button type=\"submit\">Log in</button></p></form>";
    return page(Layout{"Log in · duegate", "", "", false}, b);
}

}  // namespace duegate::portal::pages
