// IntakeYield: timings are generous (the CI runs under sanitizers on a shared machine); the
// budget logic is checked exactly (a zero wait), the waiting itself with wide bounds.
#include "gateway/jobs/IntakeYield.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using duegate::jobs::IntakeYield;

namespace {
const auto kZero = IntakeYield::Clock::duration::zero();
}

BOOST_AUTO_TEST_SUITE(intake_yield)

BOOST_AUTO_TEST_CASE(a_quiet_intake_costs_the_ingest_no_wait) {
    IntakeYield y(50ms, 2000ms);
    BOOST_TEST((y.waitForQuiet() == kZero));   // nothing ever stored
    y.mailStored();
    std::this_thread::sleep_for(60ms);
    BOOST_TEST((y.waitForQuiet() == kZero));   // the last mail is older than the quiet time
}

BOOST_AUTO_TEST_CASE(the_ingest_waits_until_the_intake_is_quiet) {
    IntakeYield y(150ms, 10000ms);
    std::atomic<bool> done{false};
    y.mailStored();
    std::thread intake([&] {   // a mail every 5 ms for 400 ms
        for (int i = 0; i < 80; ++i) {
            y.mailStored();
            std::this_thread::sleep_for(5ms);
        }
        done = true;
    });
    const auto waited = y.waitForQuiet();
    BOOST_TEST(done.load());   // it did not start while mails were coming in
    BOOST_TEST((waited >= 300ms));
    intake.join();
}

BOOST_AUTO_TEST_CASE(the_wait_is_bounded_and_the_backlog_drains_until_a_pass_finds_nothing) {
    IntakeYield y(100ms, 300ms);
    std::atomic<bool> stop{false};
    y.mailStored();
    std::thread intake([&] {   // a flood that never pauses
        while (!stop) {
            y.mailStored();
            std::this_thread::sleep_for(2ms);
        }
    });
    const auto first = y.waitForQuiet();
    BOOST_TEST((first >= 290ms));
    BOOST_TEST((first < 5000ms));
    y.passDone(true);                                  // the pass found work: no more waiting
    BOOST_TEST((y.waitForQuiet() == kZero));
    y.passDone(true);
    BOOST_TEST((y.waitForQuiet() == kZero));
    y.passDone(false);                                 // drained: a new budget the next time
    y.mailStored();
    BOOST_TEST((y.waitForQuiet() > kZero));
    stop = true;
    intake.join();
}

BOOST_AUTO_TEST_CASE(stop_ends_a_wait_at_once) {
    IntakeYield y(5000ms, 60000ms);
    y.mailStored();
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        y.stop();
    });
    const auto waited = y.waitForQuiet();
    BOOST_TEST((waited < 4000ms));
    stopper.join();
}

BOOST_AUTO_TEST_SUITE_END()
