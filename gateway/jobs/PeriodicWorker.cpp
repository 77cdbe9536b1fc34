#include "gateway/jobs/PeriodicWorker.h"

#include <exception>
#include <iostream>

namespace duegate::jobs {

PeriodicWorker::PeriodicWorker(std::string name, std::chrono::milliseconds interval, std::function<bool()> pass)
    : _name(std::move(name)), _interval(interval), _pass(std::move(pass)) {}

PeriodicWorker::~PeriodicWorker() { stop(); }

void PeriodicWorker::start() { _thread = std::thread([this] { run(); }); }

void PeriodicWorker::wake() {
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
}

void PeriodicWorker::run() {
    for (;;) {
        bool didWork = false;
        try {
            didWork = _pass();
        } catch (const std::exception& e) {
            std::cerr << "duegate: " << _name << ": " << e.what() << "\n";
        }
        std::unique_lock lock(_mutex);
        if (_stopping) return;
        if (!didWork) _cv.wait_for(lock, _interval, [this] { return _woken || _stopping; });
        _woken = false;
        if (_stopping) return;
    }
}

}  // namespace duegate::jobs
