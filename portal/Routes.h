// Where each group of routes is registered; one file per audience:
//   HealthRoutes.cpp  GET /healthz
//   ApiRoutes.cpp     GET /api/v1/... (creditor API key, or a portal session)
//   DebtorRoutes.cpp  GET /d/{token}   (the debtor's personal link)
//   PortalRoutes.cpp  /login, /logout, /, /dossiers/{id}, /quarantine (creditor users and staff)
// Handlers capture the Context by reference: it outlives the server (PortalServer.h).
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/AuthService.h"
#include "portal/Html.h"
#include "portal/PortalServer.h"
#include "portal/Router.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::portal {

void addHealthRoutes(Router& router, services::Context& ctx);
void addApiRoutes(Router& router, services::Context& ctx);
// PaymentApiRoutes.cpp: POST /api/v1/statements, /api/v1/invoices, /api/v1/payments...
void addPaymentApiRoutes(Router& router, services::Context& ctx);
void addDebtorRoutes(Router& router, services::Context& ctx);
void addHookRoutes(Router& router, services::Context& ctx);  // HookRoutes.cpp: /hooks/twilio/*
void addPortalRoutes(Router& router, services::Context& ctx, const PortalOptions& opts);
// CreditorRoutes.cpp: the creditor's tools (new dossier, upload, reports, notifications, webhooks).
void addCreditorRoutes(Router& router, services::Context& ctx);
// FinanceRoutes.cpp: /payments, /payments/{id}[/confirm|/match|/mark|/undo], /payments/upload
void addFinanceRoutes(Router& router, services::Context& ctx, const PortalOptions& opts);
// StaffRoutes.cpp: staff decisions on a dossier (assign, refuse a plan, write, close), /admin, /account.
void addStaffRoutes(Router& router, services::Context& ctx);

// A typed amount, "12,50" or "12.50" (spaces ignored), in minor units of `currency`; std::nullopt
// when it is not an amount (FinanceRoutes.cpp).
std::optional<std::int64_t> parseAmount(std::string text, const std::string& currency);
// The HTML 404 every unknown path, foreign id and bad link gets: it names nothing.
Response notFoundResponse();
// The same 404 in the request's language (?lang=, the dg_lang cookie, Accept-Language).
Response notFoundResponse(const Request& req);
// SecurityRoutes.cpp: /login/totp, /password/forgot, /password/reset, /security (sessions, log out
// everywhere, TOTP enrolment).
void addSecurityRoutes(Router& router, services::Context& ctx, const PortalOptions& opts);
// Shared by the route files (PortalRoutes.cpp): the request's portal language, the page frame of a
// session, and the ?lang= choice remembered in a cookie on the response.
std::string requestLanguage(const Request& req);
Layout sessionLayout(const services::ActiveSession& s, const Request& req);
Response rememberLanguage(const Request& req, Response r, bool secure);
// The 403 page in the request's language, with the catalog text `textKey`.
Response forbiddenPage(const Request& req, const char* textKey = "forbidden_text");
// SecurityRoutes.cpp: the answer to a login that was not simply wrong (session cookie and 303,
// second step, 429 or 503 with Retry-After), and the login page's notice (?done=reset|everywhere).
Response loginOutcomeResponse(const Request& req, const services::LoginResult& result, bool secure);
std::string loginNotice(const Request& req, const std::string& lang);
// The JSON 404 of the API: the same body for a missing path, a missing id and another's id.
Response apiNotFoundResponse();

}  // namespace duegate::portal
