#include "gateway/services/MetricsService.h"

#include "platform/Metrics.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"

namespace duegate::services {

void addStoreMetrics(Context& ctx) {
    namespace m = platform::metrics;
    m::addCollector([&ctx](std::string& out) {
        const auto items = ctx.db->read([](store::Tx& tx) { return store::inbound::countByState(tx); });
        out += "# HELP duegate_inbound_items inbound items (mails, files) by state\n# TYPE duegate_inbound_items gauge\n";
        for (const auto& [state, n] : items) out += m::sample("duegate_inbound_items", {{"state", state}}, std::to_string(n));
    });
    m::addCollector([&ctx](std::string& out) {
        const auto rows = ctx.db->read([](store::Tx& tx) { return store::outbox::countByStateAndChannel(tx); });
        out += "# HELP duegate_outbound_messages outbound messages by state and channel\n"
               "# TYPE duegate_outbound_messages gauge\n";
        for (const auto& r : rows)
            out += m::sample("duegate_outbound_messages", {{"state", r.state}, {"channel", r.channel}},
                             std::to_string(r.count));
        // Parked sends wait for a person (docs/operations.md): alert when this stays above zero.
        std::int64_t parked = 0;
        for (const auto& r : rows)
            if (r.state == "unknown") parked += r.count;
        out += "# HELP duegate_outbox_parked messages whose send's outcome is unknown, parked for review\n"
               "# TYPE duegate_outbox_parked gauge\n";
        out += m::sample("duegate_outbox_parked", {}, std::to_string(parked));
    });
}

}  // namespace duegate::services
