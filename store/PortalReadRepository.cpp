#include "store/PortalReadRepository.h"

namespace duegate::store::portal_reads {
namespace {

std::string param(std::vector<Value>& params, Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
}

// LIKE with the user's text as a literal: % _ and the escape character itself are escaped.
std::string likePattern(const std::string& text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '!') out += '!';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out + "%";
}

}  // namespace

std::vector<StatusTotal> statusTotals(Tx& tx, Scope scope) {
    std::vector<Value> params;
    std::string sql = "SELECT status, currency, COUNT(*), COALESCE(SUM(open_minor), 0), COALESCE(SUM(paid_minor), 0) "
                      "FROM dossiers";
    if (scope) sql += " WHERE creditor_id = " + param(params, *scope);
    sql += " GROUP BY status, currency ORDER BY status, currency";
    std::vector<StatusTotal> out;
    for (const auto& r : tx.query(sql, params))
        out.push_back(StatusTotal{r.text(0), r.text(1), r.integer(2), r.integer(3), r.integer(4)});
    return out;
}

std::vector<OpenItem> openItems(Tx& tx, Scope scope) {
    std::vector<Value> params;
    std::string sql = "SELECT d.open_minor, d.currency, COALESCE((SELECT MIN(i.due_date) FROM invoices i WHERE "
                      "i.dossier_id = d.id), '') FROM dossiers d WHERE d.status IN ('active', 'promised', 'plan', "
                      "'disputed', 'legal')";
    if (scope) sql += " AND d.creditor_id = " + param(params, *scope);
    std::vector<OpenItem> out;
    for (const auto& r : tx.query(sql, params)) out.push_back(OpenItem{r.integer(0), r.text(1), r.text(2)});
    return out;
}

std::vector<PaidItem> paidSince(Tx& tx, Scope scope, const std::string& since) {
    std::vector<Value> params;
    std::string sql = "SELECT paid_minor, currency, updated_at FROM dossiers WHERE paid_minor > 0 AND updated_at >= " +
                      param(params, since);
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    std::vector<PaidItem> out;
    for (const auto& r : tx.query(sql, params)) out.push_back(PaidItem{r.integer(0), r.text(1), r.text(2)});
    return out;
}

std::int64_t invoicedSince(Tx& tx, Scope scope, const std::string& sinceDate, const std::string& currency) {
    std::vector<Value> params;
    std::string sql = "SELECT COALESCE(SUM(amount_minor), 0) FROM invoices WHERE issue_date >= " + param(params, sinceDate) +
                      " AND currency = " + param(params, currency);
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    return tx.queryOne(sql, params)->integer(0);
}

std::vector<DossierRow> search(Tx& tx, Scope scope, const Search& s) {
    std::vector<Value> params;
    std::string sql =
        "SELECT d.id, d.creditor_id, d.open_minor, d.reference, d.status, d.currency, d.created_at, db.name, "
        "COALESCE(db.email, ''), c.name, COALESCE((SELECT MIN(i.due_date) FROM invoices i WHERE i.dossier_id = d.id), "
        "'') FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id JOIN creditors c ON c.id = d.creditor_id WHERE 1 = 1";
    if (scope) sql += " AND d.creditor_id = " + param(params, *scope);
    if (s.beforeId > 0) sql += " AND d.id < " + param(params, s.beforeId);
    if (s.status) sql += " AND d.status = " + param(params, *s.status);
    if (s.createdFrom) sql += " AND d.created_at >= " + param(params, *s.createdFrom);
    if (s.createdTo) sql += " AND d.created_at < " + param(params, *s.createdTo + "T99");
    if (!s.text.empty() || s.amountMinor) {
        std::string any;
        if (!s.text.empty()) {
            const std::string p = param(params, likePattern(s.text));
            any = "LOWER(db.name) LIKE " + p + " ESCAPE '!' OR LOWER(COALESCE(db.email, '')) LIKE " + p +
                  " ESCAPE '!' OR LOWER(d.reference) LIKE " + p + " ESCAPE '!' OR LOWER(COALESCE(d.payment_reference, "
                  "'')) LIKE " + p + " ESCAPE '!' OR COALESCE(d.ogm, '') LIKE " + p +
                  " ESCAPE '!' OR EXISTS (SELECT 1 FROM invoices i WHERE i.dossier_id = d.id AND LOWER(i.number) LIKE " +
                  p + " ESCAPE '!')";
        }
        if (s.amountMinor) {
            const std::string p = param(params, *s.amountMinor);
            any += std::string(any.empty() ? "" : " OR ") + "d.open_minor = " + p +
                   " OR EXISTS (SELECT 1 FROM invoices i WHERE i.dossier_id = d.id AND i.amount_minor = " + p + ")";
        }
        sql += " AND (" + any + ")";
    }
    sql += " ORDER BY d.id DESC LIMIT " + param(params, static_cast<std::int64_t>(s.limit));
    std::vector<DossierRow> out;
    for (const auto& r : tx.query(sql, params)) {
        DossierRow d;
        d.id = r.integer(0);
        d.creditorId = r.integer(1);
        d.openMinor = r.integer(2);
        d.reference = r.text(3);
        d.status = r.text(4);
        d.currency = r.text(5);
        d.createdAt = r.text(6);
        d.debtorName = r.text(7);
        d.debtorEmail = r.text(8);
        d.creditorName = r.text(9);
        d.dueDate = r.text(10);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace duegate::store::portal_reads
