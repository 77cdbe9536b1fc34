// A background thread that runs one pass of a job every `interval`, or sooner when woken.
// A wake-up is a hint; the periodic scan is the truth (postfix qmgr): a lost wake-up delays work
// by one interval at most, never loses it. A pass that throws is logged and retried next time.
// Each finished pass (idle ones too) is a heartbeat for /healthz (platform/Health.h): a pass that
// runs longer than interval + maxPass makes the worker count as stuck.
// Thread-safety: wake() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace duegate::jobs {

class PeriodicWorker {
public:
    // `pass` returns true when it did work (then the next pass runs at once, draining a backlog).
    PeriodicWorker(std::string name, std::chrono::milliseconds interval, std::function<bool()> pass,
                   std::chrono::milliseconds maxPass = std::chrono::minutes(5));
    ~PeriodicWorker();

    void start();
    void wake();
    void stop();  // finishes the running pass, then joins

private:
    void run();

    std::string _name;
    std::chrono::milliseconds _interval;
    std::chrono::milliseconds _maxPass;
    std::function<bool()> _pass;
    std::mutex _mutex;
    std::condition_variable _cv;
    bool _woken = false;
    // Set by the first wake() after a pass started; later ones return at once (the pass to come
    // covers them). The SMTP intake wakes the ingest after every mail: without this, fifty session
    // threads queued on _mutex for a wake-up already pending.
    std::atomic<bool> _wakePending{false};
    bool _stopping = false;
    std::thread _thread;
};

}  // namespace duegate::jobs
