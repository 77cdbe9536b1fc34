// IntakeYield: the ingest worker stands back while the SMTP intake is busy, so the work done after a
// mail is durable (parsing it into a dossier) does not slow down making the next mails durable.
//
// Why: on a flood of mails the ingest, woken by every 250, took about a third of the process's CPU
// and the single SQLite writer between two group commits (bench/smtp, docs/performance.md). Doing
// that work a moment later, in one stretch, costs less (bigger passes) and lets the intake answer
// faster. Nothing is at risk: the ingest works from the durable store, so a mail that got 250 is
// processed after the flood, or after a restart, exactly as before.
//
// Contract: the intake calls mailStored() after each stored mail (one relaxed atomic store: cheap
// on the 250 path). The ingest calls waitForQuiet() before each pass: it returns once no mail was
// stored for `quiet`, but the ingest is never held back more than `maxDelay` in a row: from the
// first deferral after the ingest last ran out of work (passDone(false)), the budget runs; once it is
// spent, passes run without waiting until a pass finds nothing to do. So under a sustained flood the
// ingest still drains its backlog (it then competes with the intake as before), and a mail waits for
// processing at most about maxDelay plus the backlog's time. stop() ends any wait at once.
// Thread-safety: mailStored() from any thread; waitForQuiet()/passDone() from the one worker thread;
// stop() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace duegate::jobs {

class IntakeYield {
public:
    using Clock = std::chrono::steady_clock;
    explicit IntakeYield(std::chrono::milliseconds quiet = std::chrono::milliseconds(25),
                         std::chrono::milliseconds maxDelay = std::chrono::milliseconds(2000));

    void mailStored();
    // Returns how long it waited (zero when the intake was quiet or the budget was spent).
    Clock::duration waitForQuiet();
    void passDone(bool didWork);
    void stop();

private:
    std::chrono::milliseconds _quiet;
    std::chrono::milliseconds _maxDelay;
    std::atomic<std::int64_t> _lastStored{0};   // Clock ticks since epoch; 0 = never
    std::optional<Clock::time_point> _budgetStart;   // worker thread only
    bool _budgetSpent = false;                        // worker thread only
    std::mutex _mutex;
    std::condition_variable _cv;
    bool _stopping = false;
};

}  // namespace duegate::jobs
