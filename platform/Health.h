// Liveness of the background workers for GET /healthz: each worker registers with the longest
// silence that is still healthy and beats after every pass (idle passes included). A worker whose
// pass hangs (a stuck lock, a wedged connection) stops beating and /healthz fails.
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace duegate::platform::health {

void registerWorker(const std::string& name, std::chrono::milliseconds maxSilence);
void unregisterWorker(const std::string& name);
void beat(const std::string& name);
// Names of registered workers silent for longer than their bound, with how long ("ingest 93 s").
std::vector<std::string> stuckWorkers();

}  // namespace duegate::platform::health
