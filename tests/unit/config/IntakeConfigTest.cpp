// The intake doors' configuration: [smtp_in] MX keys, [drop], [mailbox] (docs/config.md).
#include "config/Config.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace duegate::config;

namespace {

std::string load(const std::string& text, Config* out = nullptr) {
    char name[] = "/tmp/duegate-intake-config-XXXXXX";
    int fd = mkstemp(name);
    BOOST_REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(name) << "[store]\nurl = sqlite:x.db\n" << text;
    std::string error;
    try {
        Config c = loadConfig(name, {});
        if (out) *out = c;
    } catch (const ConfigError& e) {
        error = e.what();
    }
    std::remove(name);
    return error;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_config)

BOOST_AUTO_TEST_CASE(the_doors_have_safe_defaults) {
    Config c;
    BOOST_TEST(load("", &c).empty());
    BOOST_TEST(c.drop.enabled);
    BOOST_TEST(c.drop.dir == "var/drop");
    BOOST_TEST(c.drop.stableSeconds == 10u);
    BOOST_TEST(c.smtpIn.tlsCertFile.empty());
    BOOST_TEST(c.smtpIn.commandTimeoutS == 300u);
    BOOST_TEST(c.smtpIn.dataBlockTimeoutS == 180u);
    BOOST_TEST(c.smtpIn.dailyQuotaMessages == 0u);
    BOOST_TEST(c.mailbox.pollSeconds == 60u);
}

BOOST_AUTO_TEST_CASE(every_intake_key_is_read) {
    Config c;
    BOOST_TEST(load("[smtp_in]\ntls_cert_file = c.pem\ntls_key_file = k.pem\nmax_sessions_per_client = 3\n"
                    "command_timeout_s = 60\ndata_block_timeout_s = 30\ndata_deadline_s = 900\n"
                    "spool_threshold_bytes = 0\nspool_dir = /var/spool/dg\ndaily_quota_messages = 500\n"
                    "daily_quota_bytes = 1000000\n[drop]\nenabled = off\ndir = /srv/drop\nrescan_seconds = 5\n"
                    "stable_seconds = 3\nmax_file_bytes = 2048\n[mailbox]\nenabled = off\npoll_seconds = 120\n"
                    "timeout_seconds = 9\nmax_message_bytes = 4096\nca_file = /etc/ca.pem\n",
                    &c) == "");
    BOOST_TEST(c.smtpIn.tlsKeyFile == "k.pem");
    BOOST_TEST(c.smtpIn.maxSessionsPerClient == 3u);
    BOOST_TEST(c.smtpIn.dataDeadlineS == 900u);
    BOOST_TEST(c.smtpIn.spoolThresholdBytes == 0u);
    BOOST_TEST(c.smtpIn.spoolDir == "/var/spool/dg");
    BOOST_TEST(c.smtpIn.dailyQuotaBytes == 1000000u);
    BOOST_TEST(!c.drop.enabled);
    BOOST_TEST(c.drop.dir == "/srv/drop");
    BOOST_TEST(c.drop.maxFileBytes == 2048u);
    BOOST_TEST(!c.mailbox.enabled);
    BOOST_TEST(c.mailbox.caFile == "/etc/ca.pem");
}

BOOST_AUTO_TEST_CASE(a_certificate_without_its_key_stops_start_up) {
    BOOST_TEST(load("[smtp_in]\ntls_cert_file = c.pem\n").find("[smtp_in] tls_key_file") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(intake_limits_are_enforced_at_the_bound_and_one_past_it) {
    BOOST_TEST(load("[smtp_in]\ncommand_timeout_s = 10\n").empty());
    BOOST_TEST(load("[smtp_in]\ncommand_timeout_s = 9\n").find("from 10 to 3600") != std::string::npos);
    BOOST_TEST(load("[drop]\nstable_seconds = 3600\n").empty());
    BOOST_TEST(load("[drop]\nstable_seconds = 3601\n").find("[drop] stable_seconds") != std::string::npos);
    BOOST_TEST(load("[drop]\ndir =\n").find("[drop] dir") != std::string::npos);
    BOOST_TEST(load("[mailbox]\npoll_seconds = 0\n").find("[mailbox] poll_seconds") != std::string::npos);
    BOOST_TEST(load("[drop]\nwatch = yes\n") == "config: [drop] watch: not a known key");
}

BOOST_AUTO_TEST_SUITE_END()
