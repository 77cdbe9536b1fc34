// POST /hooks/twilio/status and /hooks/twilio/inbound: Twilio's webhooks (INTERFACES.md).
// Every request must carry a valid X-Twilio-Signature over {base_url}{path} and all its form
// parameters, with the [twilio] auth_token: 403 otherwise (also when no token is configured).
// 204 once applied; the service decides what the callback means (SmsHookService.h).
#include "channels/TwilioSignature.h"
#include "gateway/services/SmsHookService.h"
#include "portal/Routes.h"

#include <Poco/Logger.h>

#include <functional>

namespace duegate::portal {
namespace {

// Every name=value pair of a form body, repeated names kept (the signature covers them all).
channels::TwilioParams formPairs(const std::string& body) {
    channels::TwilioParams out;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t amp = body.find('&', pos);
        if (amp == std::string::npos) amp = body.size();
        const std::string piece = body.substr(pos, amp - pos);
        if (!piece.empty()) {
            const auto eq = piece.find('=');
            const std::string name = piece.substr(0, eq);
            const std::string value = eq == std::string::npos ? "" : piece.substr(eq + 1);
            auto decode = [](const std::string& s) {
                auto m = parseUrlEncoded("x=" + s);
                return m.empty() ? std::string() : m.begin()->second;
            };
            out.emplace_back(decode(name), decode(value));
        }
        pos = amp + 1;
    }
    return out;
}

Response checked(services::Context& ctx, Request& req,
                 const std::function<void(const services::FormParams&)>& apply) {
    const std::string token = ctx.settings.twilioAuthToken;
    const auto pairs = formPairs(req.body);
    const std::string url = ctx.settings.baseUrl + req.path;
    if (token.empty() || !channels::verifyTwilioSignature(token, url, pairs, req.header("X-Twilio-Signature"))) {
        Poco::Logger::get("duegate.portal").warning("twilio webhook %s: bad or missing signature", req.path);
        return Response::text(403, "forbidden\n");
    }
    services::FormParams params;
    for (const auto& [k, v] : pairs) params[k] = v;
    apply(params);
    Response r;
    r.status = 204;
    r.contentType = "text/plain";
    return r;
}

}  // namespace

void addHookRoutes(Router& router, services::Context& ctx) {
    router.add("POST", "/hooks/twilio/status", [&ctx](Request& req) {
        return checked(ctx, req, [&](const services::FormParams& p) {
            const auto result = services::applyTwilioStatus(ctx, p);
            if (result == "unknown")
                Poco::Logger::get("duegate.portal").information("twilio status for an unknown message");
        });
    });
    router.add("POST", "/hooks/twilio/inbound", [&ctx](Request& req) {
        return checked(ctx, req, [&](const services::FormParams& p) {
            services::receiveInboundSms(ctx, p, req.body);
        });
    });
}

}  // namespace duegate::portal
