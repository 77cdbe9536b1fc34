// [notify] and [webhooks] (issue 14 item 2): defaults, values, and a located error for bad ones.
#include "config/Config.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

using namespace duegate::config;

namespace {

struct Ini {
    std::string path;
    explicit Ini(const std::string& text) {
        char name[] = "/tmp/duegate-creditor-config-XXXXXX";
        const int fd = mkstemp(name);
        BOOST_REQUIRE(fd >= 0);
        ::close(fd);
        path = name;
        std::ofstream(path) << text;
    }
    ~Ini() { std::remove(path.c_str()); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(creditor_config)

BOOST_AUTO_TEST_CASE(notify_and_webhooks_have_defaults_and_take_values) {
    Ini none("[store]\nurl = sqlite:a.db\n");
    const Config d = loadConfig(none.path, {});
    BOOST_TEST(d.notify.intervalMs == 2000u);
    BOOST_TEST(d.notify.digestAt == "07:00");
    BOOST_TEST(d.webhooks.intervalMs == 1000u);
    BOOST_TEST(d.webhooks.timeoutSeconds == 10u);
    Ini set("[store]\nurl = sqlite:a.db\n[notify]\ninterval_ms = 500\ndigest_at = off\n[webhooks]\ninterval_ms = 250\ntimeout_seconds = 30\n");
    const Config c = loadConfig(set.path, {{"DUEGATE_NOTIFY_DIGEST_AT", "18:30"}});
    BOOST_TEST(c.notify.intervalMs == 500u);
    BOOST_TEST(c.notify.digestAt == "18:30");
    BOOST_TEST(c.webhooks.intervalMs == 250u);
    BOOST_TEST(c.webhooks.timeoutSeconds == 30u);
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_section_and_key) {
    for (const std::string text : {"[notify]\ndigest_at = 25:00\n", "[notify]\ndigest_at = 7\n", "[webhooks]\ntimeout_seconds = 0\n",
                                   "[webhooks]\ninterval_ms = x\n"}) {
        Ini bad("[store]\nurl = sqlite:a.db\n" + text);
        try {
            loadConfig(bad.path, {});
            BOOST_FAIL("accepted: " + text);
        } catch (const ConfigError& e) {
            const std::string what = e.what();
            BOOST_TEST((what.find("[notify]") != std::string::npos || what.find("[webhooks]") != std::string::npos), what);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
