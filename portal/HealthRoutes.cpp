#include "portal/Routes.h"

namespace duegate::portal {

void addHealthRoutes(Router& router, services::Context& ctx) {
    router.add("GET", "/healthz", [&ctx](Request&) {
        bool ok = false;
        try {
            ok = ctx.db->ping();
        } catch (const std::exception&) {
            ok = false;  // a store that throws is a store that does not answer
        }
        return ok ? Response::text(200, "ok") : Response::text(503, "store unavailable\n");
    });
}

}  // namespace duegate::portal
