// The three catalogs stay complete, and the language is chosen as docs/portal.md says.
#include <boost/test/unit_test.hpp>

#include "portal/EmbeddedFiles.h"
#include "portal/I18n.h"

#include <algorithm>
#include <set>

using namespace duegate::portal;

BOOST_AUTO_TEST_SUITE(portal_i18n)

BOOST_AUTO_TEST_CASE(nl_fr_and_en_have_exactly_the_same_keys_and_no_empty_text) {
    const auto en = i18n::keys("en");
    BOOST_TEST(en.size() > 150u);
    const std::set<std::string> want(en.begin(), en.end());
    BOOST_TEST(want.size() == en.size());  // no key twice
    for (const std::string lang : {"nl", "fr"}) {
        const auto k = i18n::keys(lang);
        const std::set<std::string> have(k.begin(), k.end());
        for (const auto& key : want) BOOST_TEST(have.count(key) == 1u, lang << " lacks " << key);
        for (const auto& key : have) BOOST_TEST(want.count(key) == 1u, lang << " has an extra " << key);
        for (const auto& key : k) BOOST_TEST(!i18n::text(lang, key).empty(), lang << " " << key);
    }
}

BOOST_AUTO_TEST_CASE(every_key_a_template_uses_exists_in_the_catalog) {
    const auto en = i18n::keys("en");
    const std::set<std::string> known(en.begin(), en.end());
    for (const auto& f : embeddedPortalFiles()) {
        if (f.path.rfind("templates/", 0) != 0 || f.path.find(".mustache") == std::string::npos) continue;
        for (auto p = f.text.find("{{t."); p != std::string::npos; p = f.text.find("{{t.", p + 4)) {
            const auto end = f.text.find("}}", p);
            const std::string key = f.text.substr(p + 4, end - p - 4);
            BOOST_TEST(known.count(key) == 1u, f.path << " uses unknown key " << key);
        }
        BOOST_TEST(f.text.find("<script") == std::string::npos, f.path);
        BOOST_TEST(f.text.find("style=") == std::string::npos, f.path);
    }
}

BOOST_AUTO_TEST_CASE(the_query_wins_then_the_remembered_choice_then_accept_language_then_english) {
    BOOST_TEST(i18n::choose("fr", std::string("nl"), "en") == "fr");
    BOOST_TEST(i18n::choose("de", std::string("nl"), "fr") == "nl");
    BOOST_TEST(i18n::choose("", std::nullopt, "de-DE,fr;q=0.4,nl;q=0.8") == "nl");
    BOOST_TEST(i18n::choose("", std::nullopt, "fr-BE") == "fr");
    BOOST_TEST(i18n::choose("", std::nullopt, "de, es;q=0.5") == "en");
    BOOST_TEST(i18n::choose("", std::string("xx"), "") == "en");
}

BOOST_AUTO_TEST_CASE(placeholders_are_filled_and_line_breaks_unescaped) {
    BOOST_TEST(i18n::text("fr", "d_title", {{"payee", "Acme"}}) == "Demande de paiement de Acme");
    BOOST_TEST(i18n::text("nl", "mail_promise_body").find("\n\n") != std::string::npos);
    BOOST_TEST(i18n::text("nl", "no_such_key") == "no_such_key");
}

BOOST_AUTO_TEST_SUITE_END()
