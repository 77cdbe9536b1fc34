// Issue 14 item 2, the creditor's tools: new dossier by form, bulk upload with per-row errors and
// the template, reports as CSV/XLSX, notification settings and the notification job, outbound
// webhooks (signature, outbox channel, retries, deliveries page). On SQLite and PostgreSQL.
#include "PortalFixture.h"

#include "channels/WebhookChannel.h"
#include "gateway/services/ChannelFollowUp.h"
#include "gateway/services/NotificationService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/ReportService.h"
#include "gateway/services/WebhookService.h"
#include "parsers/invoice/BulkTemplate.h"
#include "store/CreditorPortalRepository.h"
#include "store/OutboxRepository.h"

#include <fstream>
#include <sstream>

using namespace duegate;
using namespace duegate::testing;

namespace {

std::string csrfOf(const std::string& body) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return body.substr(start, body.find('"', start) - start);
}

struct Part {
    std::string name, value, filename;
};
const std::string kBoundary = "----duegate-test-boundary-7MA4YWxk";
std::string multipart(const std::vector<Part>& parts) {
    std::string b;
    for (const auto& p : parts) {
        b += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (!p.filename.empty()) b += "; filename=\"" + p.filename + "\"\r\nContent-Type: application/octet-stream";
        b += "\r\n\r\n" + p.value + "\r\n";
    }
    return b + "--" + kBoundary + "--\r\n";
}
const std::string kMultipart = "multipart/form-data; boundary=" + kBoundary;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct Alice {
    World& w;
    Headers cookie;
    std::string csrf;
    std::int64_t userId = 0;
    explicit Alice(World& world) : w(world) {
        userId = w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        cookie = {{"Cookie", "dg_session=" + w.loginAs("alice@acme.example")}};
        csrf = csrfOf(http(w.port, "GET", "/creditor", cookie).body);
    }
    services::Principal principal() const {
        return services::Principal{w.a.id, userId, "Alice Acme"};
    }
};

std::int64_t count(World& w, const std::string& sql, const std::vector<store::Value>& params = {}) {
    return w.ctx.db->transaction([&](store::Tx& tx) { return tx.queryOne(sql, params)->integer(0); });
}

// A webhook channel that answers from a script of statuses and records what it was asked to send.
struct ScriptedWebhook : channels::WebhookChannel {
    ScriptedWebhook() : channels::WebhookChannel({}) {}
    std::vector<long> statuses;
    std::vector<channels::OutboundWebhook> sent;
    channels::DeliveryResult send(const channels::OutboundWebhook& hook, long& status) override {
        sent.push_back(hook);
        status = statuses.empty() ? 200 : statuses.front();
        if (!statuses.empty()) statuses.erase(statuses.begin());
        if (status >= 500) return channels::Retry{"HTTP " + std::to_string(status), 0};
        return channels::Delivered{"HTTP " + std::to_string(status)};
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(creditor_portal)

BOOST_AUTO_TEST_CASE(a_dossier_by_form_takes_the_invoice_road_and_shows_errors_by_field) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        // Bad input: each field says what is wrong; nothing is created.
        const Reply bad = http(w.port, "POST", "/dossiers/new", alice.cookie,
                               multipart({{"csrf", alice.csrf}, {"debtor_name", ""}, {"email", "not-an-email"},
                                          {"invoice_number", "F-77"}, {"amount", "abc"}, {"terms", "hello", "t.pdf"}}),
                               kMultipart);
        BOOST_TEST(bad.status == 422);
        BOOST_TEST(bad.body.find("id=\"debtor_name-error\"") != std::string::npos);
        BOOST_TEST(bad.body.find("id=\"email-error\"") != std::string::npos);
        BOOST_TEST(bad.body.find("id=\"amount-error\"") != std::string::npos);
        BOOST_TEST(bad.body.find("This file is not a PDF.") != std::string::npos);
        BOOST_TEST(bad.body.find("value=\"F-77\"") != std::string::npos);  // typed values kept
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM dossiers WHERE creditor_id = $1", {w.a.id}) == 1);

        // Without CSRF: 403, nothing created.
        BOOST_TEST(http(w.port, "POST", "/dossiers/new", alice.cookie,
                        multipart({{"debtor_name", "X"}, {"invoice_number", "F-1"}, {"amount", "1"}}), kMultipart)
                       .status == 403);

        // A good form: dossier, invoice, notice to the debtor, terms document, earlier reminders.
        const auto form = multipart({{"csrf", alice.csrf}, {"debtor_name", "Gert Goodpayer"},
                                     {"email", "gert@good.example"}, {"phone", "0470 12 34 56"}, {"country", "BE"},
                                     {"invoice_number", "F-2024-77"}, {"amount", "250,40"}, {"issue_date", "2024-05-02"},
                                     {"due_date", "2024-05-20"}, {"reminder_1", "2024-05-25"},
                                     {"pdf", kPdf, "invoice.pdf"}, {"terms", kPdf + "terms", "terms.pdf"}});
        const Reply ok = http(w.port, "POST", "/dossiers/new", alice.cookie, form, kMultipart);
        BOOST_TEST_REQUIRE(ok.status == 303);
        const std::string where = ok.header("Location");
        BOOST_TEST(where.find("?ok=created") != std::string::npos);
        const Reply page = http(w.port, "GET", where, alice.cookie);
        BOOST_TEST(page.status == 200);
        BOOST_TEST(page.body.find("The dossier is created.") != std::string::npos);
        BOOST_TEST(page.body.find("F-2024-77") != std::string::npos);
        BOOST_TEST(page.body.find("terms.pdf") != std::string::npos);
        BOOST_TEST(page.body.find("2024-05-25") != std::string::npos);
        const auto dossierId = std::stoll(where.substr(std::string("/dossiers/").size()));
        BOOST_TEST(count(w, "SELECT open_minor FROM dossiers WHERE id = $1", {dossierId}) == 25040);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE dossier_id = $1 AND purpose = 'payment_notice' "
                            "AND recipient = 'gert@good.example'",
                         {dossierId}) == 1);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM events WHERE dossier_id = $1 AND kind = 'earlier_reminder'", {dossierId}) == 1);
        // The debtor's invoice copy is the PDF given.
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM invoices i JOIN documents d ON d.id = i.rendering_document_id "
                            "WHERE i.dossier_id = $1 AND d.content_type = 'application/pdf'",
                         {dossierId}) == 1);

        // The same invoice number again: the dedupe rule of every door.
        const Reply again = http(w.port, "POST", "/dossiers/new", alice.cookie, form, kMultipart);
        BOOST_TEST(again.status == 422);
        BOOST_TEST(again.body.find("This invoice number is known already") != std::string::npos);

        // A Peppol UBL: the same road as a mailed invoice (payee fixed and trusted: the IBAN is A's).
        const std::string ubl = readFile(std::string(DUEGATE_SOURCE_DIR) + "/fixtures/intake/peppol-invoice-F2026-0042.xml");
        const Reply viaUbl = http(w.port, "POST", "/dossiers/new", alice.cookie,
                                  multipart({{"csrf", alice.csrf}, {"ubl", ubl, "F2026-0042.xml"}}), kMultipart);
        BOOST_TEST(viaUbl.status == 303);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM invoices WHERE creditor_id = $1 AND number = 'F2026-0042'", {w.a.id}) == 1);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM invoices WHERE creditor_id = $1 AND number = 'F2026-0042'", {w.b.id}) == 0);
        // Not a UBL in the UBL field.
        const Reply notUbl = http(w.port, "POST", "/dossiers/new", alice.cookie,
                                  multipart({{"csrf", alice.csrf}, {"ubl", kPdf, "x.xml"}}), kMultipart);
        BOOST_TEST(notUbl.status == 422);
        BOOST_TEST(notUbl.body.find("not a Peppol UBL invoice") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(bulk_upload_imports_good_rows_and_lists_each_bad_row_and_the_template_reads_back) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        const std::string csv =
            "debtor_name;debtor_email;language;invoice_number;issue_date;due_date;amount;currency\n"
            "Good Row BV;good@row.example;NL;BULK-1;2024-04-01;2024-05-01;100,00;EUR\n"
            "Bad Amount BV;bad@row.example;NL;BULK-2;2024-04-01;2024-05-01;abc;EUR\n"
            "Bad Date BV;date@row.example;NL;BULK-3;2024-13-45;;10,00;EUR\n";
        const Reply r = http(w.port, "POST", "/upload", alice.cookie,
                             multipart({{"csrf", alice.csrf}, {"file", csv, "invoices.csv"}}), kMultipart);
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body.find("1 dossiers created") != std::string::npos);
        BOOST_TEST(r.body.find("data-label=\"Row\">3</td><td data-label=\"Column\">amount") != std::string::npos);
        BOOST_TEST(r.body.find("data-label=\"Row\">4</td><td data-label=\"Column\">issue_date") != std::string::npos);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM invoices WHERE creditor_id = $1 AND number = 'BULK-1'", {w.a.id}) == 1);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM invoices WHERE number IN ('BULK-2', 'BULK-3')") == 0);
        // A file that is no invoice file: nothing imported, said so.
        const Reply junk = http(w.port, "POST", "/upload", alice.cookie,
                                multipart({{"csrf", alice.csrf}, {"file", "just words", "x.txt"}}), kMultipart);
        BOOST_TEST(junk.status == 422);
        BOOST_TEST(junk.body.find("Nothing was imported") != std::string::npos);

        // The template, both forms, reads back with the template parser: header found, example row good.
        const Reply csvT = http(w.port, "GET", "/upload/template.csv", alice.cookie);
        BOOST_TEST(csvT.status == 200);
        BOOST_TEST(csvT.header("Content-Disposition").find("duegate-invoice-template.csv") != std::string::npos);
        auto parsedCsv = parsers::invoice::parseBulkCsv(csvT.body);
        BOOST_TEST_REQUIRE(parsedCsv.ok());
        BOOST_TEST(parsedCsv->rows.size() == 1u);
        BOOST_TEST(parsedCsv->errors.empty());
        for (const auto& e : parsedCsv->errors) BOOST_TEST_MESSAGE("csv template: " << e.row << " " << e.column << " " << e.message);
        const Reply xlsxT = http(w.port, "GET", "/upload/template.xlsx", alice.cookie);
        BOOST_TEST(xlsxT.status == 200);
        BOOST_TEST(xlsxT.body.substr(0, 2) == "PK");
        auto parsedXlsx = parsers::invoice::parseBulkXlsx(xlsxT.body);
        BOOST_TEST_REQUIRE(parsedXlsx.ok());
        BOOST_TEST(parsedXlsx->rows.size() == 1u);
        BOOST_TEST(parsedXlsx->errors.empty());
        if (!parsedXlsx->rows.empty()) BOOST_TEST(parsedXlsx->rows[0].amountMinor == 123450);
    });
}

BOOST_AUTO_TEST_CASE(reports_hold_the_creditors_own_data_as_csv_and_xlsx) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        const Reply csv = http(w.port, "GET", "/reports/download?report=dossiers&from=2024-01-01&to=2024-12-31&format=csv",
                               alice.cookie);
        BOOST_TEST(csv.status == 200);
        BOOST_TEST(csv.header("Content-Type").find("text/csv") == 0u);
        BOOST_TEST(csv.body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(csv.body.find("1234.50") != std::string::npos);
        BOOST_TEST(csv.body.find("DG-B-1") == std::string::npos);
        BOOST_TEST(csv.body.find("Zed Hidden") == std::string::npos);
        // Outside the period: the header only.
        const Reply empty = http(w.port, "GET", "/reports/download?report=dossiers&from=2023-01-01&to=2023-12-31&format=csv",
                                 alice.cookie);
        BOOST_TEST(empty.body.find("DG-A-1") == std::string::npos);
        for (const std::string report : {"dossiers", "payments", "payouts", "kpis"}) {
            const Reply x = http(w.port, "GET", "/reports/download?report=" + report + "&from=2024-01-01&to=2024-12-31&format=xlsx",
                                 alice.cookie);
            BOOST_TEST(x.status == 200, report);
            BOOST_TEST(x.body.substr(0, 2) == "PK", report);
            BOOST_TEST(x.header("Content-Type").find("spreadsheetml") != std::string::npos, report);
        }
        const Reply kpi = http(w.port, "GET", "/reports/download?report=kpis&from=2024-01-01&to=2024-12-31&format=csv",
                               alice.cookie);
        BOOST_TEST(kpi.body.find("2024-01-01;2024-12-31;EUR;1;1234.50;0.00") != std::string::npos);
        const Reply bad = http(w.port, "GET", "/reports/download?report=dossiers&from=2024-13-01&to=2024-12-31&format=csv",
                               alice.cookie);
        BOOST_TEST(bad.status == 422);
        BOOST_TEST(bad.body.find("Check the field: from") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(notification_settings_are_honoured_by_the_job_immediately_daily_or_never) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        const Reply saved = http(w.port, "POST", "/notifications", alice.cookie,
                                 "csrf=" + alice.csrf + "&payment=digest&dispute=never&reply=immediate");
        BOOST_TEST(saved.status == 303);
        BOOST_TEST(saved.header("Location") == "/notifications?ok=1");
        const Reply page = http(w.port, "GET", "/notifications?ok=1", alice.cookie);
        BOOST_TEST(page.body.find("<option value=\"digest\" selected>") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", "/notifications", alice.cookie, "csrf=" + alice.csrf + "&payment=sometimes").status == 422);
        BOOST_TEST(http(w.port, "POST", "/notifications", alice.cookie, "payment=never").status == 403);

        w.ctx.db->transaction([&](store::Tx& tx) {
            for (const char* kind : {"payment_matched", "dispute_opened", "reply_received"})
                store::events::append(tx, store::EventRecord{0, w.a.id, w.dossierA, w.ctx.now(), kind, std::nullopt,
                                                             std::string("something: ") + kind, std::nullopt});
            // B's event never reaches A's user.
            store::events::append(tx, store::EventRecord{0, w.b.id, w.dossierB, w.ctx.now(), "reply_received",
                                                         std::nullopt, "B secret reply", std::nullopt});
        });
        const auto stats = services::notifyPass(w.ctx);
        BOOST_TEST(stats.immediate == 1u);
        BOOST_TEST(stats.digested == 1u);
        BOOST_TEST(services::notifyPass(w.ctx).immediate == 0u);  // a second pass adds nothing
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE recipient = 'alice@acme.example' AND "
                            "purpose = 'creditor_notification' AND subject = 'A debtor replied'") == 1);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE body LIKE '%B secret reply%'") == 0);
        // A mail to a creditor user is no reminder: no reply address, no channel fallback.
        BOOST_TEST(!services::isDebtorMessage("creditor_notification"));
        BOOST_TEST(!services::isDebtorMessage("creditor_digest"));
        BOOST_TEST(!services::isDebtorMessage("webhook"));
        BOOST_TEST(services::sendDigests(w.ctx, "2024-06-01") == 1u);
        BOOST_TEST(services::sendDigests(w.ctx, "2024-06-01") == 0u);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE recipient = 'alice@acme.example' AND "
                            "purpose = 'creditor_digest' AND body LIKE '%something: payment_matched%' AND "
                            "body NOT LIKE '%dispute_opened%'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(notification_and_digest_mails_speak_the_language_the_user_chose) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        // English until chosen; the page offers the three languages.
        BOOST_TEST(http(w.port, "GET", "/notifications", alice.cookie).body.find("<option value=\"en\" selected>") !=
                   std::string::npos);
        BOOST_TEST(http(w.port, "POST", "/notifications", alice.cookie, "csrf=" + alice.csrf + "&mail_language=de").status ==
                   422);
        BOOST_TEST(http(w.port, "POST", "/notifications", alice.cookie,
                        "csrf=" + alice.csrf + "&payment=immediate&reply=digest&mail_language=fr")
                       .status == 303);
        BOOST_TEST(http(w.port, "GET", "/notifications", alice.cookie).body.find("<option value=\"fr\" selected>") !=
                   std::string::npos);
        // A disabled user gets nothing.
        const auto carl = w.addUser(w.a.id, "carl@acme.example", "Carl Acme");
        w.ctx.db->transaction([&](store::Tx& tx) {
            tx.exec("UPDATE users SET disabled_at = $2 WHERE id = $1", {carl, w.ctx.now()});
            store::events::append(tx, store::EventRecord{0, w.a.id, w.dossierA, w.ctx.now(), "payment_matched",
                                                         std::nullopt, "Payment of EUR 10.00 matched", std::nullopt});
            store::events::append(tx, store::EventRecord{0, w.a.id, w.dossierA, w.ctx.now(), "reply_received",
                                                         std::nullopt, "Reply from the debtor", std::nullopt});
        });
        BOOST_TEST(services::notifyPass(w.ctx).immediate == 1u);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE recipient = 'alice@acme.example' AND "
                            "purpose = 'creditor_notification' AND subject = 'Paiement reçu' AND "
                            "body LIKE 'Bonjour Alice Acme,%' AND body LIKE '%Payment of EUR 10.00 matched%' AND "
                            "body LIKE '%Dossier DG-A-1 : http://127.0.0.1/dossiers/%'") == 1);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE recipient = 'carl@acme.example'") == 0);
        BOOST_TEST(services::sendDigests(w.ctx, "2024-06-01") == 1u);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'creditor_digest' AND "
                            "subject = 'Votre résumé quotidien (2024-06-01)' AND "
                            "body LIKE '%- [réponse] Reply from the debtor%'") == 1);
        // In Dutch after a change.
        BOOST_TEST(http(w.port, "POST", "/notifications", alice.cookie, "csrf=" + alice.csrf + "&mail_language=nl").status ==
                   303);
        w.ctx.db->transaction([&](store::Tx& tx) {
            store::events::append(tx, store::EventRecord{0, w.a.id, w.dossierA, w.ctx.now(), "payment_matched",
                                                         std::nullopt, "Second payment", std::nullopt});
        });
        BOOST_TEST(services::notifyPass(w.ctx).immediate == 1u);
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE subject = 'Betaling ontvangen' AND "
                            "body LIKE 'Hallo Alice Acme,%Second payment%'") == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_webhook_to_a_private_or_local_address_is_refused_unless_allowed) {
    channels::WebhookChannel strict({});
    long status = 0;
    for (const std::string url : {"http://127.0.0.1:9/x", "http://10.1.2.3:9/x", "http://[::1]:9/x", "http://localhost:9/x"}) {
        const auto r = strict.send(channels::OutboundWebhook{url, "s", "{}", "dossier.paid", "1", 0}, status);
        BOOST_TEST_REQUIRE(channels::isFailed(r), url);
        BOOST_TEST(std::get<channels::Failed>(r).reason.find("private or local address") != std::string::npos, url);
    }
    channels::WebhookOptions open;
    open.allowPrivateAddresses = true;
    open.connectTimeoutSeconds = 2;
    channels::WebhookChannel lenient(open);
    // Port 9 (discard) is closed on loopback: a connection error, retried, not refused as private.
    BOOST_TEST(channels::isRetry(lenient.send(channels::OutboundWebhook{"http://127.0.0.1:9/x", "s", "{}", "e", "1", 0}, status)));
}

BOOST_AUTO_TEST_CASE(webhooks_are_signed_queued_once_per_event_retried_and_visible) {
    // The signature: hex HMAC-SHA256 over "<t>.<body>" (checked against Python's hmac module).
    BOOST_TEST(channels::webhookSignature("whsec_test", 1700000000, "{\"a\":1}") ==
               "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    forEachBackend([](TestStore& s) {
        World w(s);
        Alice alice(w);
        const Reply bad = http(w.port, "POST", "/webhooks", alice.cookie, "csrf=" + alice.csrf + "&url=ftp://x&event_paid=1");
        BOOST_TEST(bad.status == 422);
        const Reply made = http(w.port, "POST", "/webhooks", alice.cookie,
                                "csrf=" + alice.csrf + "&url=http://127.0.0.1:9/hook&event_paid=1&event_dispute=1");
        BOOST_TEST(made.status == 200);
        const auto p = made.body.find("whsec_");
        BOOST_TEST_REQUIRE(p != std::string::npos);
        const std::string secret = made.body.substr(p, 6 + 48);
        // Shown once: the list does not show it again.
        BOOST_TEST(http(w.port, "GET", "/webhooks", alice.cookie).body.find(secret) == std::string::npos);

        w.clock->advanceSeconds(10);
        w.ctx.db->transaction([&](store::Tx& tx) {
            for (const char* kind : {"dossier_paid", "promise_recorded"})  // promise not chosen
                store::events::append(tx, store::EventRecord{0, w.a.id, w.dossierA, w.ctx.now(), kind, std::nullopt,
                                                             std::string("ev ") + kind, std::nullopt});
            store::events::append(tx, store::EventRecord{0, w.b.id, w.dossierB, w.ctx.now(), "dossier_paid", std::nullopt,
                                                         "B paid", std::nullopt});
        });
        BOOST_TEST(services::queueWebhooks(w.ctx) == 1u);
        BOOST_TEST(services::queueWebhooks(w.ctx) == 0u);  // read again: still one delivery
        BOOST_TEST(count(w, "SELECT COUNT(*) FROM outbound_messages WHERE channel = 'webhook'") == 1);

        ScriptedWebhook hook;
        hook.statuses = {500, 200};
        services::ChannelSet set;
        set.webhook = &hook;
        services::DispatchPolicy policy;
        policy.initialBackoffS = 1;
        BOOST_TEST(services::dispatchDue(w.ctx, set, policy).retried == 1u);
        w.clock->advanceSeconds(5);
        BOOST_TEST(services::dispatchDue(w.ctx, set, policy).sent == 1u);
        w.clock->advanceSeconds(60);
        BOOST_TEST(services::dispatchDue(w.ctx, set, policy).sent == 0u);
        BOOST_TEST_REQUIRE(hook.sent.size() == 2u);
        BOOST_TEST(hook.sent[0].secret == secret);
        BOOST_TEST(hook.sent[0].eventType == "dossier.paid");
        BOOST_TEST(hook.sent[0].deliveryId == hook.sent[1].deliveryId);
        BOOST_TEST(hook.sent[0].body.find("\"reference\":\"DG-A-1\"") != std::string::npos);
        BOOST_TEST(hook.sent[0].body.find("B paid") == std::string::npos);

        const Reply deliveries = http(w.port, "GET", "/webhooks/deliveries", alice.cookie);
        BOOST_TEST(deliveries.body.find("dossier.paid") != std::string::npos);
        BOOST_TEST(deliveries.body.find("data-label=\"HTTP status\">200</td><td data-label=\"Attempts\">2<") !=
                   std::string::npos);
        BOOST_TEST(deliveries.body.find("data-label=\"State\">sent<") != std::string::npos);

        // Removing the endpoint: 303, and another creditor's id is 404.
        const auto endpointId = count(w, "SELECT id FROM webhook_endpoints WHERE creditor_id = $1", {w.a.id});
        BOOST_TEST(http(w.port, "POST", "/webhooks/" + std::to_string(endpointId + 100) + "/delete", alice.cookie,
                        "csrf=" + alice.csrf).status == 404);
        BOOST_TEST(http(w.port, "POST", "/webhooks/" + std::to_string(endpointId) + "/delete", alice.cookie,
                        "csrf=" + alice.csrf).status == 303);
        BOOST_TEST(http(w.port, "GET", "/webhooks", alice.cookie).body.find("http://127.0.0.1:9/hook") == std::string::npos);
    });
}

BOOST_AUTO_TEST_SUITE_END()
