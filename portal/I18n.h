// The portal's three languages (nl, fr, en): catalogs portal/i18n/{nl,fr,en}.ini compiled into the
// binary (EmbeddedFiles.h). Pages take every user-visible text from here; code holds no sentences.
//
// Catalog format: `key = text` per line, `#` comments; `{name}` in a text is filled from the
// page's variables (plain text: the templates escape it). A key missing in nl or fr falls back to
// en (a test keeps the three complete), an unknown key to the key itself.
// Choice of language: `?lang=` on the request, then the remembered choice (debtor / cookie), then
// the best match of Accept-Language, then English.
// Thread-safety: the catalogs are built once (static initialisation) and read-only after that.
#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::i18n {

inline const std::vector<std::string>& languages() {
    static const std::vector<std::string> all{"nl", "fr", "en"};
    return all;
}
bool isLanguage(const std::string& code);

// "fr-BE,fr;q=0.9,en;q=0.5" -> "fr"; "" when none of nl/fr/en is acceptable.
std::string fromAcceptLanguage(const std::string& header);
std::string choose(const std::string& queryLang, const std::optional<std::string>& remembered,
                   const std::string& acceptLanguage);

using Vars = std::map<std::string, std::string>;

std::string text(const std::string& lang, const std::string& key, const Vars& vars = {});

// The catalog as a page template sees it, under the name `t` ({{t.key}}). The texts without a
// `{name}` placeholder never change, so renderTemplate() writes them into its parsed copy of the
// template for `lang` once (staticText below), escaped as the tag asks; this object carries only
// the language (key textsLanguageKey) and the texts with placeholders, filled from `vars`. A page
// renders the same bytes as if every text were in the object, without copying 600 texts a page.
kainjow::mustache::object texts(const std::string& lang, const Vars& vars = {});
// The key of texts()' object that names its language (not a valid template name: it has a space).
inline const std::string textsLanguageKey = " lang";
// The text of `key` in `lang` (en as fallback) when it has no `{name}` placeholder and is not
// empty, else nullptr: the texts renderTemplate() may write into a template once per language.
const std::string* staticText(const std::string& lang, const std::string& key);
// The keys of a catalog as written (for tests).
std::vector<std::string> keys(const std::string& lang);

}  // namespace duegate::portal::i18n
