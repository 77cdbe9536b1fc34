#include "gateway/jobs/IntakeYield.h"

#include <algorithm>

namespace duegate::jobs {

IntakeYield::IntakeYield(std::chrono::milliseconds quiet, std::chrono::milliseconds maxDelay)
    : _quiet(quiet), _maxDelay(maxDelay) {}

void IntakeYield::mailStored() {
    _lastStored.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

IntakeYield::Clock::duration IntakeYield::waitForQuiet() {
    const auto start = Clock::now();
    if (_budgetSpent || _quiet.count() <= 0) return {};
    bool waited = false;
    std::unique_lock lock(_mutex);
    for (;;) {
        if (_stopping) break;
        const auto now = Clock::now();
        const auto last = _lastStored.load(std::memory_order_relaxed);
        if (last == 0) break;
        const auto quietAt = Clock::time_point(Clock::duration(last)) + _quiet;
        if (now >= quietAt) break;   // the intake has been quiet long enough
        if (!_budgetStart) _budgetStart = now;
        const auto budgetEnd = *_budgetStart + _maxDelay;
        if (now >= budgetEnd) {
            _budgetSpent = true;     // drain without waiting until a pass finds nothing
            break;
        }
        _cv.wait_until(lock, std::min(quietAt, budgetEnd));
        waited = true;
    }
    return waited ? Clock::now() - start : Clock::duration::zero();
}

void IntakeYield::passDone(bool didWork) {
    if (didWork) return;
    _budgetStart.reset();
    _budgetSpent = false;
}

void IntakeYield::stop() {
    std::lock_guard lock(_mutex);
    _stopping = true;
    _cv.notify_all();
}

}  // namespace duegate::jobs
