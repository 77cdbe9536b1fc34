// GET /d/{token}: the debtor's page. The token is the only credential; every way it can be wrong
// (malformed, tampered, expired, revoked, unknown) gets the same 404 page (no oracle).
#include "portal/Routes.h"

#include "gateway/services/DossierQueries.h"
#include "portal/EpcQrCode.h"
#include "portal/pages/Pages.h"

namespace duegate::portal {

void addDebtorRoutes(Router& router, services::Context& ctx) {
    router.add("GET", "/d/{token}", [&ctx](Request& req) {
        // openDebtorLink records `link_opened` in the same transaction as the read.
        const auto view = services::openDebtorLink(ctx, req.params.at("token"), req.header("User-Agent"));
        if (!view) return notFoundResponse();
        const auto payload = epcPayloadFor(*view);
        const auto svg = payload ? qrSvg(*payload) : std::nullopt;
        return Response::html(200, pages::debtorPage(*view, payload, svg));
    });
}

}  // namespace duegate::portal
