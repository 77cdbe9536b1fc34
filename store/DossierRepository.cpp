#include "store/DossierRepository.h"

#include "store/Chunks.h"
#include "store/PgCopy.h"

#include "gateway/services/States.h"

#include <algorithm>

namespace duegate::store {
namespace {

const char* kDebtorColumns =
    "id, creditor_id, match_key, name, email, phone, vat_id, company_id, street, postcode, city, country, language, kind";

DebtorRecord debtorFrom(const Row& r) {
    DebtorRecord d;
    d.id = r.integer(0);
    d.creditorId = r.integer(1);
    d.matchKey = r.text(2);
    d.name = r.text(3);
    d.email = r.optText(4);
    d.phone = r.optText(5);
    d.vatId = r.optText(6);
    d.companyId = r.optText(7);
    d.street = r.optText(8);
    d.postcode = r.optText(9);
    d.city = r.optText(10);
    d.country = r.optText(11);
    d.language = r.optText(12);
    d.kind = r.text(13);
    return d;
}

const char* kDossierColumns =
    "id, creditor_id, debtor_id, reference, status, currency, open_minor, ogm, created_at, updated_at, "
    "payee_name, payee_iban, payee_bic, payment_reference, paid_minor, language, case_manager_id, hold_reason";

DossierRecord dossierFrom(const Row& r) {
    DossierRecord d;
    d.id = r.integer(0);
    d.creditorId = r.integer(1);
    d.debtorId = r.integer(2);
    d.reference = r.text(3);
    d.status = r.text(4);
    d.currency = r.text(5);
    d.openMinor = r.integer(6);
    d.ogm = r.optText(7);
    d.createdAt = r.text(8);
    d.updatedAt = r.text(9);
    d.payeeName = r.optText(10);
    d.payeeIban = r.optText(11);
    d.payeeBic = r.optText(12);
    d.paymentReference = r.optText(13);
    d.paidMinor = r.integer(14);
    d.language = r.optText(15);
    d.caseManagerId = r.optInteger(16);
    d.holdReason = r.optText(17);
    return d;
}

const char* kInvoiceColumns =
    "id, creditor_id, dossier_id, document_type, number, currency, issue_date, amount_minor, due_date, "
    "payment_reference, document_id, rendering_document_id, source_item_id";

InvoiceRecord invoiceFrom(const Row& r) {
    InvoiceRecord i;
    i.id = r.integer(0);
    i.creditorId = r.integer(1);
    i.dossierId = r.integer(2);
    i.documentType = r.text(3);
    i.number = r.text(4);
    i.currency = r.text(5);
    i.issueDate = r.text(6);
    i.amountMinor = r.integer(7);
    i.dueDate = r.optText(8);
    i.paymentReference = r.optText(9);
    i.documentId = r.optInteger(10);
    i.renderingDocumentId = r.optInteger(11);
    i.sourceItemId = r.optInteger(12);
    return i;
}

// "AND creditor_id = $N" for a creditor scope; nothing for staff.
std::string scoped(dossiers::Scope scope, std::vector<Value>& params, const char* column = "creditor_id") {
    if (!scope) return "";
    params.push_back(*scope);
    return std::string(" AND ") + column + " = $" + std::to_string(params.size());
}

}  // namespace

namespace dossiers {

std::int64_t upsertDebtor(Tx& tx, const DebtorRecord& d, const std::string& now) {
    auto inserted = tx.queryOne(
        "INSERT INTO debtors (creditor_id, match_key, name, email, phone, vat_id, company_id, street, postcode, city, "
        "country, language, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
        "ON CONFLICT (creditor_id, match_key) DO NOTHING RETURNING id",
        {d.creditorId, d.matchKey, d.name, optionalText(d.email), optionalText(d.phone), optionalText(d.vatId),
         optionalText(d.companyId), optionalText(d.street), optionalText(d.postcode), optionalText(d.city),
         optionalText(d.country), optionalText(d.language), d.kind, now});
    if (inserted) return inserted->integer(0);
    auto existing = tx.queryOne("SELECT id FROM debtors WHERE creditor_id = $1 AND match_key = $2",
                                {d.creditorId, d.matchKey});
    if (!existing) throw StoreError("debtor vanished during upsert");
    const std::int64_t id = existing->integer(0);
    tx.exec("UPDATE debtors SET email = COALESCE(email, $2), phone = COALESCE(phone, $3) WHERE id = $1",
            {id, optionalText(d.email), optionalText(d.phone)});
    return id;
}

std::optional<DebtorRecord> debtor(Tx& tx, Scope scope, std::int64_t debtorId) {
    std::vector<Value> params{debtorId};
    const std::string where = scoped(scope, params);
    auto r = tx.queryOne(std::string("SELECT ") + kDebtorColumns + " FROM debtors WHERE id = $1" + where, params);
    if (!r) return std::nullopt;
    return debtorFrom(*r);
}

namespace {

// PostgreSQL: the sequence `<name>_seq` (migration 0019 creates it, starting after the counters
// row of the same name). SQLite: that counters row, bumped and read in one statement.
std::int64_t nextNumber(Tx& tx, const std::string& name) {
    if (tx.dialect() == Dialect::PostgreSQL)
        return tx.queryOne("SELECT nextval($1::regclass)", {name + "_seq"})->integer(0);
    auto r = tx.queryOne("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", {name});
    if (r) return r->integer(0);
    return tx.queryOne("INSERT INTO counters (name, value) VALUES ($1, 1) RETURNING value", {name})->integer(0);
}

}  // namespace

std::int64_t nextDossierNumber(Tx& tx) { return nextNumber(tx, "dossier_number"); }
std::int64_t nextPaymentNumber(Tx& tx) { return nextNumber(tx, "payment_reference"); }

std::int64_t insertDossier(Tx& tx, const DossierRecord& d) {
    return tx.insertReturningId(
        "INSERT INTO dossiers (creditor_id, debtor_id, reference, status, currency, open_minor, ogm, created_at, "
        "updated_at, payee_name, payee_iban, payee_bic, payment_reference, paid_minor, language, case_manager_id, "
        "hold_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        {d.creditorId, d.debtorId, d.reference, d.status, d.currency, d.openMinor, optionalText(d.ogm), d.createdAt,
         d.updatedAt, optionalText(d.payeeName), optionalText(d.payeeIban), optionalText(d.payeeBic),
         optionalText(d.paymentReference), d.paidMinor, optionalText(d.language), optionalInt(d.caseManagerId),
         optionalText(d.holdReason)});
}

std::optional<DossierRecord> dossier(Tx& tx, Scope scope, std::int64_t dossierId) {
    std::vector<Value> params{dossierId};
    const std::string where = scoped(scope, params);
    auto r = tx.queryOne(std::string("SELECT ") + kDossierColumns + " FROM dossiers WHERE id = $1" + where, params);
    if (!r) return std::nullopt;
    return dossierFrom(*r);
}

std::vector<DossierRecord> list(Tx& tx, Scope scope, std::size_t limit, std::int64_t afterId) {
    std::vector<Value> params{afterId};
    const std::string where = scoped(scope, params);
    params.push_back(static_cast<std::int64_t>(limit));
    std::vector<DossierRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kDossierColumns + " FROM dossiers WHERE id > $1" + where +
                                      " ORDER BY id LIMIT $" + std::to_string(params.size()),
                                  params))
        out.push_back(dossierFrom(r));
    return out;
}

void transition(Tx& tx, std::int64_t dossierId, const std::string& from, const std::string& to,
                const std::string& now, const DossierAmounts& amounts) {
    if (from != to) services::requireTransition(services::Machine::Dossier, from, to);
    if (tx.exec("UPDATE dossiers SET status = $3, updated_at = $4, open_minor = COALESCE(CAST($5 AS BIGINT), "
                "open_minor), paid_minor = COALESCE(CAST($6 AS BIGINT), paid_minor) WHERE id = $1 AND status = $2",
                {dossierId, from, to, now, optionalInt(amounts.openMinor), optionalInt(amounts.paidMinor)}) != 1)
        throw StaleState("dossier " + std::to_string(dossierId) + " is no longer " + from + " (moving it to " + to +
                         "): changed by another transaction");
}

void transition(Tx& tx, const std::vector<AmountsOf>& dossiers, const std::string& from, const std::string& to,
                const std::string& now) {
    if (from != to) services::requireTransition(services::Machine::Dossier, from, to);
    constexpr std::size_t kChunk = 500;
    std::vector<Value> p;
    std::string rows;
    for (std::size_t start = 0, end = 0; start < dossiers.size(); start = end) {
        end = chunkEnd(tx.dialect(), start, dossiers.size(), kChunk);
        p.assign({from, to, now});
        rows.clear();
        for (std::size_t i = start; i < end; ++i) {
            const auto n = p.size();
            if (i > start) rows += ',';
            rows += "($" + std::to_string(n + 1) + ",$" + std::to_string(n + 2) + ",$" + std::to_string(n + 3) + ")";
            p.emplace_back(dossiers[i].id);
            p.emplace_back(dossiers[i].openMinor);
            p.emplace_back(dossiers[i].paidMinor);
        }
        const std::string sql = "UPDATE dossiers SET status = $2, updated_at = $3, open_minor = CAST(v.column2 AS BIGINT), "
                                "paid_minor = CAST(v.column3 AS BIGINT) FROM (VALUES " + rows +
                                ") AS v WHERE dossiers.id = CAST(v.column1 AS BIGINT) AND dossiers.status = $1";
        if (tx.exec(sql, p) != end - start)
            throw StaleState("a dossier is no longer " + from + " (moving it to " + to +
                             "): changed by another transaction");
    }
}

std::optional<std::int64_t> insertInvoice(Tx& tx, const InvoiceRecord& i, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO invoices (creditor_id, dossier_id, document_type, number, amount_minor, currency, issue_date, "
        "due_date, payment_reference, document_id, rendering_document_id, source_item_id, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (creditor_id, document_type, number) DO NOTHING RETURNING id",
        {i.creditorId, i.dossierId, i.documentType, i.number, i.amountMinor, i.currency, i.issueDate,
         optionalText(i.dueDate), optionalText(i.paymentReference), optionalInt(i.documentId),
         optionalInt(i.renderingDocumentId), optionalInt(i.sourceItemId), now});
    if (!r) return std::nullopt;
    return r->integer(0);
}

std::optional<InvoiceRecord> invoiceByNumber(Tx& tx, std::int64_t creditorId, const std::string& documentType,
                                             const std::string& number) {
    auto r = tx.queryOne(std::string("SELECT ") + kInvoiceColumns +
                             " FROM invoices WHERE creditor_id = $1 AND document_type = $2 AND number = $3",
                         {creditorId, documentType, number});
    if (!r) return std::nullopt;
    return invoiceFrom(*r);
}

std::vector<InvoiceRecord> invoices(Tx& tx, std::int64_t dossierId) {
    std::vector<InvoiceRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kInvoiceColumns +
                                      " FROM invoices WHERE dossier_id = $1 ORDER BY issue_date, id",
                                  {dossierId}))
        out.push_back(invoiceFrom(r));
    return out;
}

std::int64_t upsertDocument(Tx& tx, const DocumentRecord& d, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO documents (creditor_id, sha256, size, content_type, filename, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (creditor_id, sha256) DO NOTHING RETURNING id",
        {d.creditorId, d.sha256, d.size, d.contentType, d.filename, now});
    if (r) return r->integer(0);
    return tx.queryOne("SELECT id FROM documents WHERE creditor_id = $1 AND sha256 = $2", {d.creditorId, d.sha256})
        ->integer(0);
}

std::optional<DocumentRecord> document(Tx& tx, Scope scope, std::int64_t documentId) {
    std::vector<Value> params{documentId};
    const std::string where = scoped(scope, params);
    auto r = tx.queryOne("SELECT id, creditor_id, size, sha256, content_type, filename FROM documents WHERE id = $1" +
                             where,
                         params);
    if (!r) return std::nullopt;
    return DocumentRecord{r->integer(0), r->integer(1), r->integer(2), r->text(3), r->text(4), r->text(5)};
}

}  // namespace dossiers

namespace events {

std::int64_t append(Tx& tx, const EventRecord& e) {
    return tx.insertReturningId(
        "INSERT INTO events (creditor_id, dossier_id, at, kind, channel, summary, data) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {e.creditorId, optionalInt(e.dossierId), e.at, e.kind, optionalText(e.channel), e.summary,
         optionalText(e.data)});
}

void appendMany(Tx& tx, const std::vector<EventRecord>& events) {
    if (tx.dialect() == Dialect::PostgreSQL && events.size() > 1) {
        // COPY (store/PgCopy.h): a statement import writes three events per booked match.
        pgcopy::Rows rows;
        for (const auto& e : events) {
            rows.integer(e.creditorId);
            if (e.dossierId) rows.integer(*e.dossierId);
            else rows.null();
            rows.text(e.at).text(e.kind);
            if (e.channel) rows.text(*e.channel);
            else rows.null();
            rows.text(e.summary);
            if (e.data) rows.text(*e.data);
            else rows.null();
            rows.endRow();
        }
        pgcopy::copyIn(tx, "COPY events (creditor_id, dossier_id, at, kind, channel, summary, data) FROM STDIN", rows,
                       pgcopy::Wait::Later);
        return;
    }
    // Row by row in one statement: SQLite and PostgreSQL assign the ids in VALUES order.
    std::vector<Value> p;
    std::string sql;
    for (std::size_t start = 0, end = 0; start < events.size(); start = end) {
        end = chunkEnd(tx.dialect(), start, events.size(), 500);
        p.clear();
        sql = "INSERT INTO events (creditor_id, dossier_id, at, kind, channel, summary, data) VALUES ";
        for (std::size_t i = start; i < end; ++i) {
            const auto& e = events[i];
            const auto n = p.size();
            if (i > start) sql += ",";
            sql += "($" + std::to_string(n + 1);
            for (std::size_t c = 2; c <= 7; ++c) sql += ",$" + std::to_string(n + c);
            sql += ")";
            p.push_back(e.creditorId);
            p.push_back(optionalInt(e.dossierId));
            p.push_back(e.at);
            p.push_back(e.kind);
            p.push_back(optionalText(e.channel));
            p.push_back(e.summary);
            p.push_back(optionalText(e.data));
        }
        tx.exec(sql, p);
    }
}

std::vector<EventRecord> forDossier(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId) {
    std::vector<Value> params{dossierId};
    const std::string where = scoped(scope, params);
    std::vector<EventRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, dossier_id, at, kind, channel, summary, data FROM events "
                                  "WHERE dossier_id = $1" + where + " ORDER BY at, id",
                                  params))
        out.push_back(EventRecord{r.integer(0), r.integer(1), r.optInteger(2), r.text(3), r.text(4), r.optText(5),
                                  r.text(6), r.optText(7)});
    return out;
}

std::vector<EventRecord> forDossierOfKind(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId,
                                          const std::string& kind) {
    std::vector<Value> params{dossierId, kind};
    const std::string where = scoped(scope, params);
    std::vector<EventRecord> out;
    for (auto& r : tx.query("SELECT id, creditor_id, dossier_id, at, kind, channel, summary, data FROM events "
                            "WHERE dossier_id = $1 AND kind = $2" + where + " ORDER BY at, id",
                            params))
        out.push_back(EventRecord{r.integer(0), r.integer(1), r.optInteger(2), r.takeText(3), r.takeText(4), r.optText(5),
                                  r.takeText(6), r.optText(7)});
    return out;
}

}  // namespace events

namespace links {

std::int64_t insert(Tx& tx, const LinkTokenRecord& t, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO link_tokens (creditor_id, dossier_id, nonce, expires_at, created_at) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {t.creditorId, t.dossierId, t.nonce, t.expiresAt, now});
}

std::optional<LinkTokenRecord> byId(Tx& tx, std::int64_t id) {
    auto r = tx.queryOne(
        "SELECT id, creditor_id, dossier_id, nonce, expires_at, revoked_at FROM link_tokens WHERE id = $1", {id});
    if (!r) return std::nullopt;
    return LinkTokenRecord{r->integer(0), r->integer(1), r->integer(2), r->text(3), r->text(4), r->optText(5)};
}

std::size_t revokeForDossier(Tx& tx, std::int64_t dossierId, const std::string& now) {
    return tx.exec("UPDATE link_tokens SET revoked_at = $2 WHERE dossier_id = $1 AND revoked_at IS NULL",
                   {dossierId, now});
}

bool openedSince(Tx& tx, std::int64_t id, const std::string& since) {
    return tx.queryOne("SELECT 1 FROM link_tokens WHERE id = $1 AND last_opened_at >= $2", {id, since}).has_value();
}

bool markOpened(Tx& tx, std::int64_t id, const std::string& now, const std::string& since) {
    return tx.exec("UPDATE link_tokens SET last_opened_at = $2 WHERE id = $1 AND (last_opened_at IS NULL OR "
                   "last_opened_at < $3)",
                   {id, now, since}) == 1;
}

}  // namespace links
}  // namespace duegate::store
