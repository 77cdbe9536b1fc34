// The creditor's side of the portal (migration 0013): notification settings and the daily digest,
// outbound webhook endpoints and their deliveries, the cursors of the jobs that read the events
// table, and the read models of the downloadable reports. Every tenant read takes the creditor id.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::creditor_portal {

// --- notification settings: topic (payment, dispute, reply, question, payout) -> mode
// (immediate, digest, never); a topic without a row is 'immediate'.
std::map<std::string, std::string> notificationModes(Tx& tx, std::int64_t creditorId, std::int64_t userId);
void setNotificationMode(Tx& tx, std::int64_t creditorId, std::int64_t userId, const std::string& topic,
                         const std::string& mode, const std::string& now);

struct CreditorUser {
    std::int64_t id = 0;
    std::string email, name;
    std::string language;  // nl | fr | en, empty: not chosen (mails in English)
};
// The creditor's users who are not disabled.
std::vector<CreditorUser> usersOf(Tx& tx, std::int64_t creditorId);
// The language a user chose for their own mails (migration 0020); empty when none was chosen.
std::string userLanguage(Tx& tx, std::int64_t userId);
void setUserLanguage(Tx& tx, std::int64_t userId, const std::string& language);

// --- the daily digest
struct DigestItem {
    std::int64_t id = 0, creditorId = 0, userId = 0, eventId = 0;
    std::string topic, summary, createdAt;
};
// False when this (user, event) was recorded before.
bool addDigestItem(Tx& tx, const DigestItem& item);
// Unsent items, by user then id; at most `limit`.
std::vector<DigestItem> pendingDigest(Tx& tx, std::size_t limit);
void markDigestSent(Tx& tx, std::int64_t userId, std::int64_t upToId, const std::string& day);

// --- reading the events table
// Events with id > afterId of the given kinds, oldest first, at most `limit` (every creditor).
std::vector<EventRecord> eventsAfter(Tx& tx, std::int64_t afterId, const std::vector<std::string>& kinds,
                                     std::size_t limit);
std::int64_t maxEventId(Tx& tx);
std::optional<std::int64_t> cursor(Tx& tx, const std::string& name);
void setCursor(Tx& tx, const std::string& name, std::int64_t lastEventId, const std::string& now);

// --- webhook endpoints
struct WebhookEndpoint {
    std::int64_t id = 0, creditorId = 0;
    std::string url, secret, events, createdAt;
    bool active = true;
};
std::int64_t insertEndpoint(Tx& tx, const WebhookEndpoint& e, std::optional<std::int64_t> userId);
std::vector<WebhookEndpoint> endpoints(Tx& tx, std::int64_t creditorId, bool activeOnly);
// False when the creditor has no such endpoint.
bool deactivateEndpoint(Tx& tx, std::int64_t creditorId, std::int64_t endpointId);

// --- webhook deliveries
// The new delivery's id, or nothing when (endpoint, event) was delivered before.
std::optional<std::int64_t> insertDelivery(Tx& tx, std::int64_t creditorId, std::int64_t endpointId,
                                           std::int64_t eventId, const std::string& eventType, const std::string& now);
void setDeliveryMessage(Tx& tx, std::int64_t deliveryId, std::int64_t outboundMessageId);
struct DeliveryTarget {
    std::int64_t deliveryId = 0, creditorId = 0, endpointId = 0;
    std::string url, secret, eventType;
    bool active = true;
};
std::optional<DeliveryTarget> targetOfMessage(Tx& tx, std::int64_t outboundMessageId);
void setDeliveryStatus(Tx& tx, std::int64_t deliveryId, std::optional<std::int64_t> status, const std::string& now);
struct DeliveryRow {
    std::int64_t id = 0, endpointId = 0, eventId = 0, attempts = 0;
    std::optional<std::int64_t> status;
    std::string url, eventType, state, createdAt, updatedAt;
    std::optional<std::string> lastError, nextAttemptAt;
};
// Newest first.
std::vector<DeliveryRow> deliveries(Tx& tx, std::int64_t creditorId, std::size_t limit);

// --- reports (keyset pages: rows with id > afterId, ascending, at most `limit`)
struct DossierReportRow {
    std::int64_t id = 0, openMinor = 0, paidMinor = 0, invoicedMinor = 0;
    std::string reference, status, currency, createdAt, debtorName, debtorEmail, firstDue, invoiceNumbers;
};
// Dossiers created on from..to (YYYY-MM-DD, inclusive).
std::vector<DossierReportRow> dossierReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                            const std::string& to, std::int64_t afterId, std::size_t limit);
struct PaymentReportRow {
    std::int64_t id = 0, amountMinor = 0;
    std::string bookingDate, currency, dossierReference, counterpartyName, counterpartyIban, reference, rule,
        createdAt;
    std::optional<std::string> undoneAt;
};
// Matches made on from..to (their created_at day), undone ones included (with undone_at).
std::vector<PaymentReportRow> paymentReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                            const std::string& to, std::int64_t afterId, std::size_t limit);
struct PayoutReportRow {
    std::int64_t id = 0, grossMinor = 0, feeMinor = 0, amountMinor = 0, payments = 0;
    std::string currency, periodEnd, endToEndId, createdAt;
};
// Payouts whose period ends on from..to.
std::vector<PayoutReportRow> payoutReport(Tx& tx, std::int64_t creditorId, const std::string& from,
                                          const std::string& to, std::int64_t afterId, std::size_t limit);
struct Kpis {
    std::int64_t dossiersCreated = 0, dossiersPaid = 0, invoicedMinor = 0, collectedMinor = 0, openMinor = 0,
                 openDossiers = 0, disputes = 0, promises = 0, paidOutMinor = 0;
};
// One currency's figures for the period (open figures: now).
Kpis kpis(Tx& tx, std::int64_t creditorId, const std::string& from, const std::string& to, const std::string& currency);

// --- documents of a dossier beyond its invoices (terms and conditions)
void addDossierDocument(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, std::int64_t documentId,
                        const std::string& role, const std::string& now);
std::vector<std::int64_t> dossierDocumentIds(Tx& tx, std::int64_t creditorId, std::int64_t dossierId);
// The content type of the creditor's document with this content address (a form's JSON source).
void setDocumentContentType(Tx& tx, std::int64_t creditorId, const std::string& sha256, const std::string& contentType);

}  // namespace duegate::store::creditor_portal
