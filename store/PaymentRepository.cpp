#include "store/PaymentRepository.h"

#include <map>
#include <unordered_map>

namespace duegate::store::payments {
namespace {

Value text(const std::string& s) { return s.empty() ? nullValue() : Value(s); }
Value optText(const std::optional<std::string>& s) { return s ? Value(*s) : nullValue(); }

const char* kLineColumns =
    "l.id, l.statement_id, l.account_owner, l.creditor_id, l.account_iban, l.line_key, l.booking_date, "
    "l.value_date, l.amount_minor, l.currency, l.exponent, l.counterparty_name, l.counterparty_iban, "
    "l.counterparty_bic, l.reference_kind, l.reference, l.remittance, l.bank_reference, l.end_to_end_id, "
    "l.reversal, l.return_reason";
constexpr std::size_t kLineColumnCount = 21;

LineRecord lineFrom(const Row& r, std::size_t o = 0) {
    LineRecord l;
    l.id = r.integer(o + 0);
    l.statementId = r.integer(o + 1);
    l.accountOwner = r.text(o + 2);
    l.creditorId = r.optInteger(o + 3);
    l.accountIban = r.text(o + 4);
    l.lineKey = r.text(o + 5);
    l.bookingDate = r.text(o + 6);
    l.valueDate = r.text(o + 7);
    l.amountMinor = r.integer(o + 8);
    l.currency = r.text(o + 9);
    l.exponent = static_cast<int>(r.integer(o + 10));
    l.counterpartyName = r.text(o + 11);
    l.counterpartyIban = r.text(o + 12);
    l.counterpartyBic = r.text(o + 13);
    l.referenceKind = r.text(o + 14);
    l.reference = r.text(o + 15);
    l.remittance = r.text(o + 16);
    l.bankReference = r.text(o + 17);
    l.endToEndId = r.text(o + 18);
    l.reversal = r.integer(o + 19) != 0;
    l.returnReason = r.text(o + 20);
    return l;
}

// A line's state lives in its own row (0023).
const char* kStateColumns = "l.id, l.state, l.rule, l.reason, l.suggestions, l.applied_minor";
LineState stateFrom(const Row& r, std::size_t o = 0) {
    return LineState{r.integer(o), r.text(o + 1), r.text(o + 2), r.text(o + 3), r.text(o + 4), r.integer(o + 5)};
}

const char* kMatchColumns =
    "id, creditor_id, dossier_id, line_id, account_owner, amount_minor, currency, rule, fields, actor, created_at, "
    "undone_at, interest_minor, costs_minor";
MatchRecord matchFrom(const Row& r) {
    MatchRecord m;
    m.id = r.integer(0);
    m.creditorId = r.integer(1);
    m.dossierId = r.integer(2);
    m.lineId = r.integer(3);
    m.accountOwner = r.text(4);
    m.amountMinor = r.integer(5);
    m.currency = r.text(6);
    m.rule = r.text(7);
    m.fields = r.text(8);
    m.actor = r.text(9);
    m.createdAt = r.text(10);
    m.undoneAt = r.optText(11);
    m.interestMinor = r.integer(12);
    m.costsMinor = r.integer(13);
    return m;
}

const char* kStatementColumns =
    "id, account_owner, creditor_id, account_iban, currency, statement_key, kind, format, number, sequence, "
    "opening_date, opening_minor, closing_date, closing_minor, balance_gap, gap_detail, file_sha256, "
    "inbound_item_id, entries";
StatementRecord statementFrom(const Row& r) {
    StatementRecord s;
    s.id = r.integer(0);
    s.accountOwner = r.text(1);
    s.creditorId = r.optInteger(2);
    s.accountIban = r.text(3);
    s.currency = r.text(4);
    s.statementKey = r.text(5);
    s.kind = r.text(6);
    s.format = r.text(7);
    s.number = r.text(8);
    s.sequence = r.text(9);
    s.openingDate = r.optText(10);
    s.openingMinor = r.optInteger(11);
    s.closingDate = r.optText(12);
    s.closingMinor = r.optInteger(13);
    s.balanceGap = r.integer(14) != 0;
    s.gapDetail = r.text(15);
    s.fileSha256 = r.text(16);
    s.inboundItemId = r.optInteger(17);
    s.entries = r.integer(18);
    return s;
}

// The SQL condition "the creditor may see line l" for a scope parameter $N.
std::string visibleCondition(const std::string& n) {
    return "(l.creditor_id = " + n + " OR EXISTS (SELECT 1 FROM payment_matches pm WHERE pm.line_id = l.id AND "
           "pm.creditor_id = " + n + ") OR EXISTS (SELECT 1 FROM debtor_credits dc WHERE dc.line_id = l.id AND "
           "dc.creditor_id = " + n + "))";
}

}  // namespace

std::vector<std::int64_t> creditorsWithIban(Tx& tx, const std::string& iban) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query("SELECT creditor_id FROM creditor_ibans WHERE REPLACE(UPPER(iban), ' ', '') = $1 "
                                  "UNION SELECT id FROM creditors WHERE REPLACE(UPPER(iban), ' ', '') = $1",
                                  {iban}))
        out.push_back(r.integer(0));
    return out;
}

InsertedStatement insertStatement(Tx& tx, const StatementRecord& s, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO statements (account_owner, creditor_id, account_iban, currency, statement_key, kind, format, "
        "number, sequence, opening_date, opening_minor, closing_date, closing_minor, balance_gap, gap_detail, "
        "file_sha256, inbound_item_id, entries, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14, $15, $16, $17, 0, $18) ON CONFLICT DO NOTHING RETURNING id",
        {s.accountOwner, optionalInt(s.creditorId), s.accountIban, s.currency, s.statementKey, s.kind, s.format,
         text(s.number), text(s.sequence), optText(s.openingDate), optionalInt(s.openingMinor),
         optText(s.closingDate), optionalInt(s.closingMinor), std::int64_t(s.balanceGap ? 1 : 0), text(s.gapDetail),
         s.fileSha256, optionalInt(s.inboundItemId), now});
    if (r) return {r->integer(0), false};
    auto e = tx.queryOne(
        "SELECT id FROM statements WHERE account_owner = $1 AND account_iban = $2 AND currency = $3 AND "
        "statement_key = $4",
        {s.accountOwner, s.accountIban, s.currency, s.statementKey});
    if (!e) throw StoreError("statement conflicted but cannot be found");
    return {e->integer(0), true};
}

std::optional<StatementRecord> previousStatement(Tx& tx, const StatementRecord& s) {
    if (!s.openingDate) return std::nullopt;
    auto r = tx.queryOne(std::string("SELECT ") + kStatementColumns +
                             " FROM statements WHERE account_owner = $1 AND account_iban = $2 AND currency = $3 AND "
                             "kind = 'statement' AND closing_date IS NOT NULL AND closing_date <= $4 AND "
                             "statement_key <> $5 ORDER BY closing_date DESC, id DESC LIMIT 1",
                         {s.accountOwner, s.accountIban, s.currency, *s.openingDate, s.statementKey});
    if (!r) return std::nullopt;
    return statementFrom(*r);
}

void addStatementEntries(Tx& tx, std::int64_t statementId, std::int64_t entries) {
    tx.exec("UPDATE statements SET entries = entries + $2 WHERE id = $1", {statementId, entries});
}

void appendLineValues(std::vector<Value>& params, const LineRecord& l, const std::string& now) {
    params.push_back(l.statementId);
    params.push_back(l.accountOwner);
    params.push_back(optionalInt(l.creditorId));
    params.push_back(l.accountIban);
    params.push_back(l.lineKey);
    params.push_back(text(l.bookingDate));
    params.push_back(text(l.valueDate));
    params.push_back(l.amountMinor);
    params.push_back(l.currency);
    params.push_back(std::int64_t(l.exponent));
    params.push_back(text(l.counterpartyName));
    params.push_back(text(l.counterpartyIban));
    params.push_back(text(l.counterpartyBic));
    params.push_back(text(l.referenceKind));
    params.push_back(text(l.reference));
    params.push_back(text(l.remittance));
    params.push_back(text(l.bankReference));
    params.push_back(text(l.endToEndId));
    params.push_back(std::int64_t(l.reversal ? 1 : 0));
    params.push_back(text(l.returnReason));
    params.push_back(now);
}

std::size_t insertLines(Tx& tx, const std::vector<LineRecord>& lines, const std::string& now) {
    // Multi-row statements: one round trip (and one parse) per batch instead of per line. 21
    // parameters a row keeps a batch of 400 under SQLite's 32766-parameter bound.
    constexpr std::size_t kBatch = 400;
    std::size_t inserted = 0;
    std::vector<Value> params;
    std::string sql;
    for (std::size_t start = 0; start < lines.size(); start += kBatch) {
        const std::size_t end = std::min(lines.size(), start + kBatch);
        params.clear();
        params.reserve((end - start) * 21);
        sql = "INSERT INTO statement_lines (statement_id, account_owner, creditor_id, account_iban, line_key, "
              "booking_date, value_date, amount_minor, currency, exponent, counterparty_name, counterparty_iban, "
              "counterparty_bic, reference_kind, reference, remittance, bank_reference, end_to_end_id, reversal, "
              "return_reason, created_at) VALUES ";
        for (std::size_t i = start; i < end; ++i) {
            const auto& l = lines[i];
            if (i > start) sql += ",";
            sql += "(";
            for (int c = 0; c < 21; ++c) {
                if (c) sql += ",";
                sql += "$" + std::to_string(params.size() + static_cast<std::size_t>(c) + 1);
            }
            sql += ")";
            appendLineValues(params, l, now);
        }
        sql += " ON CONFLICT DO NOTHING RETURNING id";
        const auto ids = tx.query(sql, params);
        inserted += ids.size();  // each in state 'new' (the column's default): not yet seen by the matcher
    }
    return inserted;
}

std::vector<LineRecord> newLines(Tx& tx, const std::string& accountOwner, std::size_t limit) {
    std::vector<LineRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kLineColumns +
                                      " FROM statement_lines l WHERE l.state = 'new' AND l.account_owner = $1 ORDER BY l.id LIMIT $2",
                                  {accountOwner, static_cast<std::int64_t>(limit)}))
        out.push_back(lineFrom(r));
    return out;
}

std::vector<std::string> ownersWithNewLines(Tx& tx) {
    std::vector<std::string> out;
    for (const auto& r : tx.query("SELECT DISTINCT account_owner FROM statement_lines WHERE state = 'new'"))
        out.push_back(r.text(0));
    return out;
}

bool hasNewLinesFor(Tx& tx, std::int64_t creditorId) {
    return tx
        .queryOne("SELECT 1 FROM statement_lines WHERE state = 'new' AND (account_owner = 'agency' OR creditor_id = $1) "
                  "LIMIT 1",
                  {creditorId})
        .has_value();
}

std::optional<LineRecord> line(Tx& tx, std::int64_t lineId) {
    auto r = tx.queryOne(std::string("SELECT ") + kLineColumns + " FROM statement_lines l WHERE l.id = $1", {lineId});
    if (!r) return std::nullopt;
    return lineFrom(*r);
}

std::optional<LineState> state(Tx& tx, std::int64_t lineId) {
    auto r = tx.queryOne(std::string("SELECT ") + kStateColumns + " FROM statement_lines l WHERE l.id = $1", {lineId});
    if (!r) return std::nullopt;
    return stateFrom(*r);
}

bool setState(Tx& tx, const LineState& s, const std::optional<std::string>& from, const std::string& now) {
    std::vector<Value> p{s.lineId, s.state, text(s.rule), text(s.reason), text(s.suggestions), s.appliedMinor, now};
    std::string sql =
        "UPDATE statement_lines SET state = $2, rule = $3, reason = $4, suggestions = $5, applied_minor = $6, "
        "state_updated_at = $7 WHERE id = $1";
    if (from) {
        p.push_back(*from);
        sql += " AND state = $8";
    }
    return tx.exec(sql, p) > 0;
}

void setNewStates(Tx& tx, const std::vector<LineState>& states, const std::string& now) {
    constexpr std::size_t kBatch = 500;
    std::vector<Value> p;
    std::string sql;
    for (std::size_t start = 0; start < states.size(); start += kBatch) {
        const std::size_t end = std::min(states.size(), start + kBatch);
        p.assign({now});
        // VALUES columns are column1.. on both dialects.
        sql = "UPDATE statement_lines SET state = v.column2, rule = v.column3, reason = v.column4, suggestions = v.column5, "
              "state_updated_at = $1 FROM (VALUES ";
        for (std::size_t i = start; i < end; ++i) {
            const auto& s = states[i];
            const auto n = p.size();
            if (i > start) sql += ",";
            sql += "($" + std::to_string(n + 1) + ",$" + std::to_string(n + 2) + ",$" + std::to_string(n + 3) + ",$" +
                   std::to_string(n + 4) + ",$" + std::to_string(n + 5) + ")";
            p.push_back(s.lineId);
            p.push_back(s.state);
            p.push_back(text(s.rule));
            p.push_back(text(s.reason));
            p.push_back(text(s.suggestions));
        }
        sql += ") AS v WHERE statement_lines.id = CAST(v.column1 AS BIGINT) AND statement_lines.state = 'new'";
        tx.exec(sql, p);
    }
}

bool lineVisible(Tx& tx, Scope scope, std::int64_t lineId) {
    if (!scope) return line(tx, lineId).has_value();
    return tx
        .queryOne("SELECT 1 FROM statement_lines l WHERE l.id = $1 AND " + visibleCondition("$2"), {lineId, *scope})
        .has_value();
}

std::vector<QueueRow> listLines(Tx& tx, Scope scope, const std::vector<std::string>& states, std::size_t limit,
                                std::int64_t afterId) {
    LineFilter f;
    f.states = states;
    return listLines(tx, scope, f, limit, afterId);
}

std::vector<QueueRow> listLines(Tx& tx, Scope scope, const LineFilter& f, std::size_t limit, std::int64_t afterId) {
    std::vector<Value> p{afterId, static_cast<std::int64_t>(limit)};
    std::string where = " WHERE l.id > $1";
    auto param = [&](Value v) {
        p.push_back(std::move(v));
        return "$" + std::to_string(p.size());
    };
    if (scope) where += " AND " + visibleCondition(param(*scope));
    if (!f.states.empty()) {
        where += " AND l.state IN (";
        for (std::size_t i = 0; i < f.states.size(); ++i) where += (i ? "," : "") + param(f.states[i]);
        where += ")";
    }
    if (f.bookedFrom) where += " AND l.booking_date >= " + param(*f.bookedFrom);
    if (f.bookedTo) where += " AND l.booking_date <= " + param(*f.bookedTo);
    if (f.absAmountMinor) {
        const auto n = param(*f.absAmountMinor);
        const auto neg = param(-*f.absAmountMinor);
        where += " AND (l.amount_minor = " + n + " OR l.amount_minor = " + neg + ")";
    }
    if (f.dossierId)
        where += " AND EXISTS (SELECT 1 FROM payment_matches fm WHERE fm.line_id = l.id AND fm.dossier_id = " +
                 param(*f.dossierId) + ")";
    std::vector<QueueRow> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kLineColumns + ", " + kStateColumns +
                                      " FROM statement_lines l" + where +
                                      " ORDER BY l.id LIMIT $2",
                                  p)) {
        QueueRow q;
        q.line = lineFrom(r);
        q.state = stateFrom(r, kLineColumnCount);
        out.push_back(std::move(q));
    }
    for (auto& q : out) q.matches = liveMatchesForLine(tx, q.line.id);
    return out;
}

std::string statementLabel(Tx& tx, std::int64_t statementId) {
    auto r = tx.queryOne("SELECT format, COALESCE(number, ''), COALESCE(sequence, ''), account_iban, "
                         "COALESCE(closing_date, '') FROM statements WHERE id = $1",
                         {statementId});
    if (!r) return {};
    std::string label = r->text(0);
    if (!r->text(1).empty()) label += " " + r->text(1) + (r->text(2).empty() ? "" : "/" + r->text(2));
    label += " · " + r->text(3);
    if (!r->text(4).empty()) label += " · " + r->text(4);
    return label;
}

std::vector<CandidateRow> candidates(Tx& tx, const std::string& accountOwner, const std::string& agencyIban) {
    std::vector<Value> p;
    std::string scope;
    if (accountOwner.rfind("creditor:", 0) == 0) {
        p.push_back(std::stoll(accountOwner.substr(9)));
        scope = "d.creditor_id = $1";
    } else {
        p.push_back(agencyIban);
        scope = "(c.collect_to = 'agency' OR REPLACE(UPPER(COALESCE(d.payee_iban, '')), ' ', '') = $1)";
    }
    std::vector<CandidateRow> out;
    std::unordered_map<std::int64_t, std::size_t> byDossier;
    std::unordered_map<std::int64_t, std::vector<std::size_t>> byDebtor;
    for (const auto& r : tx.query("SELECT d.id, d.creditor_id, d.debtor_id, d.open_minor, d.currency, "
                                  "COALESCE(d.payment_reference, d.ogm, ''), b.name FROM dossiers d "
                                  "JOIN debtors b ON b.id = d.debtor_id AND b.creditor_id = d.creditor_id JOIN creditors c ON c.id = d.creditor_id "
                                  "WHERE d.status <> 'draft' AND " + scope,
                                  p)) {
        CandidateRow c;
        c.dossierId = r.integer(0);
        c.creditorId = r.integer(1);
        c.debtorId = r.integer(2);
        c.openMinor = r.integer(3);
        c.currency = r.text(4);
        c.paymentReference = r.text(5);
        c.debtorName = r.text(6);
        byDossier[c.dossierId] = out.size();
        byDebtor[c.debtorId].push_back(out.size());
        out.push_back(std::move(c));
    }
    if (out.empty()) return out;
    for (const auto& r : tx.query("SELECT i.dossier_id, i.number FROM invoices i JOIN dossiers d ON d.id = i.dossier_id "
                                  "AND d.creditor_id = i.creditor_id "
                                  "JOIN creditors c ON c.id = d.creditor_id WHERE d.status <> 'draft' AND " + scope,
                                  p)) {
        auto it = byDossier.find(r.integer(0));
        if (it != byDossier.end()) out[it->second].invoiceNumbers.push_back(r.text(1));
    }
    for (const auto& r : tx.query("SELECT DISTINCT d.debtor_id, l.counterparty_iban FROM payment_matches m "
                                  "JOIN dossiers d ON d.id = m.dossier_id AND d.creditor_id = m.creditor_id "
                                  "JOIN statement_lines l ON l.id = m.line_id "
                                  "JOIN creditors c ON c.id = d.creditor_id WHERE m.undone_at IS NULL AND "
                                  "l.counterparty_iban IS NOT NULL AND " + scope,
                                  p)) {
        auto it = byDebtor.find(r.integer(0));
        if (it == byDebtor.end()) continue;
        for (auto i : it->second) out[i].knownPayerIbans.push_back(r.text(1));
    }
    return out;
}

std::int64_t insertMatch(Tx& tx, const MatchRecord& m) {
    return tx.insertReturningId(
        "INSERT INTO payment_matches (creditor_id, dossier_id, line_id, account_owner, amount_minor, currency, rule, "
        "fields, actor, created_at, interest_minor, costs_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12) RETURNING id",
        {m.creditorId, m.dossierId, m.lineId, m.accountOwner, m.amountMinor, m.currency, m.rule, text(m.fields),
         m.actor, m.createdAt, m.interestMinor, m.costsMinor});
}

std::vector<MatchRecord> liveMatchesForLine(Tx& tx, std::int64_t lineId) {
    std::vector<MatchRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kMatchColumns +
                                      " FROM payment_matches WHERE line_id = $1 AND undone_at IS NULL ORDER BY id",
                                  {lineId}))
        out.push_back(matchFrom(r));
    return out;
}

std::vector<MatchRecord> matchesForDossier(Tx& tx, std::int64_t dossierId) {
    std::vector<MatchRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kMatchColumns +
                                      " FROM payment_matches WHERE dossier_id = $1 ORDER BY id",
                                  {dossierId}))
        out.push_back(matchFrom(r));
    return out;
}

void undoMatch(Tx& tx, std::int64_t matchId, const std::string& by, const std::string& reason, const std::string& now) {
    tx.exec("UPDATE payment_matches SET undone_at = $2, undone_by = $3, undo_reason = $4 WHERE id = $1 AND "
            "undone_at IS NULL",
            {matchId, now, by, text(reason)});
}

std::int64_t liveSumForDossier(Tx& tx, std::int64_t dossierId) {
    auto r = tx.queryOne("SELECT COALESCE(SUM(amount_minor), 0) FROM payment_matches WHERE dossier_id = $1 AND "
                         "undone_at IS NULL",
                         {dossierId});
    return r ? r->integer(0) : 0;
}

std::vector<LineRecord> matchedLinesLike(Tx& tx, const std::string& accountOwner, const std::string& accountIban,
                                         const std::string& currency, std::int64_t absAmount) {
    std::vector<LineRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kLineColumns +
                                      " FROM statement_lines l WHERE l.account_owner = $1 AND l.account_iban = $2 AND "
                                      "l.currency = $3 AND l.amount_minor = $4 AND EXISTS (SELECT 1 FROM "
                                      "payment_matches m WHERE m.line_id = l.id AND m.undone_at IS NULL) ORDER BY l.id",
                                  {accountOwner, accountIban, currency, absAmount}))
        out.push_back(lineFrom(r));
    return out;
}

std::int64_t insertCredit(Tx& tx, std::int64_t creditorId, std::int64_t debtorId, std::optional<std::int64_t> dossierId,
                          std::int64_t lineId, std::int64_t amountMinor, const std::string& currency,
                          const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO debtor_credits (creditor_id, debtor_id, dossier_id, line_id, amount_minor, currency, state, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
        {creditorId, debtorId, optionalInt(dossierId), lineId, amountMinor, currency, now});
}

std::int64_t cancelCreditsForLine(Tx& tx, std::int64_t lineId, const std::string& now) {
    auto r = tx.queryOne("SELECT COALESCE(SUM(amount_minor), 0) FROM debtor_credits WHERE line_id = $1 AND "
                         "state = 'open'",
                         {lineId});
    tx.exec("UPDATE debtor_credits SET state = 'cancelled', closed_at = $2 WHERE line_id = $1 AND state = 'open'",
            {lineId, now});
    return r ? r->integer(0) : 0;
}

std::int64_t openCreditsForDebtor(Tx& tx, std::int64_t debtorId) {
    auto r = tx.queryOne("SELECT COALESCE(SUM(amount_minor), 0) FROM debtor_credits WHERE debtor_id = $1 AND "
                         "state = 'open'",
                         {debtorId});
    return r ? r->integer(0) : 0;
}

void insertAction(Tx& tx, std::int64_t lineId, std::optional<std::int64_t> creditorId, const std::string& action,
                  const std::string& actor, const std::string& reason, const std::string& now) {
    tx.exec("INSERT INTO payment_actions (line_id, creditor_id, action, actor, reason, at) VALUES ($1, $2, $3, $4, "
            "$5, $6)",
            {lineId, optionalInt(creditorId), action, actor, text(reason), now});
}

std::vector<std::int64_t> cancelPlannedMessages(Tx& tx, std::int64_t dossierId, const std::string& why,
                                                const std::string& now) {
    std::vector<std::int64_t> ids;
    for (const auto& r : tx.query("SELECT id FROM outbound_messages WHERE dossier_id = $1 AND state = 'planned' AND "
                                  "purpose <> 'payment_thanks'",
                                  {dossierId}))
        ids.push_back(r.integer(0));
    for (auto id : ids)
        tx.exec("UPDATE outbound_messages SET state = 'failed', last_error = $2, updated_at = $3 WHERE id = $1 AND "
                "state = 'planned'",
                {id, why, now});
    return ids;
}

std::vector<PayoutDue> payoutsDue(Tx& tx, const std::string& until) {
    std::vector<PayoutDue> out;
    for (const auto& r : tx.query(
             "SELECT DISTINCT m.creditor_id, m.currency FROM payment_matches m WHERE m.account_owner = 'agency' AND "
             "m.created_at < $1 AND ((NOT EXISTS (SELECT 1 FROM payout_items i WHERE i.match_id = m.id AND "
             "i.kind = 'paid') AND m.undone_at IS NULL) OR (m.undone_at IS NOT NULL AND EXISTS (SELECT 1 FROM "
             "payout_items i WHERE i.match_id = m.id AND i.kind = 'paid') AND NOT EXISTS (SELECT 1 FROM payout_items "
             "i WHERE i.match_id = m.id AND i.kind = 'clawback'))) ORDER BY m.creditor_id, m.currency",
             {until}))
        out.push_back(PayoutDue{r.integer(0), r.text(1)});
    return out;
}

std::vector<PayoutLine> payoutLines(Tx& tx, std::int64_t creditorId, const std::string& currency,
                                    const std::string& until) {
    std::vector<PayoutLine> out;
    const std::string base =
        "SELECT m.id, m.dossier_id, m.line_id, m.amount_minor, d.reference, COALESCE(l.booking_date, ''), "
        "COALESCE(l.counterparty_name, ''), m.interest_minor, m.costs_minor, COALESCE((SELECT p.kept_minor FROM "
        "payout_items p WHERE p.match_id = m.id AND p.kind = 'paid'), 0) FROM payment_matches m JOIN dossiers d ON d.id = m.dossier_id "
        "AND d.creditor_id = m.creditor_id "
        "JOIN statement_lines l ON l.id = m.line_id WHERE m.creditor_id = $1 AND m.currency = $2 AND "
        "m.account_owner = 'agency' AND m.created_at < $3 AND ";
    for (const auto& r : tx.query(base + "m.undone_at IS NULL AND NOT EXISTS (SELECT 1 FROM payout_items i WHERE "
                                         "i.match_id = m.id AND i.kind = 'paid') ORDER BY m.id",
                                  {creditorId, currency, until}))
        out.push_back(PayoutLine{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(7), r.integer(8), 0,
                                 "paid", r.text(4), r.text(5), r.text(6), ""});
    for (const auto& r : tx.query(base + "m.undone_at IS NOT NULL AND EXISTS (SELECT 1 FROM payout_items i WHERE "
                                         "i.match_id = m.id AND i.kind = 'paid') AND NOT EXISTS (SELECT 1 FROM "
                                         "payout_items i WHERE i.match_id = m.id AND i.kind = 'clawback') ORDER BY m.id",
                                  {creditorId, currency, until}))
        out.push_back(PayoutLine{r.integer(0), r.integer(1), r.integer(2), -r.integer(3), -r.integer(7), -r.integer(8),
                                 -r.integer(9), "clawback", r.text(4), r.text(5), r.text(6), ""});
    std::map<std::int64_t, std::string> numbers;
    for (auto& l : out) {
        if (!numbers.count(l.dossierId)) {
            std::string n;
            for (const auto& r : tx.query("SELECT number FROM invoices WHERE dossier_id = $1 ORDER BY id", {l.dossierId}))
                n += (n.empty() ? "" : " ") + r.text(0);
            numbers[l.dossierId] = n;
        }
        l.invoiceNumbers = numbers[l.dossierId];
    }
    return out;
}

std::optional<std::int64_t> insertPayout(Tx& tx, const PayoutRecord& p, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO payouts (creditor_id, currency, period_end, gross_minor, fee_minor, amount_minor, payments, "
        "end_to_end_id, file_name, statement_sha256, created_at, kept_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
        {p.creditorId, p.currency, p.periodEnd, p.grossMinor, p.feeMinor, p.amountMinor, p.payments, p.endToEndId,
         text(p.fileName), text(p.statementSha256), now, p.keptMinor});
    if (!r) return std::nullopt;
    return r->integer(0);
}

void insertPayoutItem(Tx& tx, std::int64_t creditorId, std::int64_t payoutId, const PayoutLine& l) {
    tx.exec("INSERT INTO payout_items (creditor_id, payout_id, match_id, kind, amount_minor, interest_minor, "
            "costs_minor, kept_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {creditorId, payoutId, l.matchId, l.kind, l.amountMinor, l.interestMinor, l.costsMinor, l.keptMinor});
}

void setPayoutFile(Tx& tx, std::int64_t payoutId, const std::string& fileName, const std::string& statementSha) {
    tx.exec("UPDATE payouts SET file_name = $2, statement_sha256 = $3 WHERE id = $1", {payoutId, fileName, statementSha});
}

std::vector<PayoutRecord> payouts(Tx& tx, Scope scope) {
    std::vector<Value> p;
    std::string where;
    if (scope) {
        p.push_back(*scope);
        where = " WHERE creditor_id = $1";
    }
    std::vector<PayoutRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, currency, period_end, gross_minor, fee_minor, amount_minor, "
                                  "payments, end_to_end_id, COALESCE(file_name, ''), COALESCE(statement_sha256, ''), kept_minor "
                                  "FROM payouts" + where + " ORDER BY id",
                                  p))
        out.push_back(PayoutRecord{r.integer(0), r.integer(1), r.text(2), r.text(3), r.integer(4), r.integer(5),
                                   r.integer(6), r.integer(7), r.text(8), r.text(9), r.text(10), r.integer(11)});
    return out;
}

}  // namespace duegate::store::payments
