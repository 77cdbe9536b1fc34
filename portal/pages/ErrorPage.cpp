#include "portal/pages/Pages.h"

#include "portal/I18n.h"

namespace duegate::portal::pages {

std::string notFoundPage() { return notFoundPage("en"); }

std::string notFoundPage(const std::string& lang) {
    // The same words for a missing page, another creditor's dossier and a bad, expired or revoked
    // debtor link: nothing here may tell one from the other (only the reader's language changes).
    Layout l;
    l.title = i18n::text(lang, "not_found_title") + " · duegate";
    l.lang = lang;
    return page(l, "<h1>" + h(i18n::text(lang, "not_found_title")) + "</h1><p class=\"card\">" +
                       h(i18n::text(lang, "not_found_text")) + "</p>");
}

std::string errorPage(const std::string& title, const std::string& message) { return errorPage("en", title, message); }

std::string errorPage(const std::string& lang, const std::string& title, const std::string& message) {
    Layout l;
    l.title = title + " · duegate";
    l.lang = lang;
    return page(l, "<h1>" + h(title) + "</h1><p class=\"card\">" + h(message) + "</p>");
}

}  // namespace duegate::portal::pages
