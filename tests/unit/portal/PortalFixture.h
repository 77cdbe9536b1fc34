// Test support for the portal suite: a PortalServer on port 0 against a fresh TestStore, two
// creditors with a dossier each, and a small HTTP client (Poco HTTPClientSession) on loopback.
#pragma once

#include "../../support/TestStores.h"

#include "gateway/services/AdminService.h"
#include "gateway/services/PayeeService.h"
#include "store/CreditorRepository.h"
#include "gateway/services/Context.h"
#include "gateway/services/LinkService.h"
#include "portal/PortalServer.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace duegate::testing {

struct Reply {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    std::string header(const std::string& name) const {
        for (const auto& [k, v] : headers)
            if (Poco::icompare(k, name) == 0) return v;
        return {};
    }
    std::vector<std::string> all(const std::string& name) const {
        std::vector<std::string> out;
        for (const auto& [k, v] : headers)
            if (Poco::icompare(k, name) == 0) out.push_back(v);
        return out;
    }
    // The value of cookie `name` from this reply's Set-Cookie headers ("" when not set).
    std::string setCookie(const std::string& name) const {
        for (const auto& v : all("Set-Cookie"))
            if (v.rfind(name + "=", 0) == 0) return v;
        return {};
    }
    std::string cookieValue(const std::string& name) const {
        const std::string c = setCookie(name);
        if (c.empty()) return {};
        const auto start = name.size() + 1;
        return c.substr(start, c.find(';') - start);
    }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

inline Reply http(unsigned short port, const std::string& method, const std::string& path, const Headers& headers = {},
                  const std::optional<std::string>& body = std::nullopt,
                  const std::string& contentType = "application/x-www-form-urlencoded") {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) req.add(k, v);
    if (body) {
        req.setContentType(contentType);
        req.setContentLength(static_cast<std::streamsize>(body->size()));
    }
    std::ostream& os = session.sendRequest(req);
    if (body) os << *body;
    Poco::Net::HTTPResponse resp;
    std::istream& is = session.receiveResponse(resp);
    Reply r;
    r.status = static_cast<int>(resp.getStatus());
    for (const auto& [k, v] : resp) r.headers.emplace_back(k, v);
    Poco::StreamCopier::copyToString(is, r.body);
    return r;
}

inline std::size_t countOf(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + needle.size())) ++n;
    return n;
}

// 2024-06-01T10:00:00Z
inline Poco::Timestamp june2024() { return Poco::Timestamp::fromEpochTime(1717236000); }

struct World {
    explicit World(TestStore& s, portal::PortalOptions opts = {}) {
        clock = std::make_shared<services::FixedClock>(june2024());
        ctx.db = s.db;
        ctx.blobs = std::make_shared<store::BlobStore>(s.dir + "/blobs");
        ctx.clock = clock;
        ctx.settings.linkSecret = "portal-test-link-secret-0123456789abcdef";
        ctx.settings.baseUrl = "http://127.0.0.1";
        services::CreditorInput ia{"Acme Tools BV", "intake-a@duegate.example", {}};
        ia.settings.email = "billing@acme.example";
        ia.settings.iban = "BE68539007547034";
        ia.settings.bic = "GKCCBEBB";
        a = services::addCreditor(ctx, ia);
        b = services::addCreditor(ctx, services::CreditorInput{"Bravo Secret Industries", "intake-b@duegate.example", {}});
        dossierA = addDossier(a.id, "Dora Debtor", "DG-A-1", "INV-A-1", 123450);
        dossierB = addDossier(b.id, "Zed Hidden Debtor", "DG-B-1", "INV-B-SECRET", 99900);
        opts.listen = "127.0.0.1:0";
        server = std::make_unique<portal::PortalServer>(ctx, opts);
        server->start();
        port = server->port();
    }
    ~World() { server->stop(); }

    std::int64_t addDossier(std::int64_t creditorId, const std::string& debtorName, const std::string& reference,
                            const std::string& invoiceNumber, std::int64_t amountMinor) {
        return ctx.db->transaction([&](store::Tx& tx) {
            store::DebtorRecord d;
            d.creditorId = creditorId;
            d.matchKey = "name:" + debtorName;
            d.name = debtorName;
            d.email = "debtor@" + std::to_string(creditorId) + ".example";
            const auto debtorId = store::dossiers::upsertDebtor(tx, d, ctx.now());
            store::DossierRecord r;
            r.creditorId = creditorId;
            r.debtorId = debtorId;
            r.reference = reference;
            r.status = "active";
            r.currency = "EUR";
            r.openMinor = amountMinor;
            r.ogm = "123456789002";
            r.createdAt = r.updatedAt = ctx.now();
            const auto payee = services::payeeFor(ctx, *store::creditors::byId(tx, creditorId), std::nullopt, *r.ogm);
            r.payeeName = payee.name;
            r.payeeIban = payee.iban;
            r.payeeBic = payee.bic;
            r.paymentReference = payee.reference;
            const auto id = store::dossiers::insertDossier(tx, r);
            store::InvoiceRecord inv;
            inv.creditorId = creditorId;
            inv.dossierId = id;
            inv.documentType = "Invoice";
            inv.number = invoiceNumber;
            inv.currency = "EUR";
            inv.amountMinor = amountMinor;
            inv.issueDate = "2024-05-01";
            inv.dueDate = "2024-05-31";
            store::dossiers::insertInvoice(tx, inv, ctx.now());
            store::events::append(tx, store::EventRecord{0, creditorId, id, ctx.now(), "invoice_received", "email",
                                                         "Invoice " + invoiceNumber + " received", std::nullopt});
            store::events::append(tx, store::EventRecord{0, creditorId, id, ctx.now(), "dossier_created", std::nullopt,
                                                         "Dossier " + reference + " created", std::nullopt});
            return id;
        });
    }

    std::string linkFor(std::int64_t creditorId, std::int64_t dossierId) {
        return ctx.db->transaction(
            [&](store::Tx& tx) { return services::createLink(ctx, tx, creditorId, dossierId).token; });
    }

    std::int64_t addUser(std::optional<std::int64_t> creditorId, const std::string& email, const std::string& name) {
        return services::addUser(ctx, {email, creditorId, name, kPassword});
    }

    // Logs in through the form (GET /login for the CSRF pair, then POST); returns the session cookie value.
    std::string loginAs(const std::string& email, const std::string& password = kPassword) {
        const Reply form = http(port, "GET", "/login");
        const std::string csrf = form.cookieValue("dg_login_csrf");
        const Reply r = http(port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + csrf}},
                             "email=" + email + "&password=" + password + "&csrf=" + csrf);
        return r.cookieValue("dg_session");
    }

    static inline const std::string kPassword = "correct-horse-battery";

    std::shared_ptr<services::FixedClock> clock;
    services::Context ctx;
    services::NewCreditor a{}, b{};
    std::int64_t dossierA = 0, dossierB = 0;
    std::unique_ptr<portal::PortalServer> server;
    unsigned short port = 0;
};

}  // namespace duegate::testing
