#include "gateway/jobs/IntakeYield.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using duegate::jobs::IntakeYield;

BOOST_AUTO_TEST_SUITE(intake_yield)

BOOST_AUTO_TEST_CASE(a_quiet_intake_costs_the_ingest_no_wait) {
    IntakeYield y(50ms, 2000ms);
    BOOST_TEST((y.waitForQuiet() == IntakeYield::Clock::duration::zero()));   // nothing ever stored
    y.mailStored();
    std::this_thread::sleep_for(60ms);
    BOOST_TEST((y.waitForQuiet() < 10ms));
}

BOOST_AUTO_TEST_CASE(the_ingest_waits_until_the_intake_is_quiet) {
    IntakeYield y(40ms, 5000ms);
    std::atomic<bool> done{false};
    std::thread intake([&] {   // a mail every 5 ms for 300 ms
        for (int i = 0; i < 60; ++i) {
            y.mailStored();
            std::this_thread::sleep_for(5ms);
        }
        done = true;
    });
    std::this_thread::sleep_for(10ms);
    const auto waited = y.waitForQuiet();
    BOOST_TEST(done.load());   // it did not start while mails were coming in
    BOOST_TEST((waited >= 200ms));
    intake.join();
}

BOOST_AUTO_TEST_CASE(the_wait_is_bounded_and_the_backlog_drains_until_a_pass_finds_nothing) {
    IntakeYield y(40ms, 150ms);
    std::atomic<bool> stop{false};
    std::thread intake([&] {   // a flood that never pauses
        while (!stop) {
            y.mailStored();
            std::this_thread::sleep_for(2ms);
        }
    });
    std::this_thread::sleep_for(10ms);
    const auto first = y.waitForQuiet();
    BOOST_TEST((first >= 140ms));
    BOOST_TEST((first < 1000ms));
    y.passDone(true);                                  // the pass found work: no more waiting
    BOOST_TEST((y.waitForQuiet() < 10ms));
    y.passDone(true);
    BOOST_TEST((y.waitForQuiet() < 10ms));
    y.passDone(false);                                 // drained: a new budget the next time
    BOOST_TEST((y.waitForQuiet() >= 140ms));
    stop = true;
    intake.join();
}

BOOST_AUTO_TEST_CASE(stop_ends_a_wait_at_once) {
    IntakeYield y(1000ms, 60000ms);
    y.mailStored();
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        y.stop();
    });
    const auto waited = y.waitForQuiet();
    BOOST_TEST((waited < 900ms));
    stopper.join();
}

BOOST_AUTO_TEST_SUITE_END()
