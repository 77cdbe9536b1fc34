#include "gateway/jobs/PeriodicWorker.h"

#include "platform/Health.h"
#include "platform/Log.h"
#include "platform/Metrics.h"

#include <exception>

namespace duegate::jobs {

PeriodicWorker::PeriodicWorker(std::string name, std::chrono::milliseconds interval, std::function<bool()> pass,
                               std::chrono::milliseconds maxPass)
    : _name(std::move(name)), _interval(interval), _maxPass(maxPass), _pass(std::move(pass)) {}

PeriodicWorker::~PeriodicWorker() { stop(); }

void PeriodicWorker::start() {
    platform::health::registerWorker(_name, _interval + _maxPass);
    _thread = std::thread([this] { run(); });
}

void PeriodicWorker::wake() {
    if (_wakePending.exchange(true, std::memory_order_acq_rel)) return;
    std::lock_guard lock(_mutex);
    _woken = true;
    _cv.notify_one();
}

void PeriodicWorker::stop() {
    {
        std::lock_guard lock(_mutex);
        _stopping = true;
        _cv.notify_one();
    }
    if (_thread.joinable()) _thread.join();
    platform::health::unregisterWorker(_name);
}

void PeriodicWorker::run() {
    for (;;) {
        bool didWork = false;
        // Before the pass: a wake-up from now on means "run again after this pass".
        _wakePending.store(false, std::memory_order_release);
        try {
            didWork = _pass();
        } catch (const std::exception& e) {
            platform::logError(_name, "pass failed", {{"error", e.what()}});
            platform::metrics::add("duegate_worker_errors_total", {{"worker", _name}}, 1,
                                   "passes of a background worker that threw");
        }
        platform::health::beat(_name);
        std::unique_lock lock(_mutex);
        if (_stopping) return;
        if (!didWork) _cv.wait_for(lock, _interval, [this] { return _woken || _stopping; });
        _woken = false;
        if (_stopping) return;
    }
}

}  // namespace duegate::jobs
