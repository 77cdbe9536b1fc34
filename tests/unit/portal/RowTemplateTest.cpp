// RowTemplate (portal/Templates.h): the dossier list's rows rendered without mustache data must
// read exactly as kainjow renders the same fragment for the same values: escaping, sections on a
// non-empty field, inverted sections, raw fields, and static catalog texts.
#include "portal/Html.h"
#include "portal/Templates.h"

#include <kainjow/mustache.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace duegate::portal;
namespace m = kainjow::mustache;

BOOST_AUTO_TEST_SUITE(portal_row_template)

BOOST_AUTO_TEST_CASE(a_row_reads_as_mustache_renders_it) {
    const std::string src = "<tr><td>{{a}}</td>{{#flag}}<td>{{ b }}</td>{{/flag}}{{^flag}}<td>-</td>{{/flag}}"
                            "<td>{{{raw}}}{{&raw}}</td></tr>";
    const std::vector<std::string> fields{"a", "flag", "b", "raw"};
    const RowTemplate row(src, fields);
    m::mustache reference(src);
    reference.set_custom_escape([](const std::string& s) { return escapeHtml(s); });
    for (const bool flag : {true, false}) {
        const std::string a = "Tom & \"Jerry's\" <x>", b = "b<", raw = "<i>";
        std::string out;
        const std::string_view values[] = {a, flag ? "1" : "", b, raw};
        row.render(out, values);
        m::data d(m::data::type::object);
        d["a"] = a;
        d["flag"] = m::data(flag);
        d["b"] = b;
        d["raw"] = raw;
        BOOST_TEST(out == reference.render(d));
    }
}

BOOST_AUTO_TEST_CASE(the_dossier_row_template_has_its_static_texts_written_in) {
    const std::vector<std::string> fields{"id", "reference", "staff", "creditor", "debtor", "email", "status", "open", "due"};
    std::string out;
    const std::string_view values[] = {"7", "R<1>", "", "C", "D", "e@x", "Open", "EUR 1.00", "2026-01-01"};
    rowTemplate("dossier_row", "en", fields).render(out, values);
    BOOST_TEST(out.find("<a href=\"/dossiers/7\">R&lt;1&gt;</a>") != std::string::npos);
    BOOST_TEST(out.find("{{") == std::string::npos);
    BOOST_TEST(out.find(">C<") == std::string::npos);  // the creditor column is for staff only
    BOOST_TEST(out.back() == '>');                       // the file's trailing newline is not part of it
}

BOOST_AUTO_TEST_CASE(unknown_fields_and_nested_sections_are_refused) {
    BOOST_CHECK_THROW(RowTemplate("{{nope}}", {"a"}), std::logic_error);
    BOOST_CHECK_THROW(RowTemplate("{{#a}}{{#a}}x{{/a}}{{/a}}", {"a"}), std::logic_error);
    BOOST_CHECK_THROW(RowTemplate("{{#a}}x", {"a"}), std::logic_error);
    BOOST_CHECK_THROW(RowTemplate("{{>partial}}", {"a"}), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
