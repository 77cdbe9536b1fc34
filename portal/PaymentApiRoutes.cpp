// The payments API (INTERFACES.md; keep the shapes exact), on gateway/services/payments and the
// file intake:
//   POST /api/v1/statements, POST /api/v1/invoices   the file as the body; 200 with the JSON line of
//        `duegate import`; 422 {"error"} with the located error for a file rejected as a whole.
//        Staff (a session) may name the creditor of invoices with ?creditor=ID.
//   GET  /api/v1/payments?state=matched|suggested|unmatched[&after=ID]
//   GET  /api/v1/payments/{id}
//   POST /api/v1/payments/{id}/match    {"dossiers": [{"id", "amount"}]}; 409 when it would apply
//        more than the line or a dossier's open amount
//   POST /api/v1/payments/{id}/confirm  {"dossier"}     (additions for the finance queue)
//   POST /api/v1/payments/{id}/mark     {"mark": "not_ours|refund|bank_costs", "reason"}
//   POST /api/v1/payments/{id}/undo     {"reason"}
// Writes take the API key, or a portal session plus its CSRF token in X-CSRF-Token (a cookie alone
// never writes). Another creditor's payment or dossier is 404, like a missing one.
#include "portal/Routes.h"

#include "gateway/core/Money.h"
#include "gateway/services/FileIntake.h"
#include "gateway/services/payments/PaymentService.h"
#include "parsers/common/JsonWriter.h"
#include "portal/Session.h"

#include <Poco/JSON/Parser.h>

#include <charconv>

namespace duegate::portal {
namespace {

namespace pay = services::payments;

Response jsonError(int status, const std::string& message) {
    parsers::JsonWriter w;
    w.beginObject().field("error", message).endObject();
    Response r = Response::json(status, w.str() + "\n");
    if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"duegate\"");
    return r;
}

std::optional<services::Principal> writer(services::Context& ctx, const Request& req) {
    if (!req.header("Authorization").empty()) return apiPrincipal(ctx, req);
    auto s = currentSession(ctx, req);
    if (!s || !csrfMatches(s->csrfToken, req.header("X-CSRF-Token"))) return std::nullopt;
    return s->principal;
}

std::optional<std::int64_t> parseId(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::string decimal(std::int64_t minor, const std::string& currency) { return core::Money(minor, currency).toDecimal(); }

void writePayment(parsers::JsonWriter& w, const pay::QueueItem& it) {
    const auto& l = it.line;
    // The amount in the line's own exponent (a CODA 3-decimal amount keeps its decimals).
    const std::string amount = pay::lineDecimal(l);
    w.beginObject();
    w.field("id", l.id);
    w.field("booking_date", l.bookingDate);
    w.field("amount", amount);
    w.field("currency", l.currency);
    w.key("counterparty").beginObject();
    w.field("name", l.counterpartyName);
    w.field("iban", l.counterpartyIban);
    w.endObject();
    w.field("reference", l.reference);
    w.field("remittance", l.remittance);
    const std::string state = it.state == "review" || it.state == "new" ? "unmatched" : it.state;
    w.field("state", state);
    w.key("dossiers").beginArray();
    for (const auto& d : it.dossiers) {
        w.beginObject();
        w.field("id", d.dossierId);
        w.field("amount", decimal(d.amountMinor, l.currency));
        w.endObject();
    }
    w.endArray();
    w.key("suggestions").beginArray();
    for (const auto& s : it.suggestions) {
        w.beginObject();
        w.field("dossier", s.dossierId);
        w.field("score", static_cast<std::int64_t>(s.score));
        w.field("reason", s.reason);
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

Response paymentResponse(services::Context& ctx, const services::Principal& who, std::int64_t id) {
    auto it = pay::payment(ctx, who, id);
    if (!it) return apiNotFoundResponse();
    parsers::JsonWriter w;
    writePayment(w, *it);
    return Response::json(200, w.str() + "\n");
}

Poco::JSON::Object::Ptr jsonBody(const Request& req) {
    try {
        Poco::JSON::Parser p;
        auto v = p.parse(req.body);
        auto o = v.extract<Poco::JSON::Object::Ptr>();
        if (!o) throw services::InputError("expected a JSON object");
        return o;
    } catch (const Poco::Exception& e) {
        throw services::InputError("the body is not a JSON object: " + e.displayText());
    }
}

// Runs a write action and maps the services' exceptions to statuses.
template <class F>
Response guarded(F&& f) {
    try {
        return f();
    } catch (const services::NotFound&) {
        return apiNotFoundResponse();
    } catch (const pay::Conflict& e) {
        return jsonError(409, e.what());
    } catch (const services::InputError& e) {
        return jsonError(400, e.what());
    } catch (const Poco::Exception& e) {
        return jsonError(400, e.displayText());
    }
}

Response importResponse(services::Context& ctx, Request& req, bool statements) {
    auto who = writer(ctx, req);
    if (!who) return jsonError(401, "unauthorized");
    if (req.body.empty()) return jsonError(400, "send the file as the request body");
    const bool isStatement = pay::sniffStatement(std::string_view(req.body).substr(0, 1 << 20));
    if (statements && !isStatement)
        return jsonError(422, "not a bank statement (CODA, CAMT.053/054, MT940 or a zip of them)");
    if (!statements && isStatement) return jsonError(422, "a bank statement: send it to /api/v1/statements");
    std::optional<std::int64_t> creditor = who->creditorId;
    if (!creditor && !statements) {
        auto it = req.query.find("creditor");
        if (it == req.query.end() || !parseId(it->second))
            return jsonError(400, "creditor: staff name the creditor of the invoices with ?creditor=ID");
        creditor = parseId(it->second);
    }
    std::string name = req.header("X-Filename");
    if (name.empty()) name = statements ? "statement" : "invoices";
    const auto out = services::importFile(ctx, creditor, who->staff() ? "portal" : "api", name, req.body);
    if (out.quarantined) return jsonError(422, out.error);
    return Response::json(200, out.json + "\n");
}

}  // namespace

void addPaymentApiRoutes(Router& router, services::Context& ctx) {
    router.add("POST", "/api/v1/statements", [&ctx](Request& req) {
        return guarded([&] { return importResponse(ctx, req, true); });
    });
    router.add("POST", "/api/v1/invoices", [&ctx](Request& req) {
        return guarded([&] { return importResponse(ctx, req, false); });
    });

    router.add("GET", "/api/v1/payments", [&ctx](Request& req) {
        auto who = apiPrincipal(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        std::vector<std::string> states;
        if (auto it = req.query.find("state"); it != req.query.end() && !it->second.empty()) {
            if (it->second != "matched" && it->second != "suggested" && it->second != "unmatched")
                return jsonError(400, "state: expected matched, suggested or unmatched");
            states.push_back(it->second);
        }
        std::int64_t after = 0;
        if (auto it = req.query.find("after"); it != req.query.end()) {
            auto v = parseId(it->second);
            if (!v) return jsonError(400, "after: expected a payment id");
            after = *v;
        }
        parsers::JsonWriter w;
        w.beginObject().key("payments").beginArray();
        for (const auto& it : pay::listPayments(ctx, *who, states, 500, after)) writePayment(w, it);
        w.endArray().endObject();
        return Response::json(200, w.str() + "\n");
    });

    router.add("GET", "/api/v1/payments/{id}", [&ctx](Request& req) {
        auto who = apiPrincipal(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        auto id = parseId(req.params.at("id"));
        if (!id) return apiNotFoundResponse();
        return paymentResponse(ctx, *who, *id);
    });

    router.add("POST", "/api/v1/payments/{id}/match", [&ctx](Request& req) {
        auto who = writer(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        auto id = parseId(req.params.at("id"));
        if (!id) return apiNotFoundResponse();
        return guarded([&] {
            auto body = jsonBody(req);
            auto arr = body->getArray("dossiers");
            if (!arr) throw services::InputError("dossiers: expected an array of {\"id\", \"amount\"}");
            auto line = pay::payment(ctx, *who, *id);
            if (!line) throw services::NotFound("no payment");
            std::vector<pay::ManualAllocation> split;
            for (std::size_t i = 0; i < arr->size(); ++i) {
                auto o = arr->getObject(static_cast<unsigned>(i));
                if (!o || !o->has("id") || !o->has("amount"))
                    throw services::InputError("dossiers: every item needs \"id\" and \"amount\"");
                const auto amountText = o->get("amount").toString();
                auto money = core::Money::parse(amountText, line->line.currency);
                if (!money) throw services::InputError("amount: expected a decimal such as \"12.50\", got " + amountText);
                split.push_back(pay::ManualAllocation{o->getValue<Poco::Int64>("id"), money->minor()});
            }
            pay::matchByHand(ctx, *who, *id, split);
            return paymentResponse(ctx, *who, *id);
        });
    });

    router.add("POST", "/api/v1/payments/{id}/confirm", [&ctx](Request& req) {
        auto who = writer(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        auto id = parseId(req.params.at("id"));
        if (!id) return apiNotFoundResponse();
        return guarded([&] {
            auto body = jsonBody(req);
            if (!body->has("dossier")) throw services::InputError("dossier: give the suggested dossier's id");
            pay::confirmSuggestion(ctx, *who, *id, body->getValue<Poco::Int64>("dossier"));
            return paymentResponse(ctx, *who, *id);
        });
    });

    router.add("POST", "/api/v1/payments/{id}/mark", [&ctx](Request& req) {
        auto who = writer(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        auto id = parseId(req.params.at("id"));
        if (!id) return apiNotFoundResponse();
        return guarded([&] {
            auto body = jsonBody(req);
            pay::markLine(ctx, *who, *id, body->optValue<std::string>("mark", ""),
                          body->optValue<std::string>("reason", ""));
            return paymentResponse(ctx, *who, *id);
        });
    });

    router.add("POST", "/api/v1/payments/{id}/undo", [&ctx](Request& req) {
        auto who = writer(ctx, req);
        if (!who) return jsonError(401, "unauthorized");
        auto id = parseId(req.params.at("id"));
        if (!id) return apiNotFoundResponse();
        return guarded([&] {
            auto body = jsonBody(req);
            pay::undoLine(ctx, *who, *id, body->optValue<std::string>("reason", ""));
            return paymentResponse(ctx, *who, *id);
        });
    });
}

}  // namespace duegate::portal
