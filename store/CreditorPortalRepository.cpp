#include "store/CreditorPortalRepository.h"

namespace duegate::store::creditor_portal {
namespace {

// Instants are 'YYYY-MM-DDTHH:MM:SS...Z': the day is the first 10 characters on both dialects.
constexpr const char* kDay = "substr(%s, 1, 10)";

std::string day(const std::string& column) {
    std::string s = kDay;
    s.replace(s.find("%s"), 2, column);
    return s;
}

}  // namespace

std::map<std::string, std::string> notificationModes(Tx& tx, std::int64_t creditorId, std::int64_t userId) {
    std::map<std::string, std::string> out;
    for (const char* t : {"payment", "dispute", "reply", "question", "payout"}) out[t] = "immediate";
    for (const auto& r : tx.query("SELECT topic, mode FROM notification_settings WHERE creditor_id = $1 AND user_id = $2",
                                  {creditorId, userId}))
        out[r.text(0)] = r.text(1);
    return out;
}

void setNotificationMode(Tx& tx, std::int64_t creditorId, std::int64_t userId, const std::string& topic,
                         const std::string& mode, const std::string& now) {
    tx.exec("INSERT INTO notification_settings (creditor_id, user_id, topic, mode, updated_at) VALUES ($1, $2, $3, $4, $5) "
            "ON CONFLICT (creditor_id, user_id, topic) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
            {creditorId, userId, topic, mode, now});
}

std::vector<CreditorUser> usersOf(Tx& tx, std::int64_t creditorId) {
    std::vector<CreditorUser> out;
    for (const auto& r : tx.query("SELECT id, email, name, COALESCE(language, '') FROM users "
                                  "WHERE creditor_id = $1 AND role = 'creditor' AND disabled_at IS NULL ORDER BY id",
                                  {creditorId}))
        out.push_back(CreditorUser{r.integer(0), r.text(1), r.text(2), r.text(3)});
    return out;
}

std::string userLanguage(Tx& tx, std::int64_t userId) {
    auto r = tx.queryOne("SELECT COALESCE(language, '') FROM users WHERE id = $1", {userId});
    return r ? r->text(0) : std::string();
}

void setUserLanguage(Tx& tx, std::int64_t userId, const std::string& language) {
    tx.exec("UPDATE users SET language = $2 WHERE id = $1", {userId, language});
}

bool addDigestItem(Tx& tx, const DigestItem& i) {
    return tx.exec("INSERT INTO notification_digest_items (creditor_id, user_id, event_id, topic, summary, created_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (creditor_id, user_id, event_id) DO NOTHING",
                   {i.creditorId, i.userId, i.eventId, i.topic, i.summary, i.createdAt}) > 0;
}

std::vector<DigestItem> pendingDigest(Tx& tx, std::size_t limit) {
    std::vector<DigestItem> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, user_id, event_id, topic, summary, created_at "
                                  "FROM notification_digest_items WHERE sent_on IS NULL ORDER BY user_id, id LIMIT $1",
                                  {static_cast<std::int64_t>(limit)}))
        out.push_back(DigestItem{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.text(4), r.text(5), r.text(6)});
    return out;
}

void markDigestSent(Tx& tx, std::int64_t userId, std::int64_t upToId, const std::string& dayText) {
    tx.exec("UPDATE notification_digest_items SET sent_on = $1 WHERE user_id = $2 AND sent_on IS NULL AND id <= $3",
            {dayText, userId, upToId});
}

std::vector<EventRecord> eventsAfter(Tx& tx, std::int64_t afterId, const std::vector<std::string>& kinds,
                                     std::size_t limit) {
    std::vector<Value> params{afterId};
    std::string in;
    for (const auto& k : kinds) {
        params.push_back(k);
        in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    params.push_back(static_cast<std::int64_t>(limit));
    std::vector<EventRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, dossier_id, at, kind, channel, summary, data FROM events "
                                  "WHERE id > $1 AND kind IN (" + in + ") ORDER BY id LIMIT $" +
                                      std::to_string(params.size()),
                                  params))
        out.push_back(EventRecord{r.integer(0), r.integer(1), r.optInteger(2), r.text(3), r.text(4), r.optText(5),
                                  r.text(6), r.optText(7)});
    return out;
}

std::int64_t maxEventId(Tx& tx) {
    auto r = tx.queryOne("SELECT COALESCE(MAX(id), 0) FROM events");
    return r ? r->integer(0) : 0;
}

std::optional<std::int64_t> cursor(Tx& tx, const std::string& name) {
    auto r = tx.queryOne("SELECT last_event_id FROM event_cursors WHERE name = $1", {name});
    if (!r) return std::nullopt;
    return r->integer(0);
}

void setCursor(Tx& tx, const std::string& name, std::int64_t lastEventId, const std::string& now) {
    tx.exec("INSERT INTO event_cursors (name, last_event_id, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (name) DO UPDATE SET last_event_id = excluded.last_event_id, updated_at = excluded.updated_at",
            {name, lastEventId, now});
}

std::int64_t insertEndpoint(Tx& tx, const WebhookEndpoint& e, std::optional<std::int64_t> userId) {
    return tx.insertReturningId(
        "INSERT INTO webhook_endpoints (creditor_id, url, secret, events, active, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
        {e.creditorId, e.url, e.secret, e.events, optionalInt(userId), e.createdAt});
}

std::vector<WebhookEndpoint> endpoints(Tx& tx, std::int64_t creditorId, bool activeOnly) {
    std::vector<WebhookEndpoint> out;
    for (const auto& r : tx.query(std::string("SELECT id, creditor_id, url, secret, events, created_at, active "
                                              "FROM webhook_endpoints WHERE creditor_id = $1") +
                                      (activeOnly ? " AND active = 1" : "") + " ORDER BY id",
                                  {creditorId}))
        out.push_back(WebhookEndpoint{r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5),
                                      r.integer(6) != 0});
    return out;
}

bool deactivateEndpoint(Tx& tx, std::int64_t creditorId, std::int64_t endpointId) {
    return tx.exec("UPDATE webhook_endpoints SET active = 0 WHERE creditor_id = $1 AND id = $2", {creditorId, endpointId}) > 0;
}

std::optional<std::int64_t> insertDelivery(Tx& tx, std::int64_t creditorId, std::int64_t endpointId,
                                           std::int64_t eventId, const std::string& eventType, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO webhook_deliveries (creditor_id, endpoint_id, event_id, event_type, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (creditor_id, endpoint_id, event_id) DO NOTHING RETURNING id",
        {creditorId, endpointId, eventId, eventType, now});
    if (!r) return std::nullopt;
    return r->integer(0);
}

void setDeliveryMessage(Tx& tx, std::int64_t deliveryId, std::int64_t outboundMessageId) {
    tx.exec("UPDATE webhook_deliveries SET outbound_message_id = $1 WHERE id = $2", {outboundMessageId, deliveryId});
}

std::optional<DeliveryTarget> targetOfMessage(Tx& tx, std::int64_t outboundMessageId) {
    auto r = tx.queryOne(
        "SELECT d.id, d.creditor_id, d.endpoint_id, e.url, e.secret, d.event_type, e.active FROM webhook_deliveries d "
        "JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.creditor_id = d.creditor_id "
        "WHERE d.outbound_message_id = $1",
        {outboundMessageId});
    if (!r) return std::nullopt;
    return DeliveryTarget{r->integer(0), r->integer(1), r->integer(2), r->text(3), r->text(4), r->text(5),
                          r->integer(6) != 0};
}

void setDeliveryStatus(Tx& tx, std::int64_t deliveryId, std::optional<std::int64_t> status, const std::string& now) {
    tx.exec("UPDATE webhook_deliveries SET last_status = $1, updated_at = $2 WHERE id = $3",
            {optionalInt(status), now, deliveryId});
}

std::vector<DeliveryRow> deliveries(Tx& tx, std::int64_t creditorId, std::size_t limit) {
    std::vector<DeliveryRow> out;
    for (const auto& r : tx.query(
             "SELECT d.id, d.endpoint_id, d.event_id, COALESCE(m.attempts, 0), d.last_status, e.url, d.event_type, "
             "COALESCE(m.state, 'planned'), d.created_at, d.updated_at, m.last_error, m.next_attempt_at "
             "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.creditor_id = d.creditor_id "
             "LEFT JOIN outbound_messages m ON m.id = d.outbound_message_id AND m.creditor_id = d.creditor_id "
             "WHERE d.creditor_id = $1 ORDER BY d.id DESC LIMIT $2",
             {creditorId, static_cast<std::int64_t>(limit)})) {
        DeliveryRow d;
        d.id = r.integer(0);
        d.endpointId = r.integer(1);
        d.eventId = r.integer(2);
        d.attempts = r.integer(3);
        d.status = r.optInteger(4);
        d.url = r.text(5);
        d.eventType = r.text(6);
        d.state = r.text(7);
        d.createdAt = r.text(8);
        d.updatedAt = r.text(9);
        d.lastError = r.optText(10);
        d.nextAttemptAt = r.optText(11);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<DossierReportRow> dossierReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                            const std::string& to, std::int64_t afterId, std::size_t limit) {
    std::vector<DossierReportRow> out;
    for (const auto& r : tx.query(
             "SELECT d.id, d.open_minor, d.paid_minor, "
             "(SELECT COALESCE(SUM(i.amount_minor), 0) FROM invoices i WHERE i.dossier_id = d.id AND i.creditor_id = d.creditor_id), "
             "d.reference, d.status, d.currency, d.created_at, b.name, COALESCE(b.email, ''), "
             "(SELECT COALESCE(MIN(i.due_date), '') FROM invoices i WHERE i.dossier_id = d.id AND i.creditor_id = d.creditor_id), "
             "(SELECT COALESCE(MIN(i.number), '') FROM invoices i WHERE i.dossier_id = d.id AND i.creditor_id = d.creditor_id) "
             "FROM dossiers d JOIN debtors b ON b.id = d.debtor_id AND b.creditor_id = d.creditor_id "
             "WHERE d.creditor_id = $1 AND d.id > $2 AND " + day("d.created_at") + " BETWEEN $3 AND $4 "
             "ORDER BY d.id LIMIT $5",
             {creditorId, afterId, from, to, static_cast<std::int64_t>(limit)})) {
        DossierReportRow d;
        d.id = r.integer(0);
        d.openMinor = r.integer(1);
        d.paidMinor = r.integer(2);
        d.invoicedMinor = r.integer(3);
        d.reference = r.text(4);
        d.status = r.text(5);
        d.currency = r.text(6);
        d.createdAt = r.text(7);
        d.debtorName = r.text(8);
        d.debtorEmail = r.text(9);
        d.firstDue = r.text(10);
        d.invoiceNumbers = r.text(11);
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<PaymentReportRow> paymentReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                            const std::string& to, std::int64_t afterId, std::size_t limit) {
    std::vector<PaymentReportRow> out;
    for (const auto& r : tx.query(
             "SELECT m.id, m.amount_minor, COALESCE(l.booking_date, ''), m.currency, d.reference, "
             "COALESCE(l.counterparty_name, ''), COALESCE(l.counterparty_iban, ''), COALESCE(l.reference, ''), m.rule, "
             "m.created_at, m.undone_at "
             "FROM payment_matches m JOIN dossiers d ON d.id = m.dossier_id AND d.creditor_id = m.creditor_id "
             "JOIN statement_lines l ON l.id = m.line_id "
             "WHERE m.creditor_id = $1 AND m.id > $2 AND " + day("m.created_at") + " BETWEEN $3 AND $4 "
             "ORDER BY m.id LIMIT $5",
             {creditorId, afterId, from, to, static_cast<std::int64_t>(limit)})) {
        PaymentReportRow p;
        p.id = r.integer(0);
        p.amountMinor = r.integer(1);
        p.bookingDate = r.text(2);
        p.currency = r.text(3);
        p.dossierReference = r.text(4);
        p.counterpartyName = r.text(5);
        p.counterpartyIban = r.text(6);
        p.reference = r.text(7);
        p.rule = r.text(8);
        p.createdAt = r.text(9);
        p.undoneAt = r.optText(10);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<PayoutReportRow> payoutReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                          const std::string& to, std::int64_t afterId, std::size_t limit) {
    std::vector<PayoutReportRow> out;
    for (const auto& r : tx.query(
             "SELECT id, gross_minor, fee_minor, amount_minor, payments, currency, period_end, end_to_end_id, created_at "
             "FROM payouts WHERE creditor_id = $1 AND id > $2 AND period_end BETWEEN $3 AND $4 ORDER BY id LIMIT $5",
             {creditorId, afterId, from, to, static_cast<std::int64_t>(limit)}))
        out.push_back(PayoutReportRow{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.text(5),
                                      r.text(6), r.text(7), r.text(8)});
    return out;
}

Kpis kpis(Tx& tx, std::int64_t creditorId, const std::string& from, const std::string& to, const std::string& currency) {
    Kpis k;
    auto one = [&](const std::string& sql, std::vector<Value> params) {
        auto r = tx.queryOne(sql, params);
        return r && !r->isNull(0) ? r->integer(0) : 0;
    };
    k.dossiersCreated = one("SELECT COUNT(*) FROM dossiers WHERE creditor_id = $1 AND currency = $2 AND " +
                                day("created_at") + " BETWEEN $3 AND $4",
                            {creditorId, currency, from, to});
    k.invoicedMinor = one("SELECT COALESCE(SUM(amount_minor), 0) FROM invoices WHERE creditor_id = $1 AND currency = $2 "
                          "AND issue_date BETWEEN $3 AND $4",
                          {creditorId, currency, from, to});
    k.collectedMinor = one("SELECT COALESCE(SUM(amount_minor), 0) FROM payment_matches WHERE creditor_id = $1 AND "
                           "currency = $2 AND undone_at IS NULL AND " + day("created_at") + " BETWEEN $3 AND $4",
                           {creditorId, currency, from, to});
    auto events = [&](const char* kind) {
        return one("SELECT COUNT(*) FROM events e JOIN dossiers d ON d.id = e.dossier_id AND d.creditor_id = e.creditor_id "
                   "WHERE e.creditor_id = $1 AND d.currency = $2 AND e.kind = $5 AND " + day("e.at") + " BETWEEN $3 AND $4",
                   {creditorId, currency, from, to, std::string(kind)});
    };
    k.dossiersPaid = events("dossier_paid");
    k.disputes = events("dispute_opened");
    k.promises = events("promise_recorded");
    k.openMinor = one("SELECT COALESCE(SUM(open_minor), 0) FROM dossiers WHERE creditor_id = $1 AND currency = $2 AND "
                      "status IN ('active', 'promised', 'plan', 'disputed', 'legal')",
                      {creditorId, currency});
    k.openDossiers = one("SELECT COUNT(*) FROM dossiers WHERE creditor_id = $1 AND currency = $2 AND "
                         "status IN ('active', 'promised', 'plan', 'disputed', 'legal')",
                         {creditorId, currency});
    k.paidOutMinor = one("SELECT COALESCE(SUM(amount_minor), 0) FROM payouts WHERE creditor_id = $1 AND currency = $2 AND "
                         "period_end BETWEEN $3 AND $4",
                         {creditorId, currency, from, to});
    return k;
}

void addDossierDocument(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, std::int64_t documentId,
                        const std::string& role, const std::string& now) {
    tx.exec("INSERT INTO dossier_documents (creditor_id, dossier_id, document_id, role, created_at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creditor_id, dossier_id, document_id) DO NOTHING",
            {creditorId, dossierId, documentId, role, now});
}

std::vector<std::int64_t> dossierDocumentIds(Tx& tx, std::int64_t creditorId, std::int64_t dossierId) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query("SELECT document_id FROM dossier_documents WHERE creditor_id = $1 AND dossier_id = $2 "
                                  "ORDER BY id",
                                  {creditorId, dossierId}))
        out.push_back(r.integer(0));
    return out;
}

void setDocumentContentType(Tx& tx, std::int64_t creditorId, const std::string& sha256, const std::string& contentType) {
    tx.exec("UPDATE documents SET content_type = $1 WHERE creditor_id = $2 AND sha256 = $3",
            {contentType, creditorId, sha256});
}

}  // namespace duegate::store::creditor_portal
