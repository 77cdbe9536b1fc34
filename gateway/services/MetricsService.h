// What the store tells /metrics at scrape time: inbound items by state, outbound messages by state
// and channel (gauges). Counters of work done (mails accepted, sends, errors) are bumped where the
// work happens (platform/Metrics.h).
#pragma once

#include "gateway/services/Context.h"

namespace duegate::services {

// Registers the store's gauges with platform::metrics; `ctx` must outlive the registration
// (platform::metrics::clearCollectors() removes it).
void addStoreMetrics(Context& ctx);

}  // namespace duegate::services
