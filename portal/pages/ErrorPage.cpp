#include "portal/pages/Pages.h"

namespace duegate::portal::pages {

std::string notFoundPage() {
    // The same words for a missing page, another creditor's dossier and a bad, expired or revoked
    // debtor link: nothing here may tell one from the other.
    return page(Layout{"Not found · duegate", "", "", false},
                "<h1>Not found</h1><p class=\"card\">This page does not exist, or this link is no longer valid. "
                "If you received a link in a reminder, please contact the sender.</p>");
}

std::string errorPage(const std::string& title, const std::string& message) {
    return page(Layout{title + " · duegate", "", "", false},
                "<h1>" + h(title) + "</h1><p class=\"card\">" + h(message) + "</p>");
}

}  // namespace duegate::portal::pages
