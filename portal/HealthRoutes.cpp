// GET /healthz (INTERFACES.md: "ok" once the store answers; 503 naming what is wrong when the store
// does not answer or a background worker is stuck) and GET /metrics (Prometheus text format).
#include "portal/Routes.h"

#include "platform/Health.h"
#include "platform/Metrics.h"

namespace duegate::portal {

void addHealthRoutes(Router& router, services::Context& ctx) {
    router.add("GET", "/healthz", [&ctx](Request&) {
        bool ok = false;
        try {
            ok = ctx.db->ping();
        } catch (const std::exception&) {
            ok = false;  // a store that throws is a store that does not answer
        }
        if (!ok) return Response::text(503, "store unavailable\n");
        const auto stuck = platform::health::stuckWorkers();
        if (!stuck.empty()) {
            std::string text = "stuck:";
            for (const auto& w : stuck) text += " " + w + ";";
            return Response::text(503, text + "\n");
        }
        return Response::text(200, "ok");
    });
    router.add("GET", "/metrics", [](Request&) {
        Response r = Response::text(200, platform::metrics::render());
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    });
}

}  // namespace duegate::portal
