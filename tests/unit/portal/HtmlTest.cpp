#include "portal/Html.h"
#include "portal/Http.h"
#include "portal/Router.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::portal;

BOOST_AUTO_TEST_SUITE(portal_html)

BOOST_AUTO_TEST_CASE(escape_html_escapes_the_five_special_characters_and_drops_nul) {
    BOOST_TEST(escapeHtml("<a href=\"x\">Tom & Jerry's</a>") ==
               "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    BOOST_TEST(escapeHtml(std::string("a\0b", 3)) == "ab");
    BOOST_TEST(escapeHtml("Café €") == "Café €");
}

BOOST_AUTO_TEST_CASE(the_layout_escapes_the_title_and_the_user_name) {
    const std::string html = page(Layout{"<T>", "<U>", "c\"s", true}, "<p>body</p>");
    BOOST_TEST(html.find("<title>&lt;T&gt;</title>") != std::string::npos);
    BOOST_TEST(html.find("&lt;U&gt;") != std::string::npos);
    BOOST_TEST(html.find("value=\"c&quot;s\"") != std::string::npos);
    BOOST_TEST(html.find("<p>body</p>") != std::string::npos);
    BOOST_TEST(html.find("width=device-width") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(form_bodies_and_cookie_headers_are_decoded) {
    auto f = parseUrlEncoded("email=a%40b.c&password=x+y%21&csrf=&bad=%zz");
    BOOST_TEST(f["email"] == "a@b.c");
    BOOST_TEST(f["password"] == "x y!");
    BOOST_TEST(f["csrf"] == "");
    BOOST_TEST(f["bad"] == "%zz");
    auto c = parseCookieHeader("a=1; dg_session=\"abc\"; junk; a=2");
    BOOST_TEST(c["a"] == "1");
    BOOST_TEST(c["dg_session"] == "abc");
    BOOST_TEST(c.count("junk") == 0u);
}

BOOST_AUTO_TEST_CASE(the_router_matches_parameters_and_answers_404_and_405) {
    Router r;
    r.add("GET", "/dossiers/{id}", [](Request& q) { return Response::text(200, q.params.at("id")); });
    r.add("GET", "/d/{token}", [](Request& q) { return Response::text(200, q.params.at("token")); });
    auto run = [&](std::string method, std::string path) {
        Request q;
        q.method = std::move(method);
        q.path = std::move(path);
        return r.dispatch(q);
    };
    BOOST_TEST(run("GET", "/dossiers/42").body == "42");
    BOOST_TEST(run("GET", "/dossiers/4x").status == 404);
    BOOST_TEST(run("GET", "/dossiers/1234567890123456789").status == 404);  // would not fit int64 safely
    BOOST_TEST(run("GET", "/d/abc.def").body == "abc.def");
    BOOST_TEST(run("POST", "/d/abc").status == 405);
    BOOST_TEST(run("POST", "/d/abc").headers.at(0).second == "GET, HEAD");
    BOOST_TEST(run("HEAD", "/d/abc").status == 200);  // a GET route answers HEAD (the engine drops the body)
    BOOST_TEST(run("GET", "/d").status == 404);
}

BOOST_AUTO_TEST_SUITE_END()
