// The SFTP drop folder: what is taken when, where it goes, and what stays for a retry.
#include "gateway/inbound/drop/DropWatcher.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace duegate::inbound;
using Clock = std::chrono::steady_clock;

namespace {

struct Call {
    std::int64_t creditor;
    std::string name, bytes;
};

struct DropFixture {
    std::string root;
    std::vector<Call> calls;
    enum class Mode { Apply, Reject, Throw } mode = Mode::Apply;
    DropOptions options;

    DropFixture() {
        char tmpl[] = "/tmp/duegate-drop-XXXXXX";
        root = ::mkdtemp(tmpl);
        options.dir = root;
        options.stableSeconds = 5;
        options.maxFileBytes = 1000;
        ::mkdir((root + "/7").c_str(), 0755);
        ::mkdir((root + "/7/in").c_str(), 0755);
    }
    ~DropFixture() { [[maybe_unused]] int rc = std::system(("rm -rf '" + root + "'").c_str()); }

    DropWatcher watcher() {
        return DropWatcher(options, [this](std::int64_t c, const std::string& n, std::string_view b) {
            if (mode == Mode::Throw) throw std::runtime_error("database is down");
            calls.push_back({c, n, std::string(b)});
            DropImport r;
            r.applied = mode == Mode::Apply;
            if (!r.applied) r.error = "line 3, column amount: not a number";
            return r;
        });
    }
    void put(const std::string& rel, const std::string& bytes) { std::ofstream(root + "/" + rel) << bytes; }
    bool exists(const std::string& rel) const {
        struct stat st;
        return ::lstat((root + "/" + rel).c_str(), &st) == 0;
    }
    std::string read(const std::string& rel) const {
        std::ifstream f(root + "/" + rel);
        return std::string(std::istreambuf_iterator<char>(f), {});
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(drop_watcher)

BOOST_FIXTURE_TEST_CASE(a_file_closed_after_writing_is_imported_once_and_moved_to_done, DropFixture) {
    auto w = watcher();
    put("7/in/invoice.xml", "<Invoice/>");
    w.markComplete(root + "/7/in/invoice.xml");
    BOOST_TEST(w.scanOnce(Clock::now()) == 1u);
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].creditor == 7);
    BOOST_TEST(calls[0].name == "invoice.xml");
    BOOST_TEST(calls[0].bytes == "<Invoice/>");
    BOOST_TEST(!exists("7/in/invoice.xml"));
    BOOST_TEST(read("7/done/invoice.xml") == "<Invoice/>");
    BOOST_TEST(w.scanOnce(Clock::now()) == 0u);
    BOOST_TEST(calls.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_file_not_known_complete_waits_until_its_size_is_stable, DropFixture) {
    auto w = watcher();
    const auto t0 = Clock::now();
    put("7/in/a.csv", "x");
    BOOST_TEST(w.scanOnce(t0) == 0u);
    BOOST_TEST(w.scanOnce(t0 + std::chrono::seconds(4)) == 0u);
    put("7/in/a.csv", "xy");   // still growing: the clock starts again
    BOOST_TEST(w.scanOnce(t0 + std::chrono::seconds(6)) == 0u);
    BOOST_TEST(w.scanOnce(t0 + std::chrono::seconds(10)) == 0u);
    BOOST_TEST(calls.empty());
    BOOST_TEST(w.scanOnce(t0 + std::chrono::seconds(11)) == 1u);
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].bytes == "xy");
}

BOOST_FIXTURE_TEST_CASE(part_files_and_hidden_files_are_never_taken, DropFixture) {
    auto w = watcher();
    put("7/in/big.xml.part", "<Inv");
    put("7/in/.upload", "x");
    w.markComplete(root + "/7/in/big.xml.part");
    const auto t0 = Clock::now();
    w.scanOnce(t0);
    BOOST_TEST(w.scanOnce(t0 + std::chrono::hours(1)) == 0u);
    BOOST_TEST(calls.empty());
    BOOST_TEST(exists("7/in/big.xml.part"));
}

BOOST_FIXTURE_TEST_CASE(a_rejected_file_goes_to_failed_with_its_reason_next_to_it, DropFixture) {
    mode = Mode::Reject;
    auto w = watcher();
    put("7/in/broken.csv", "a;b");
    w.markComplete(root + "/7/in/broken.csv");
    BOOST_TEST(w.scanOnce(Clock::now()) == 1u);
    BOOST_TEST(read("7/failed/broken.csv") == "a;b");
    BOOST_TEST(read("7/failed/broken.csv.error.txt").find("line 3, column amount: not a number") !=
               std::string::npos);
    BOOST_TEST(!exists("7/in/broken.csv"));
    BOOST_TEST(!exists("7/failed/broken.csv.error.txt.tmp"));
}

BOOST_FIXTURE_TEST_CASE(the_same_name_dropped_twice_never_overwrites_what_is_in_done, DropFixture) {
    auto w = watcher();
    put("7/in/f.xml", "one");
    w.markComplete(root + "/7/in/f.xml");
    w.scanOnce(Clock::now());
    put("7/in/f.xml", "two");
    w.markComplete(root + "/7/in/f.xml");
    w.scanOnce(Clock::now());
    BOOST_TEST(read("7/done/f.xml") == "one");
    BOOST_TEST(read("7/done/f.xml.1") == "two");
}

BOOST_FIXTURE_TEST_CASE(when_the_importer_cannot_store_the_file_stays_in_in_for_the_next_scan, DropFixture) {
    mode = Mode::Throw;
    auto w = watcher();
    put("7/in/f.xml", "x");
    w.markComplete(root + "/7/in/f.xml");
    BOOST_TEST(w.scanOnce(Clock::now()) == 0u);
    BOOST_TEST(exists("7/in/f.xml"));
    BOOST_TEST(!exists("7/done/f.xml"));
    mode = Mode::Apply;   // the database is back: the stability rule takes it
    const auto t0 = Clock::now();
    w.scanOnce(t0);
    BOOST_TEST(w.scanOnce(t0 + std::chrono::seconds(6)) == 1u);
    BOOST_TEST(exists("7/done/f.xml"));
}

BOOST_FIXTURE_TEST_CASE(a_symlink_is_never_followed_and_goes_to_failed, DropFixture) {
    auto w = watcher();
    BOOST_TEST_REQUIRE(::symlink("/etc/passwd", (root + "/7/in/passwd").c_str()) == 0);
    BOOST_TEST(w.scanOnce(Clock::now()) == 1u);
    BOOST_TEST(calls.empty());
    BOOST_TEST(exists("7/failed/passwd"));
    BOOST_TEST(read("7/failed/passwd.error.txt").find("not a regular file") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_file_over_the_size_limit_fails_unread_and_one_at_the_limit_is_taken, DropFixture) {
    auto w = watcher();
    put("7/in/big", std::string(1001, 'x'));
    put("7/in/ok", std::string(1000, 'x'));
    w.markComplete(root + "/7/in/big");
    w.markComplete(root + "/7/in/ok");
    BOOST_TEST(w.scanOnce(Clock::now()) == 2u);
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].name == "ok");
    BOOST_TEST(read("7/failed/big.error.txt").find("larger than the limit of 1000 bytes") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(folders_that_are_not_creditor_ids_are_ignored, DropFixture) {
    auto w = watcher();
    ::mkdir((root + "/lost+found").c_str(), 0755);
    ::mkdir((root + "/lost+found/in").c_str(), 0755);
    put("lost+found/in/x", "x");
    w.markComplete(root + "/lost+found/in/x");
    BOOST_TEST(w.scanOnce(Clock::now()) == 0u);
    BOOST_TEST(calls.empty());
}

BOOST_FIXTURE_TEST_CASE(the_watcher_thread_takes_a_file_closed_after_writing_within_seconds, DropFixture) {
    options.rescanSeconds = 3600;   // only inotify can make this fast
    options.stableSeconds = 3600;
    auto w = watcher();
    w.start();
    ::usleep(200 * 1000);
    put("7/in/live.xml", "<Invoice/>");   // ofstream closes it: IN_CLOSE_WRITE
    for (int i = 0; i < 50 && !exists("7/done/live.xml"); ++i) ::usleep(100 * 1000);
    w.stop();
    BOOST_TEST(exists("7/done/live.xml"));
    BOOST_TEST(calls.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
