// Rows of the store as plain values, as repositories return them. Money is minor units next to
// its currency; dates are 'YYYY-MM-DD' text and instants UTC text (store/Time.h) at this layer,
// turned into domain types by the services that need arithmetic on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::store {

struct CreditorRecord {
    std::int64_t id = 0;
    std::string name, intakeAddress;
    std::optional<std::string> email, iban, bic;
    std::string collectTo = "agency";  // creditor | agency: who the debtors pay (DESIGN.md)
    std::optional<std::string> policy; // dunning policy name; none = the default for the regime
    std::int64_t feeBasisPoints = 0;   // agency fee on payouts, 100 = 1 %
    std::string senderAuth = "none";   // none | spf_or_dkim
    std::string payoutKeep = "none";   // none | costs | costs_and_interest: what the agency keeps at payout
};

struct CreditorIbanRecord {
    std::string iban;
    std::optional<std::string> bic;
};

struct UserRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> creditorId;  // none for staff
    std::string email, name, role, passwordHash;
};

struct DebtorRecord {
    std::int64_t id = 0, creditorId = 0;
    std::string matchKey, name;
    std::optional<std::string> email, phone, vatId, companyId, street, postcode, city, country, language;
    std::string kind = "business";
};

struct DossierRecord {
    std::int64_t id = 0, creditorId = 0, debtorId = 0;
    std::string reference, status, currency;
    std::int64_t openMinor = 0;
    std::optional<std::string> ogm;
    std::string createdAt, updatedAt;
    // The payee, fixed at creation (DESIGN.md: one payee per dossier).
    std::optional<std::string> payeeName, payeeIban, payeeBic, paymentReference;
    std::int64_t paidMinor = 0;
    std::optional<std::string> language;      // nl | fr | en
    std::optional<std::int64_t> caseManagerId;
    std::optional<std::string> holdReason;    // why a draft dossier is held
};

struct TaskRecord {
    std::int64_t id = 0, creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string kind, title;
    std::optional<std::string> details;
    std::int64_t priority = 2;                // 1 high .. 3 low
    std::string dueDate;                      // YYYY-MM-DD
    std::optional<std::int64_t> assigneeId;
    std::string state = "open", dedupeKey, createdAt;
    std::optional<std::string> closedAt;
};

struct InvoiceRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string documentType, number, currency, issueDate;
    std::int64_t amountMinor = 0;
    std::optional<std::string> dueDate, paymentReference;
    std::optional<std::int64_t> documentId, renderingDocumentId, sourceItemId;
};

struct DocumentRecord {
    std::int64_t id = 0, creditorId = 0, size = 0;
    std::string sha256, contentType, filename;
};

struct EventRecord {
    std::int64_t id = 0, creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string at, kind;
    std::optional<std::string> channel;
    std::string summary;
    std::optional<std::string> data;
};

struct InboundItemRecord {
    std::int64_t id = 0, creditorId = 0;
    std::string kind, sha256;
    std::int64_t size = 0;
    std::optional<std::string> messageId, mailFrom, rcptTo, remoteAddress, error;
    std::string state, receivedAt;
    std::int64_t attempts = 0;
};

struct OutboundMessageRecord {
    std::int64_t id = 0, creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string dedupeKey, channel, purpose, recipient;
    std::optional<std::string> subject;
    std::string body;
    std::optional<std::string> messageId;
    std::string state;
    std::int64_t attempts = 0;
    std::string nextAttemptAt;
    std::optional<std::string> providerId, lastError;
    std::optional<std::string> amounts;  // JSON [{"label","minor","currency","basis"}]: letters' extra rows
    std::optional<std::string> parkedAt;  // when it became 'unknown' (outcome unknown, for review)
};

struct LinkTokenRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string nonce, expiresAt;
    std::optional<std::string> revokedAt;
};

}  // namespace duegate::store
