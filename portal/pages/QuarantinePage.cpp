#include "portal/pages/Pages.h"

#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal::pages {

std::string quarantinePage(const Layout& layout, const std::vector<store::InboundItemRecord>& items, bool staff) {
    namespace m = kainjow::mustache;
    m::object o;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["staff"] = m::data(staff);
    o["csrf"] = layout.csrfToken;  // staff: "read the PDF" (StaffRoutes.cpp)
    o["has_items"] = m::data(!items.empty());
    m::list rows;
    for (const auto& it : items) {
        rows.push_back(m::object{{"id", std::to_string(it.id)},
                                 {"received", displayInstant(it.receivedAt)},
                                 {"creditor", std::to_string(it.creditorId)},
                                 {"kind", it.kind},
                                 {"from", it.mailFrom.value_or("")},
                                 {"error", it.error.value_or("")},
                                 {"attempts", std::to_string(it.attempts)}});
    }
    o["items"] = m::data(rows);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "q_title") + " · duegate";
    return page(l, renderTemplate("quarantine", m::data(o)));
}

}  // namespace duegate::portal::pages
