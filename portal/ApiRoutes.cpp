// GET /api/v1/dossiers and GET /api/v1/dossiers/{id}/events (INTERFACES.md: keep the shapes exact).
// Amounts are decimal strings; ids are JSON numbers; absent optional values are null.
#include "portal/Routes.h"

#include "gateway/core/Money.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/dunning/NextActions.h"
#include "parsers/common/JsonWriter.h"
#include "portal/Session.h"

#include <charconv>

namespace duegate::portal {
namespace {

constexpr std::size_t kPageSize = 500;

Response jsonError(int status, const std::string& message) {
    parsers::JsonWriter w;
    w.beginObject().field("error", message).endObject();
    Response r = Response::json(status, w.str() + "\n");
    if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"duegate\"");
    return r;
}


std::int64_t queryInt(const Request& req, const std::string& name) {
    auto it = req.query.find(name);
    if (it == req.query.end()) return 0;
    std::int64_t v = 0;
    const auto* end = it->second.data() + it->second.size();
    auto [p, ec] = std::from_chars(it->second.data(), end, v);
    if (ec != std::errc() || p != end || v < 0) throw services::InputError(name + ": expected a non-negative integer");
    return v;
}

// The list names a dossier by its agency reference; the single-dossier view (`detail`) says where
// and how the debtor is asked to pay: "reference" is then the payment reference (INTERFACES.md),
// and the agency reference moves to "dossier_reference".
void writeDossier(parsers::JsonWriter& w, const services::DossierSummary& s, bool detail = false,
                  const std::optional<services::dunning::NextAction>& next = std::nullopt) {
    const auto& d = s.dossier;
    w.beginObject();
    w.field("id", d.id);
    if (detail) {
        w.field("reference", d.paymentReference);
        w.field("dossier_reference", d.reference);
        w.field("paid_amount", core::Money(d.paidMinor, d.currency).toDecimal());
        w.key("payee").beginObject();
        w.field("name", d.payeeName);
        w.field("iban", d.payeeIban);
        w.field("bic", d.payeeBic);
        w.endObject();
        w.field("language", d.language);
        w.field("hold_reason", d.holdReason);
        // The dunning planner's next step for this dossier (services/dunning/NextActions.h).
        if (next) {
            w.key("next_action").beginObject();
            w.field("date", next->date.iso());
            w.field("kind", next->kind);
            w.endObject();
        } else {
            w.key("next_action").null();
        }
    } else {
        w.field("reference", d.reference);
    }
    w.field("status", d.status);
    w.field("open_amount", core::Money(d.openMinor, d.currency).toDecimal());
    w.field("currency", d.currency);
    w.key("debtor").beginObject();
    w.field("name", s.debtor.name);
    w.field("email", s.debtor.email);
    w.endObject();
    w.key("invoices").beginArray();
    for (const auto& inv : s.invoices) {
        w.beginObject();
        w.field("number", inv.number);
        w.field("amount", core::Money(inv.amountMinor, inv.currency).toDecimal());
        w.field("currency", inv.currency);
        w.field("issue_date", inv.issueDate);
        w.field("due_date", inv.dueDate);
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

}  // namespace

Response apiNotFoundResponse() { return jsonError(404, "not found"); }

void addApiRoutes(Router& router, services::Context& ctx) {
    // GET /api/v1/dossiers[?after=ID]: at most 500 dossiers by ascending id, after ID when given.
    router.add("GET", "/api/v1/dossiers", [&ctx](Request& req) {
        auto who = apiPrincipal(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        std::int64_t after = 0;
        try {
            after = queryInt(req, "after");
        } catch (const services::InputError& e) {
            return jsonError(400, e.what());
        }
        const auto dossiers = services::listDossiers(ctx, *who, kPageSize, after);
        parsers::JsonWriter w;
        w.beginObject().key("dossiers").beginArray();
        for (const auto& s : dossiers) writeDossier(w, s);
        w.endArray().endObject();
        return Response::json(200, w.str() + "\n");
    });

    // GET /api/v1/dossiers/{id}: one dossier with its payee and payment reference.
    router.add("GET", "/api/v1/dossiers/{id}", [&ctx](Request& req) {
        auto who = apiPrincipal(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        const auto detail = services::dossierDetail(ctx, *who, std::stoll(req.params.at("id")));
        if (!detail) return apiNotFoundResponse();  // missing and foreign look the same
        std::optional<services::dunning::NextAction> next;
        const auto planned = services::dunning::nextActions(ctx, detail->summary.dossier.creditorId,
                                                            detail->summary.dossier.id, 1);
        if (!planned.empty()) next = planned.front();
        parsers::JsonWriter w;
        writeDossier(w, detail->summary, true, next);
        return Response::json(200, w.str() + "\n");
    });

    router.add("GET", "/api/v1/dossiers/{id}/events", [&ctx](Request& req) {
        auto who = apiPrincipal(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        const auto detail = services::dossierDetail(ctx, *who, std::stoll(req.params.at("id")));
        if (!detail) return apiNotFoundResponse();  // missing and foreign look the same
        parsers::JsonWriter w;
        w.beginObject().key("events").beginArray();
        for (const auto& e : detail->events) {
            w.beginObject();
            w.field("at", e.at);
            w.field("kind", e.kind);
            w.field("channel", e.channel);
            w.field("summary", e.summary);
            w.endObject();
        }
        w.endArray().endObject();
        return Response::json(200, w.str() + "\n");
    });
}

}  // namespace duegate::portal
