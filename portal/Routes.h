// Where each group of routes is registered; one file per audience:
//   HealthRoutes.cpp  GET /healthz
//   ApiRoutes.cpp     GET /api/v1/... (creditor API key, or a portal session)
//   DebtorRoutes.cpp  GET /d/{token}   (the debtor's personal link)
//   PortalRoutes.cpp  /login, /logout, /, /dossiers/{id}, /quarantine (creditor users and staff)
// Handlers capture the Context by reference: it outlives the server (PortalServer.h).
#pragma once

#include "gateway/services/Context.h"
#include "portal/PortalServer.h"
#include "portal/Router.h"

namespace duegate::portal {

void addHealthRoutes(Router& router, services::Context& ctx);
void addApiRoutes(Router& router, services::Context& ctx);
// PaymentApiRoutes.cpp: POST /api/v1/statements, /api/v1/invoices, /api/v1/payments...
void addPaymentApiRoutes(Router& router, services::Context& ctx);
void addDebtorRoutes(Router& router, services::Context& ctx);
void addHookRoutes(Router& router, services::Context& ctx);  // HookRoutes.cpp: /hooks/twilio/*
void addPortalRoutes(Router& router, services::Context& ctx, const PortalOptions& opts);
// FinanceRoutes.cpp: /payments, /payments/{id}[/confirm|/match|/mark|/undo], /payments/upload
void addFinanceRoutes(Router& router, services::Context& ctx, const PortalOptions& opts);
// StaffRoutes.cpp: staff decisions on a dossier (assign, refuse a plan, write, close), /admin, /account.
void addStaffRoutes(Router& router, services::Context& ctx);

// The HTML 404 every unknown path, foreign id and bad link gets: it names nothing.
Response notFoundResponse();
// The JSON 404 of the API: the same body for a missing path, a missing id and another's id.
Response apiNotFoundResponse();

}  // namespace duegate::portal
