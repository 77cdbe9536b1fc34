#include "platform/Health.h"

#include <map>
#include <mutex>

namespace duegate::platform::health {
namespace {

using Clock = std::chrono::steady_clock;

struct Worker {
    std::chrono::milliseconds maxSilence;
    Clock::time_point last;
};

std::mutex gMutex;
std::map<std::string, Worker>& workers() {
    static std::map<std::string, Worker> w;
    return w;
}

}  // namespace

void registerWorker(const std::string& name, std::chrono::milliseconds maxSilence) {
    std::lock_guard lock(gMutex);
    workers()[name] = Worker{maxSilence, Clock::now()};
}

void unregisterWorker(const std::string& name) {
    std::lock_guard lock(gMutex);
    workers().erase(name);
}

void beat(const std::string& name) {
    std::lock_guard lock(gMutex);
    auto it = workers().find(name);
    if (it != workers().end()) it->second.last = Clock::now();
}

std::vector<std::string> stuckWorkers() {
    std::lock_guard lock(gMutex);
    std::vector<std::string> out;
    const auto now = Clock::now();
    for (const auto& [name, w] : workers()) {
        const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.last);
        if (silent > w.maxSilence) out.push_back(name + " " + std::to_string(silent.count() / 1000) + " s");
    }
    return out;
}

}  // namespace duegate::platform::health
