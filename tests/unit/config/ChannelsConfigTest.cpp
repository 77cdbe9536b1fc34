// [smtp_out] dkim_*, [reply] and [print] (issue 10 items 3-5).
#include "config/Config.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace duegate::config;

namespace {

Config load(const std::string& text, std::string* error = nullptr) {
    char name[] = "/tmp/duegate-config-XXXXXX";
    const int fd = mkstemp(name);
    ::close(fd);
    std::ofstream(name) << "[store]\nurl = sqlite:x.db\n" << text;
    Config c;
    try {
        c = loadConfig(name, {});
    } catch (const ConfigError& e) {
        if (error) *error = e.what();
    }
    std::remove(name);
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(channels_config)

BOOST_AUTO_TEST_CASE(defaults_and_values) {
    Config d = load("");
    BOOST_TEST(d.reply.domain.empty());
    BOOST_TEST(d.print.dir == "var/print");
    BOOST_TEST(d.smtpOut.dkimKeyFile.empty());
    Config c = load("[smtp_out]\ndkim_key_file = var/dkim.pem\ndkim_selector = duegate2026\ndkim_domain = duegate.example\n"
                    "[reply]\ndomain = reply.duegate.example\n[print]\ndir = /srv/print\n");
    BOOST_TEST(c.smtpOut.dkimKeyFile == "var/dkim.pem");
    BOOST_TEST(c.smtpOut.dkimSelector == "duegate2026");
    BOOST_TEST(c.smtpOut.dkimDomain == "duegate.example");
    BOOST_TEST(c.reply.domain == "reply.duegate.example");
    BOOST_TEST(c.print.dir == "/srv/print");
}

BOOST_AUTO_TEST_CASE(bad_values_name_section_and_key) {
    std::string e;
    load("[smtp_out]\ndkim_key_file = var/dkim.pem\n", &e);
    BOOST_TEST(e.find("[smtp_out] dkim_key_file") != std::string::npos, e);
    e.clear();
    load("[reply]\ndomain = r@x.example\n", &e);
    BOOST_TEST(e.find("[reply] domain") != std::string::npos, e);
    e.clear();
    load("[smtp_out]\ndkim_key_file = k\ndkim_selector = bad selector\ndkim_domain = d.example\n", &e);
    BOOST_TEST(e.find("[smtp_out] dkim_selector") != std::string::npos, e);
    e.clear();
    load("[print]\ndir =\n", &e);
    BOOST_TEST(e.find("[print] dir") != std::string::npos, e);
}

BOOST_AUTO_TEST_SUITE_END()
