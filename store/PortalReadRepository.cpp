#include "store/PortalReadRepository.h"

#include <cctype>

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

std::size_t codePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::vector<std::string> terms(const std::string& text) {
    std::vector<std::string> out;
    std::string t;
    for (char c : text + " ") {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!t.empty()) out.push_back(std::move(t));
            t.clear();
        } else {
            t += c;
        }
    }
    if (out.size() > 8) out.resize(8);  // a bounded query, whatever was typed
    return out;
}

// The FTS5 query of the terms of three characters or more (each a quoted phrase; trigrams need
// three), and the shorter terms, which only a LIKE on the document can answer.
struct SqliteTerms {
    std::string phrases;
    std::vector<std::string> shortOnes;
};

SqliteTerms sqliteTerms(const std::vector<std::string>& words) {
    SqliteTerms out;
    for (const auto& w : words) {
        if (codePoints(w) < 3) {
            out.shortOnes.push_back(w);
            continue;
        }
        std::string q = "\"";
        for (char c : w) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        out.phrases += (out.phrases.empty() ? "" : " ") + q + "\"";
    }
    return out;
}

std::string shortTermConditions(std::vector<Value>& params, const std::vector<std::string>& shortOnes) {
    std::string out;
    for (const auto& w : shortOnes)
        out += std::string(out.empty() ? "" : " AND ") + "d.id IN (SELECT ds.dossier_id FROM dossier_search ds WHERE ds.body LIKE " +
               param(params, likePattern(w)) + " ESCAPE '!')";
    return out;
}

// "Dossiers whose search document (0016_search.sql) contains every term", answered from the index:
// FTS5 trigram MATCH on SQLite (terms of three characters or more; shorter ones need a LIKE on the
// document), pg_trgm GIN with LIKE on PostgreSQL.
std::string textCondition(Tx& tx, std::vector<Value>& params, Scope scope, const std::string& text) {
    std::vector<std::string> conds;
    const auto words = terms(text);
    if (words.empty()) return "1 = 1";
    if (tx.dialect() == Dialect::SQLite) {
        const auto t = sqliteTerms(words);
        if (!t.phrases.empty())
            conds.push_back("d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH " + param(params, t.phrases) + ")");
        if (!t.shortOnes.empty()) conds.push_back(shortTermConditions(params, t.shortOnes));
    } else {
        std::string sub = "SELECT ds.dossier_id FROM dossier_search ds WHERE ";
        if (scope) sub += "ds.creditor_id = " + param(params, *scope) + " AND ";
        for (std::size_t i = 0; i < words.size(); ++i)
            sub += std::string(i ? " AND " : "") + "ds.body LIKE lower(" + param(params, likePattern(words[i])) +
                   ") ESCAPE '!'";
        conds.push_back("d.id IN (" + sub + ")");
    }
    std::string out;
    for (const auto& c : conds) out += (out.empty() ? "" : " AND ") + c;
    return out;
}

std::vector<DossierRow> rowsOf(Tx& tx, const std::string& sql, const std::vector<Value>& params) {
    std::vector<DossierRow> out;
    auto rows = tx.query(sql, params);
    out.reserve(rows.size());
    for (auto& r : rows) {  // cells moved, not copied: 50 rows of 8 texts a page
        DossierRow d;
        d.id = r.integer(0);
        d.creditorId = r.integer(1);
        d.openMinor = r.integer(2);
        d.reference = r.takeText(3);
        d.status = r.takeText(4);
        d.currency = r.takeText(5);
        d.createdAt = r.takeText(6);
        d.debtorName = r.takeText(7);
        d.debtorEmail = r.takeText(8);
        d.creditorName = r.takeText(9);
        d.dueDate = r.takeText(10);
        out.push_back(std::move(d));
    }
    return out;
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

std::array<AgeBucket, 4> ageing(Tx& tx, Scope scope, const std::string& currency,
                                const std::array<std::string, 3>& dueFrom) {
    std::vector<Value> params;
    const std::string due = "(SELECT MIN(i.due_date) FROM invoices i WHERE i.dossier_id = d.id)";
    std::string bucket = "CASE WHEN " + due + " IS NULL OR " + due + " >= " + param(params, dueFrom[0]) + " THEN 0";
    bucket += " WHEN " + due + " >= " + param(params, dueFrom[1]) + " THEN 1";
    bucket += " WHEN " + due + " >= " + param(params, dueFrom[2]) + " THEN 2 ELSE 3 END";
    std::string sql = "SELECT b, COUNT(*), COALESCE(SUM(m), 0) FROM (SELECT " + bucket +
                      " AS b, d.open_minor AS m FROM dossiers d WHERE d.status IN ('active', 'promised', 'plan', "
                      "'disputed', 'legal') AND d.currency = " + param(params, currency);
    if (scope) sql += " AND d.creditor_id = " + param(params, *scope);
    sql += ") t GROUP BY b";
    std::array<AgeBucket, 4> out{};
    for (const auto& r : tx.query(sql, params)) {
        const auto b = r.integer(0);
        if (b >= 0 && b < 4) out[static_cast<std::size_t>(b)] = AgeBucket{r.integer(1), r.integer(2)};
    }
    return out;
}

std::vector<PaidDay> paidPerDay(Tx& tx, Scope scope, const std::string& currency, const std::string& sinceDate) {
    std::vector<Value> params;
    std::string sql = "SELECT SUBSTR(updated_at, 1, 10) AS day, SUM(paid_minor) FROM dossiers WHERE paid_minor > 0 "
                      "AND updated_at >= " + param(params, sinceDate) + " AND currency = " + param(params, currency);
    if (scope) sql += " AND creditor_id = " + param(params, *scope);
    sql += " GROUP BY SUBSTR(updated_at, 1, 10) ORDER BY day";
    std::vector<PaidDay> out;
    for (const auto& r : tx.query(sql, params)) out.push_back(PaidDay{r.text(0), r.integer(1)});
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
    const std::string columns =
        "SELECT d.id, d.creditor_id, d.open_minor, d.reference, d.status, d.currency, d.created_at, db.name, "
        "COALESCE(db.email, ''), c.name, COALESCE((SELECT MIN(i.due_date) FROM invoices i WHERE i.dossier_id = d.id), "
        "'') FROM ";
    const std::string joins = "JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id "
                              "JOIN creditors c ON c.id = d.creditor_id WHERE ";
    // A text search on SQLite is driven by the full-text index itself, newest match first
    // (FTS5 walks its rowids = dossier ids backwards and the LIMIT stops it): a common word ("peeters",
    // thousands of matches at 100,000 dossiers) reads 50 matches, not all of them followed by a sort.
    // CROSS JOIN keeps the index as the outer loop. With an amount the text is one side of an OR and
    // takes the general form below.
    if (tx.dialect() == Dialect::SQLite && !s.text.empty() && !s.amountMinor) {
        const auto t = sqliteTerms(terms(s.text));
        if (!t.phrases.empty()) {
            std::string sql = columns + "dossier_fts f CROSS JOIN dossiers d ON d.id = f.rowid " + joins +
                              "dossier_fts MATCH " + param(params, t.phrases);
            if (scope) sql += " AND d.creditor_id = " + param(params, *scope);
            if (s.beforeId > 0) sql += " AND f.rowid < " + param(params, s.beforeId);
            if (s.status) sql += " AND d.status = " + param(params, *s.status);
            if (s.createdFrom) sql += " AND d.created_at >= " + param(params, *s.createdFrom);
            if (s.createdTo) sql += " AND d.created_at < " + param(params, *s.createdTo + "T99");
            if (!t.shortOnes.empty()) sql += " AND " + shortTermConditions(params, t.shortOnes);
            sql += " ORDER BY f.rowid DESC LIMIT " + param(params, static_cast<std::int64_t>(s.limit));
            return rowsOf(tx, sql, params);
        }
    }
    std::string sql = columns + "dossiers d " + joins + "1 = 1";
    if (scope) sql += " AND d.creditor_id = " + param(params, *scope);
    if (s.beforeId > 0) sql += " AND d.id < " + param(params, s.beforeId);
    if (s.status) sql += " AND d.status = " + param(params, *s.status);
    if (s.createdFrom) sql += " AND d.created_at >= " + param(params, *s.createdFrom);
    if (s.createdTo) sql += " AND d.created_at < " + param(params, *s.createdTo + "T99");
    if (!s.text.empty() || s.amountMinor) {
        std::string any;
        if (!s.text.empty()) any = "(" + textCondition(tx, params, scope, s.text) + ")";
        if (s.amountMinor) {
            const std::string p = param(params, *s.amountMinor);
            std::string inv = "SELECT i.dossier_id FROM invoices i WHERE i.amount_minor = " + p;
            if (scope) inv += " AND i.creditor_id = " + param(params, *scope);
            any += std::string(any.empty() ? "" : " OR ") + "d.open_minor = " + p + " OR d.id IN (" + inv + ")";
        }
        sql += " AND (" + any + ")";
    }
    sql += " ORDER BY d.id DESC LIMIT " + param(params, static_cast<std::int64_t>(s.limit));
    return rowsOf(tx, sql, params);
}

}  // namespace duegate::store::portal_reads
