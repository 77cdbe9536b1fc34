#include "platform/Metrics.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

namespace duegate::platform::metrics {
namespace {

constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 15, 60};

struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sumMicros{0};
};

struct Family {
    std::string help, type;
    std::map<Labels, std::unique_ptr<std::atomic<std::uint64_t>>> counters;
    std::map<Labels, std::unique_ptr<Histogram>> histograms;
};

struct Registry {
    std::mutex mutex;
    std::map<std::string, Family> families;
    std::vector<std::function<void(std::string&)>> collectors;
};

Registry& registry() {
    static Registry r;
    return r;
}

std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

std::string sample(const std::string& name, const Labels& labels, const std::string& value) {
    std::string line = name;
    if (!labels.empty()) {
        line += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) line += ',';
            line += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
        }
        line += '}';
    }
    return line + " " + value + "\n";
}

void add(const std::string& name, const Labels& labels, std::uint64_t by, const std::string& help) {
    auto& r = registry();
    std::atomic<std::uint64_t>* counter = nullptr;
    {
        std::lock_guard lock(r.mutex);
        auto& f = r.families[name];
        if (f.type.empty()) f.type = "counter";
        if (f.help.empty()) f.help = help;
        auto& slot = f.counters[labels];
        if (!slot) slot = std::make_unique<std::atomic<std::uint64_t>>(0);
        counter = slot.get();
    }
    counter->fetch_add(by, std::memory_order_relaxed);
}

void observe(const std::string& name, double seconds, const Labels& labels, const std::string& help) {
    auto& r = registry();
    Histogram* h = nullptr;
    {
        std::lock_guard lock(r.mutex);
        auto& f = r.families[name];
        if (f.type.empty()) f.type = "histogram";
        if (f.help.empty()) f.help = help;
        auto& slot = f.histograms[labels];
        if (!slot) slot = std::make_unique<Histogram>();
        h = slot.get();
    }
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) h->buckets[i].fetch_add(1, std::memory_order_relaxed);
    h->count.fetch_add(1, std::memory_order_relaxed);
    h->sumMicros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void addCollector(std::function<void(std::string&)> collector) {
    std::lock_guard lock(registry().mutex);
    registry().collectors.push_back(std::move(collector));
}

void clearCollectors() {
    std::lock_guard lock(registry().mutex);
    registry().collectors.clear();
}

std::string render() {
    auto& r = registry();
    std::string out;
    std::vector<std::function<void(std::string&)>> collectors;
    {
        std::lock_guard lock(r.mutex);
        for (const auto& [name, f] : r.families) {
            if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
            out += "# TYPE " + name + " " + f.type + "\n";
            for (const auto& [labels, c] : f.counters) out += sample(name, labels, std::to_string(c->load()));
            for (const auto& [labels, h] : f.histograms) {
                for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                    auto l = labels;
                    l.emplace_back("le", number(kBuckets[i]));
                    out += sample(name + "_bucket", l, std::to_string(h->buckets[i].load()));
                }
                auto l = labels;
                l.emplace_back("le", "+Inf");
                out += sample(name + "_bucket", l, std::to_string(h->count.load()));
                out += sample(name + "_sum", labels, number(static_cast<double>(h->sumMicros.load()) / 1e6));
                out += sample(name + "_count", labels, std::to_string(h->count.load()));
            }
        }
        collectors = r.collectors;
    }
    std::uint64_t errors = 0;
    for (const auto& c : collectors) {
        std::string part;
        try {
            c(part);
            out += part;
        } catch (...) {
            ++errors;
        }
    }
    out += "# TYPE duegate_collector_errors_total counter\n";
    out += sample("duegate_collector_errors_total", {}, std::to_string(errors));
    return out;
}

}  // namespace duegate::platform::metrics
