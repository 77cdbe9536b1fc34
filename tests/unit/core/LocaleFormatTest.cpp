#include "gateway/core/templates/LocaleFormat.h"
#include "gateway/core/templates/TemplateRenderer.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::core;

BOOST_AUTO_TEST_SUITE(locale_format)

BOOST_AUTO_TEST_CASE(amounts_are_written_as_the_debtor_reads_them) {
    const auto m = Money::eur(123450);
    BOOST_TEST(formatAmount(Language::Nl, m) == "1.234,50\xC2\xA0\xE2\x82\xAC");
    BOOST_TEST(formatAmount(Language::Fr, m) == "1.234,50\xC2\xA0\xE2\x82\xAC");
    BOOST_TEST(formatAmount(Language::En, m) == "\xE2\x82\xAC" "1,234.50");
    BOOST_TEST(formatAmount(Language::En, Money::eur(5)) == "\xE2\x82\xAC" "0.05");
    BOOST_TEST(formatAmount(Language::Nl, Money::eur(-123456789)) == "-1.234.567,89\xC2\xA0\xE2\x82\xAC");
    BOOST_TEST(formatAmount(Language::En, Money(1000, "USD")) == "USD 10.00");
    BOOST_TEST(formatAmount(Language::Fr, Money(1000, "JPY")) == "1.000\xC2\xA0JPY");
}

BOOST_AUTO_TEST_CASE(dates_follow_the_documented_formats) {
    const auto d = *CivilDate::fromYmd(2026, 12, 31);
    BOOST_TEST(formatDate(Language::Nl, d) == "31-12-2026");
    BOOST_TEST(formatDate(Language::Fr, d) == "31/12/2026");
    BOOST_TEST(formatDate(Language::En, d) == "31 December 2026");
    BOOST_TEST(formatDateLong(Language::Fr, *CivilDate::fromYmd(2026, 8, 1)) == "1 août 2026");
    BOOST_TEST(formatDateLong(Language::Nl, *CivilDate::fromYmd(2026, 3, 9)) == "9 maart 2026");
}

BOOST_AUTO_TEST_CASE(the_language_comes_from_the_dossier_then_the_debtor_then_country_and_postcode) {
    BOOST_TEST(chooseLanguage("en", "fr", "BE", "8000") == Language::En);
    BOOST_TEST(chooseLanguage(std::nullopt, "FR_be", "BE", "8000") == Language::Fr);
    BOOST_TEST(chooseLanguage("Dutch", std::nullopt, "BE", "8000") == Language::Nl);  // unreadable: next source
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "BE", "8000") == Language::Nl);   // Brugge
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "BE", "1000") == Language::Fr);   // Brussels
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "BE", "1348") == Language::Fr);   // Louvain-la-Neuve
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "BE", "3000") == Language::Nl);   // Leuven
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "be", "4000") == Language::Fr);   // Liège
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "BE", std::nullopt) == Language::Nl);
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "NL", "1011 AB") == Language::Nl);
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "LU", std::nullopt) == Language::Fr);
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, "DE", std::nullopt) == Language::En);
    BOOST_TEST(chooseLanguage(std::nullopt, std::nullopt, std::nullopt, std::nullopt) == Language::En);
}

BOOST_AUTO_TEST_CASE(templates_render_plain_text_with_partials_and_an_override_wins) {
    TemplateData d;
    d.values["name"] = "<Café & Co>";
    d.flags["vip"] = true;
    d.lists["rows"] = {{{"n", "1"}}, {{"n", "2"}}};
    TemplateSet set;
    set.override = [](Language, std::string_view name) -> std::optional<std::string> {
        if (name == "_p") return std::string("[{{name}}]");
        return std::nullopt;
    };
    auto r = renderText(set, Language::Nl, "Subject: Hi {{name}}\n\n{{> _p}}{{#vip}} vip{{/vip}}{{#rows}} {{n}}{{/rows}}\n", d);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r->subject == "Hi <Café & Co>");
    BOOST_TEST(r->body == "[<Café & Co>] vip 1 2\n");
    BOOST_TEST(!renderText(set, Language::Nl, "{{> _missing}}", d).ok());
    BOOST_TEST(!renderText(set, Language::Nl, "{{#open}}", d).ok());
    BOOST_TEST(!renderMessage(set, Language::Nl, "no_such_template", d).ok());
}

BOOST_AUTO_TEST_SUITE_END()
