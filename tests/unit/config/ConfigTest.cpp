#include "config/Config.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace duegate::config;

namespace {

struct TempIni {
    std::string path;
    explicit TempIni(const std::string& text) {
        char name[] = "/tmp/duegate-config-XXXXXX";
        int fd = mkstemp(name);
        BOOST_REQUIRE(fd >= 0);
        ::close(fd);
        path = name;
        std::ofstream(path) << text;
    }
    ~TempIni() { std::remove(path.c_str()); }
};

std::string errorOf(const std::string& text, const std::map<std::string, std::string>& env = {}) {
    TempIni ini(text);
    try {
        loadConfig(ini.path, env);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(the_shipped_example_config_loads_with_its_documented_values) {
    Config c = loadConfig(DUEGATE_SOURCE_DIR "/config/duegate.example.ini", {});
    BOOST_TEST(c.store.url == "sqlite:var/duegate.db");
    BOOST_TEST(c.smtpIn.listen == "127.0.0.1:2525");
    BOOST_TEST(c.smtpIn.maxMessageBytes == 26214400u);
    BOOST_TEST(c.smtpOut.host.empty());
    BOOST_TEST(c.smtpOut.starttls == "off");
    BOOST_TEST(c.portal.baseUrl == "http://127.0.0.1:8080");
    BOOST_TEST(c.twilio.baseUrl == "https://api.twilio.com");
}

BOOST_AUTO_TEST_CASE(environment_overrides_win_over_the_file) {
    TempIni ini("[store]\nurl = sqlite:a.db\n[smtp_in]\nlisten = 127.0.0.1:2525\n");
    Config c = loadConfig(ini.path, {{"DUEGATE_STORE_URL", "postgresql://u:p@127.0.0.1:5433/d"},
                                     {"DUEGATE_SMTP_IN_LISTEN", "127.0.0.1:0"},
                                     {"DUEGATE_PORTAL_BASE_URL", "https://pay.example/"}});
    BOOST_TEST(c.store.url == "postgresql://u:p@127.0.0.1:5433/d");
    BOOST_TEST(c.smtpIn.listen == "127.0.0.1:0");
    BOOST_TEST(c.portal.baseUrl == "https://pay.example");
}

BOOST_AUTO_TEST_CASE(a_missing_required_key_names_section_and_key) {
    BOOST_TEST(errorOf("[smtp_in]\nlisten = 127.0.0.1:25\n") == "config: [store] url: missing (required)");
}

BOOST_AUTO_TEST_CASE(a_malformed_value_names_section_key_and_what_was_expected) {
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[smtp_in]\nmax_message_bytes = lots\n") ==
               "config: [smtp_in] max_message_bytes: expected a whole number from 1024 to 1073741824, got 'lots'");
    BOOST_TEST(errorOf("[store]\nurl = mysql://x\n") ==
               "config: [store] url: expected sqlite:PATH or postgresql://user:pass@host:port/db, got 'mysql:...'");
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[smtp_out]\nstarttls = maybe\n") ==
               "config: [smtp_out] starttls: expected off, opportunistic or required, got 'maybe'");
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[portal]\nlisten = 8080\n") ==
               "config: [portal] listen: expected host:port, got '8080'");
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n", {{"DUEGATE_SMTP_OUT_PORT", "70000"}}) ==
               "config: [smtp_out] port: expected a whole number from 1 to 65535, got '70000'");
}

BOOST_AUTO_TEST_CASE(limits_are_enforced_at_the_bound_and_one_past_it) {
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[smtp_in]\nmax_message_bytes = 1073741824\n").empty());
    BOOST_TEST(!errorOf("[store]\nurl = sqlite:x\n[smtp_in]\nmax_message_bytes = 1073741825\n").empty());
}

BOOST_AUTO_TEST_CASE(the_outbox_claim_outlives_the_wait_for_the_final_reply) {
    TempIni ini("[store]\nurl = sqlite:x\n");
    const Config c = loadConfig(ini.path, {});
    BOOST_TEST(c.jobs.outboxReplyTimeoutS == 600u);   // RFC 5321 4.5.3.2.6
    BOOST_TEST(c.jobs.outboxLeaseS == 1800u);
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[jobs]\noutbox_lease_s = 5\noutbox_reply_timeout_s = 2\n").empty());
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\n[jobs]\noutbox_lease_s = 600\n") ==
               "config: [jobs] outbox_lease_s: expected more than outbox_reply_timeout_s");
}

BOOST_AUTO_TEST_CASE(typos_are_errors_not_silent_defaults) {
    BOOST_TEST(errorOf("[store]\nurl = sqlite:x\nblob = y\n") == "config: [store] blob: not a known key");
    BOOST_TEST(errorOf("[stor]\nurl = sqlite:x\n") == "config: [stor]: not a known section");
}

BOOST_AUTO_TEST_CASE(inline_comments_are_stripped_but_semicolons_inside_values_kept) {
    TempIni ini("[store]\nurl = postgresql://u:p;w@h:1/d   ; comment\n");
    BOOST_TEST(loadConfig(ini.path, {}).store.url == "postgresql://u:p;w@h:1/d");
}

BOOST_AUTO_TEST_SUITE_END()
