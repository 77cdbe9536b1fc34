// Process metrics in Prometheus text format (GET /metrics): counters and a latency histogram that
// modules bump as work happens, plus collectors that read gauges (items by state, outbox by state
// and channel) from the store at scrape time. Names follow Prometheus: duegate_<what>_total for
// counters; label values are escaped.
// Thread-safety: any thread; counters are lock-free after their first use.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace duegate::platform::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Adds `by` to the counter `name{labels}` (created at 0 on first use). `help` is kept from the
// first call.
void add(const std::string& name, const Labels& labels = {}, std::uint64_t by = 1, const std::string& help = "");
// Records one observation (seconds) in the histogram `name{labels}` (buckets 5 ms .. 60 s).
void observe(const std::string& name, double seconds, const Labels& labels = {}, const std::string& help = "");

// A collector appends complete metric families (# HELP, # TYPE and samples) at scrape time; it may
// throw (the scrape then reports duegate_collector_errors_total and goes on).
void addCollector(std::function<void(std::string& out)> collector);
void clearCollectors();

// Everything, in the text exposition format 0.0.4.
std::string render();

// One sample line: name{k="v",...} value
std::string sample(const std::string& name, const Labels& labels, const std::string& value);

}  // namespace duegate::platform::metrics
