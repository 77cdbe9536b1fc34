// HTML building blocks shared by every page: escaping, the page layout and small formatters.
//
// Everything that comes from data (names, references, subjects, errors, tokens) goes through
// escapeHtml() before it becomes markup; pages build strings only from escaped values and literals.
// The layout is portal/templates/layout.mustache: mobile-first (viewport meta, one column, large tap
// targets), the stylesheet /static/portal.css, and no JavaScript, so the Content-Security-Policy
// allows neither inline script nor inline style.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::portal {

// Escapes & < > " ' so the result is safe in element content and in quoted attribute values.
std::string escapeHtml(std::string_view text);
// The same escaping, appended to `out` (no temporary string).
void appendEscapedHtml(std::string& out, std::string_view text);

// Short alias used in the page files, where it appears on almost every line.
inline std::string h(std::string_view text) { return escapeHtml(text); }
inline std::string h(const std::string& text) { return escapeHtml(text); }
inline std::string h(const char* text) { return escapeHtml(text); }
inline std::string h(const std::optional<std::string>& text) { return text ? escapeHtml(*text) : std::string(); }

struct Layout {
    std::string title;                  // escaped by page()
    std::string userName;               // shown with a logout button when not empty (escaped by page())
    std::string csrfToken;              // for the logout form
    bool navigation = false;            // the staff/creditor menu (dossiers, quarantine)
    std::string lang = "en";            // nl | fr | en: <html lang> and the catalog of the frame
    std::string languageBase;           // not empty: language links "<base>?lang=xx" in the header
    bool staffMenu = false;             // staff: tasks in the menu
};

// A complete HTML document around `bodyHtml` (already safe markup).
std::string page(const Layout& layout, const std::string& bodyHtml);
// The CSS served at /static/portal.css.
const std::string& stylesheet();

// "EUR 1234.50" for display; minor units + ISO currency, never floating point.
std::string displayMoney(std::int64_t minor, const std::string& currency);
// "2024-03-01" from a store instant "2024-03-01T10:00:00.000000Z"; dates are returned as they are.
std::string displayDate(const std::string& dateOrInstant);
// "2024-03-01 10:00" (UTC) from a store instant.
std::string displayInstant(const std::string& instant);

}  // namespace duegate::portal
