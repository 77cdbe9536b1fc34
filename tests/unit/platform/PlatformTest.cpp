#include "platform/DurableFile.h"
#include "platform/Health.h"
#include "platform/Log.h"
#include "platform/Metrics.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace duegate::platform;

BOOST_AUTO_TEST_SUITE(platform)

BOOST_AUTO_TEST_CASE(log_lines_are_key_value_and_a_hostile_value_cannot_forge_a_line) {
    BOOST_TEST(formatLogLine(LogLevel::Info, "ingest", "applied 1", {{"item", "17"}}) ==
               "level=info module=ingest msg=\"applied 1\" item=17");
    const auto line = formatLogLine(LogLevel::Error, "smtp", "x", {{"from", "a\nlevel=info msg=forged \"q\""}});
    BOOST_TEST(line.find('\n') == std::string::npos);
    BOOST_TEST(line == "level=error module=smtp msg=x from=\"a\\nlevel=info msg=forged \\\"q\\\"\"");
    LogLevel l = LogLevel::Info;
    BOOST_TEST(parseLogLevel("warning", l));
    BOOST_TEST((l == LogLevel::Warning));
    BOOST_TEST(!parseLogLevel("loud", l));
    setLogLevel(LogLevel::Warning);
    BOOST_TEST(!logEnabled(LogLevel::Info));
    BOOST_TEST(logEnabled(LogLevel::Error));
    setLogLevel(LogLevel::Info);
}

BOOST_AUTO_TEST_CASE(metrics_render_in_the_prometheus_text_format) {
    metrics::add("duegate_test_things_total", {{"kind", "a\"b"}}, 2, "things counted in a test");
    metrics::add("duegate_test_things_total", {{"kind", "a\"b"}});
    metrics::observe("duegate_test_seconds", 0.02, {{"channel", "email"}});
    metrics::addCollector([](std::string& out) { out += metrics::sample("duegate_test_gauge", {}, "7"); });
    metrics::addCollector([](std::string&) { throw std::runtime_error("store down"); });
    const auto text = metrics::render();
    metrics::clearCollectors();
    BOOST_TEST(text.find("# HELP duegate_test_things_total things counted in a test\n") != std::string::npos);
    BOOST_TEST(text.find("# TYPE duegate_test_things_total counter\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_test_things_total{kind=\"a\\\"b\"} 3\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_test_seconds_bucket{channel=\"email\",le=\"0.01\"} 0\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_test_seconds_bucket{channel=\"email\",le=\"0.025\"} 1\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_test_seconds_count{channel=\"email\"} 1\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_test_gauge 7\n") != std::string::npos);
    BOOST_TEST(text.find("duegate_collector_errors_total 1\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_worker_that_stops_beating_is_reported_stuck) {
    health::registerWorker("test-worker", std::chrono::milliseconds(50));
    BOOST_TEST(health::stuckWorkers().empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(80));
    const auto stuck = health::stuckWorkers();
    BOOST_TEST_REQUIRE(stuck.size() == 1u);
    BOOST_TEST(stuck[0].rfind("test-worker ", 0) == 0);
    health::beat("test-worker");
    BOOST_TEST(health::stuckWorkers().empty());
    health::unregisterWorker("test-worker");
}

BOOST_AUTO_TEST_CASE(a_durable_write_creates_its_folders_and_replaces_atomically) {
    const auto dir = std::filesystem::temp_directory_path() / ("duegate-durable-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto path = (dir / "a" / "b" / "file.txt").string();
    writeFileDurably(path, "one");
    writeFileDurably(path, "two");
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    BOOST_TEST(ss.str() == "two");
    std::size_t entries = 0;  // no temporary file is left behind
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "a" / "b")) ++entries;
    BOOST_TEST(entries == 1u);
    renameDurably(path, (dir / "done" / "file.txt").string());
    BOOST_TEST(std::filesystem::exists(dir / "done" / "file.txt"));
    BOOST_CHECK_THROW(writeFileDurably("/proc/duegate-cannot/x", "y"), std::system_error);
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
