// Frame (portal/Templates.h): a template rendered once with markers and filled per request must read
// exactly as kainjow renders it with the values (escaped and raw slots, a value used twice, a value
// inside an attribute next to fixed text), and the layout built on it (Html.h, page()) must escape
// what it is given whatever shape was rendered first.
#include "portal/Html.h"
#include "portal/Templates.h"

#include <kainjow/mustache.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace duegate::portal;
namespace m = kainjow::mustache;

BOOST_AUTO_TEST_SUITE(portal_frame)

BOOST_AUTO_TEST_CASE(a_filled_frame_reads_as_mustache_renders_the_values) {
    const std::string src = "<a href=\"{{base}}?lang=nl\" title=\"{{title}}\">{{title}}</a>{{#who}}<b>{{who}}</b>{{/who}}"
                            "<main>{{{body}}}</main>";
    m::mustache t(src);
    t.set_custom_escape([](const std::string& s) { return escapeHtml(s); });
    auto render = [&](const std::string& base, const std::string& title, const std::string& who, const std::string& body) {
        m::data d(m::data::type::object);
        d["base"] = base;
        d["title"] = title;
        d["who"] = who;
        d["body"] = body;
        return t.render(d);
    };
    const Frame f(render(Frame::marker(0), Frame::marker(1), Frame::marker(2), Frame::rawMarker(3)));
    const std::string base = "/d/x\"y", title = "Tom & \"Jerry's\" <x>", who = "<script>", body = "<p>a & b</p>";
    const std::string_view values[] = {base, title, who, body};
    std::string out;
    f.render(out, values);
    BOOST_TEST(out == render(base, title, who, body));
    BOOST_TEST(out.find("<script>") == std::string::npos);
    BOOST_TEST(out.find("<p>a & b</p>") != std::string::npos);
    BOOST_TEST(out.find('\x01') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_marker_is_refused) {
    BOOST_CHECK_THROW(Frame(std::string("a\x01") + "Zq"), std::logic_error);
    BOOST_CHECK_THROW(Frame(std::string("a\x01") + "A"), std::logic_error);
    BOOST_CHECK_THROW(Frame::marker(Frame::kMaxSlots), std::logic_error);
}

BOOST_AUTO_TEST_CASE(the_layout_escapes_each_request_s_values_in_a_shape_rendered_before) {
    Layout l;
    l.lang = "fr";
    l.navigation = true;
    l.userName = "first user";
    l.csrfToken = "aaaa";
    l.languageBase = "/";
    l.title = "one";
    const std::string first = page(l, "<p>one</p>");
    l.userName = "<b>Eve & \"co\"</b>";
    l.csrfToken = "bbbb";
    l.languageBase = "/x\"<";
    l.title = "two <i>";
    const std::string second = page(l, "<p>two</p>");
    BOOST_TEST(first.find("first user") != std::string::npos);
    BOOST_TEST(second.find("first user") == std::string::npos);
    BOOST_TEST(second.find("&lt;b&gt;Eve &amp; &quot;co&quot;&lt;/b&gt;") != std::string::npos);
    BOOST_TEST(second.find("value=\"bbbb\"") != std::string::npos);
    BOOST_TEST(second.find("href=\"/x&quot;&lt;?lang=nl\"") != std::string::npos);
    BOOST_TEST(second.find("<title>two &lt;i&gt;</title>") != std::string::npos);
    BOOST_TEST(second.find("<p>two</p>") != std::string::npos);
    BOOST_TEST(second.find('\x01') == std::string::npos);
    l.userName.clear();  // another shape: no user, no logout form
    const std::string anonymous = page(l, "");
    BOOST_TEST(anonymous.find("/logout") == std::string::npos);
    BOOST_TEST(anonymous.find("<html lang=\"fr\">") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
