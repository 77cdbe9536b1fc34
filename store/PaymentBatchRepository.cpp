#include "store/PaymentBatchRepository.h"

#include "store/Chunks.h"
#include "store/DossierRepository.h"
#include "store/PgCopy.h"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

namespace duegate::store::payments {
namespace {

Value text(const std::string& s) { return s.empty() ? nullValue() : Value(s); }

// "($n+1,...,$n+cols)" appended to sql; parameters are numbered in the order they are written, so
// SQLite gets plain `?` (store/Sql.cpp).
void valuesRow(std::string& sql, std::size_t firstParam, std::size_t cols) {
    sql += '(';
    for (std::size_t c = 0; c < cols; ++c) {
        if (c) sql += ',';
        sql += '$';
        sql += std::to_string(firstParam + c + 1);
    }
    sql += ')';
}

// "$n+1,...,$n+count" for an IN list.
std::string placeholders(std::size_t firstParam, std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count; ++i) {
        if (i) s += ',';
        s += '$';
        s += std::to_string(firstParam + i + 1);
    }
    return s;
}

template <class F>
void inChunks(Tx& tx, std::size_t n, std::size_t chunk, F&& f) {
    for (std::size_t start = 0, end = 0; start < n; start = end) {
        end = chunkEnd(tx.dialect(), start, n, chunk);
        f(start, end);
    }
}

std::vector<Contact> contacts(Tx& tx, const char* table, const std::vector<std::int64_t>& ids) {
    std::vector<Contact> out;
    inChunks(tx, ids.size(), 500, [&](std::size_t start, std::size_t end) {
        std::vector<Value> p(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(end));
        for (const auto& r : tx.query(std::string("SELECT id, name, email FROM ") + table + " WHERE id IN (" +
                                          placeholders(0, end - start) + ")",
                                      p))
            out.push_back(Contact{r.integer(0), r.text(1), r.optText(2)});
    });
    return out;
}

std::string keyOf(const std::string& owner, const std::string& iban, const std::string& lineKey) {
    std::string k;
    k.reserve(owner.size() + iban.size() + lineKey.size() + 2);
    k.append(owner).append(1, '\x1f').append(iban).append(1, '\x1f').append(lineKey);
    return k;
}

// The keys of `lines[start, end)` already stored, as keyOf gives them: one query through the
// UNIQUE key's index (PostgreSQL: arrays unnested; SQLite: a VALUES list).
std::vector<std::string> storedKeys(Tx& tx, const std::vector<LineRecord>& lines, const std::vector<std::size_t>& which) {
    std::vector<std::string> out;
    if (tx.dialect() == Dialect::PostgreSQL) {
        std::vector<std::string> owners, ibans, keys;
        for (auto i : which) {
            owners.push_back(lines[i].accountOwner);
            ibans.push_back(lines[i].accountIban);
            keys.push_back(lines[i].lineKey);
        }
        for (const auto& r :
             tx.query("SELECT l.account_owner, l.account_iban, l.line_key FROM unnest($1::text[], $2::text[], "
                      "$3::text[]) AS k(o, i, lk) JOIN statement_lines l ON l.account_owner = k.o AND "
                      "l.account_iban = k.i AND l.line_key = k.lk",
                      {pgcopy::textArray(owners), pgcopy::textArray(ibans), pgcopy::textArray(keys)}))
            out.push_back(keyOf(r.text(0), r.text(1), r.text(2)));
        return out;
    }
    std::vector<Value> p;
    std::string sql;
    inChunks(tx, which.size(), 400, [&](std::size_t start, std::size_t end) {
        p.clear();
        sql = "SELECT l.account_owner, l.account_iban, l.line_key FROM (VALUES ";
        for (std::size_t n = start; n < end; ++n) {
            const auto& l = lines[which[n]];
            if (n > start) sql += ',';
            valuesRow(sql, p.size(), 3);
            p.emplace_back(l.accountOwner);
            p.emplace_back(l.accountIban);
            p.emplace_back(l.lineKey);
        }
        sql += ") AS k JOIN statement_lines l ON l.account_owner = k.column1 AND l.account_iban = k.column2 AND "
               "l.line_key = k.column3";
        for (const auto& r : tx.query(sql, p)) out.push_back(keyOf(r.text(0), r.text(1), r.text(2)));
    });
    return out;
}

// PostgreSQL: the lines by COPY (store/PgCopy.h) instead of a 400-row INSERT ... ON CONFLICT; each
// with its state (0023). COPY has no ON CONFLICT, so what ON CONFLICT DO NOTHING decided is decided
// by reserveLines. A concurrent writer of the same key cannot slip in between: every writer of
// lines holds the matching lock (PaymentService: lockMatching) for its transaction; were one not
// to, the UNIQUE key still refuses the second row and the whole import rolls back.
void copyReservedLines(Tx& tx, const std::vector<LineWithState>& rows, const std::string& now, StoredKeys stored) {
    static const std::string copy =
        "COPY statement_lines (id, statement_id, account_owner, creditor_id, account_iban, line_key, booking_date, "
        "value_date, amount_minor, currency, exponent, counterparty_name, counterparty_iban, counterparty_bic, "
        "reference_kind, reference, remittance, bank_reference, end_to_end_id, reversal, return_reason, created_at, "
        "state, rule, reason, suggestions, applied_minor) FROM STDIN";
    pgcopy::Rows data;
    for (const auto& [lp, st] : rows) {
        const auto& l = *lp;
        data.integer(l.id).integer(l.statementId).text(l.accountOwner);
        if (l.creditorId) data.integer(*l.creditorId);
        else data.null();
        data.text(l.accountIban).text(l.lineKey).textOrNull(l.bookingDate).textOrNull(l.valueDate)
            .integer(l.amountMinor).text(l.currency).integer(l.exponent).textOrNull(l.counterpartyName)
            .textOrNull(l.counterpartyIban).textOrNull(l.counterpartyBic).textOrNull(l.referenceKind)
            .textOrNull(l.reference).textOrNull(l.remittance).textOrNull(l.bankReference)
            .textOrNull(l.endToEndId).integer(l.reversal ? 1 : 0).textOrNull(l.returnReason).text(now)
            .text(st.state).textOrNull(st.rule).textOrNull(st.reason).textOrNull(st.suggestions)
            .integer(st.appliedMinor);
        data.endRow();
    }
    // Not waited for: the server stores the lines while the import parses the next entries and
    // matches; the next statement reads the result first.
    pgcopy::copyIn(tx, copy, data, pgcopy::Wait::Later, [stored](const UniqueViolation& e) {
        if (stored == StoredKeys::Unlikely) throw LineKeyTaken(e.what());
    });
}

}  // namespace

std::vector<std::pair<std::size_t, std::int64_t>> reserveLines(Tx& tx, const std::vector<LineRecord>& lines,
                                                               StoredKeys stored) {
    std::vector<std::pair<std::size_t, std::int64_t>> out;
    std::int64_t sqliteNext = 0;  // SQLite: the next id to hand out, once read
    constexpr std::size_t kChunk = 2000;
    for (std::size_t start = 0; start < lines.size(); start += kChunk) {
        const std::size_t end = std::min(lines.size(), start + kChunk);
        // The first line of each key in the chunk, as ON CONFLICT DO NOTHING keeps it.
        std::unordered_map<std::string, std::size_t> first;
        std::vector<std::size_t> distinct;
        for (std::size_t i = start; i < end; ++i) {
            const auto& l = lines[i];
            if (first.emplace(keyOf(l.accountOwner, l.accountIban, l.lineKey), i).second) distinct.push_back(i);
        }
        if (stored == StoredKeys::Skip)
            for (const auto& k : storedKeys(tx, lines, distinct)) first.erase(k);
        std::vector<std::size_t> fresh;
        fresh.reserve(first.size());
        for (const auto& [key, i] : first) fresh.push_back(i);
        if (fresh.empty()) continue;
        std::sort(fresh.begin(), fresh.end());
        std::vector<std::int64_t> ids;
        ids.reserve(fresh.size());
        if (tx.dialect() == Dialect::PostgreSQL) {
            for (const auto& r : tx.query("SELECT nextval('statement_lines_id_seq') FROM generate_series(1, " +
                                          std::to_string(fresh.size()) + ")"))
                ids.push_back(r.integer(0));
            if (ids.size() != fresh.size()) throw StoreError("statement_lines: the sequence gave too few ids");
            std::sort(ids.begin(), ids.end());
        } else {
            // AUTOINCREMENT: above every id ever handed out (sqlite_sequence) and every id stored.
            if (!sqliteNext) {
                const auto top = tx.queryOne("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = "
                                             "'statement_lines'), 0), COALESCE((SELECT MAX(id) FROM statement_lines), 0))");
                sqliteNext = (top ? top->integer(0) : 0) + 1;
            }
            for (std::size_t n = 0; n < fresh.size(); ++n) ids.push_back(sqliteNext++);
        }
        for (std::size_t n = 0; n < fresh.size(); ++n) out.emplace_back(fresh[n], ids[n]);
    }
    return out;
}

void insertReservedLines(Tx& tx, const std::vector<LineWithState>& rows, const std::string& now, StoredKeys stored) {
    if (rows.empty()) return;
    if (tx.dialect() == Dialect::PostgreSQL) return copyReservedLines(tx, rows, now, stored);
    // 27 parameters a row: 400 rows stay under SQLite's 32766-parameter bound. No ON CONFLICT: the
    // keys were decided by reserveLines, and a stored one must fail (StoredKeys::Unlikely).
    constexpr std::size_t kCols = 27;
    std::vector<Value> params;
    std::string sql;
    inChunks(tx, rows.size(), 400, [&](std::size_t start, std::size_t end) {
        params.clear();
        params.reserve((end - start) * kCols);
        sql = "INSERT INTO statement_lines (id, statement_id, account_owner, creditor_id, account_iban, line_key, "
              "booking_date, value_date, amount_minor, currency, exponent, counterparty_name, counterparty_iban, "
              "counterparty_bic, reference_kind, reference, remittance, bank_reference, end_to_end_id, reversal, "
              "return_reason, created_at, state, rule, reason, suggestions, applied_minor) VALUES ";
        sql.reserve(sql.size() + (end - start) * kCols * 8);
        for (std::size_t i = start; i < end; ++i) {
            const auto& [l, st] = rows[i];
            if (i > start) sql += ',';
            valuesRow(sql, params.size(), kCols);
            params.emplace_back(l->id);
            appendLineValues(params, *l, now);
            params.emplace_back(st.state);
            params.push_back(text(st.rule));
            params.push_back(text(st.reason));
            params.push_back(text(st.suggestions));
            params.emplace_back(st.appliedMinor);
        }
        try {
            tx.exec(sql, params);
        } catch (const UniqueViolation& e) {
            if (stored == StoredKeys::Unlikely) throw LineKeyTaken(e.what());
            throw;
        }
    });
}

std::vector<std::pair<std::size_t, std::int64_t>> insertLinesReturning(Tx& tx, const std::vector<LineRecord>& lines,
                                                                       const std::string& now, StoredKeys stored) {
    const auto reserved = reserveLines(tx, lines, stored);
    std::vector<LineRecord> fresh;
    fresh.reserve(reserved.size());
    for (const auto& [pos, id] : reserved) {
        fresh.push_back(lines[pos]);
        fresh.back().id = id;
    }
    std::vector<LineWithState> rows;
    rows.reserve(fresh.size());
    for (const auto& l : fresh) rows.push_back(LineWithState{&l, LineState{l.id, "new", "", "", "", 0}});
    insertReservedLines(tx, rows, now, stored);
    return reserved;
}

void updateNewStates(Tx& tx, const std::vector<LineState>& states, const std::string& now) {
    std::vector<Value> p;
    std::string sql;
    inChunks(tx, states.size(), 500, [&](std::size_t start, std::size_t end) {
        p.assign({now});
        // VALUES columns are column1.. on both dialects; parameters carry no type, hence the casts.
        sql = "UPDATE statement_lines SET state = v.column2, rule = v.column3, reason = v.column4, "
              "suggestions = v.column5, applied_minor = CAST(v.column6 AS BIGINT), state_updated_at = $1 FROM (VALUES ";
        for (std::size_t i = start; i < end; ++i) {
            const auto& s = states[i];
            if (i > start) sql += ',';
            valuesRow(sql, p.size(), 6);
            p.emplace_back(s.lineId);
            p.emplace_back(s.state);
            p.push_back(text(s.rule));
            p.push_back(text(s.reason));
            p.push_back(text(s.suggestions));
            p.emplace_back(s.appliedMinor);
        }
        sql += ") AS v WHERE statement_lines.id = CAST(v.column1 AS BIGINT) AND statement_lines.state = 'new'";
        tx.exec(sql, p);
    });
}

std::vector<DossierAmounts> dossierAmounts(Tx& tx, const std::vector<std::int64_t>& ids) {
    std::vector<DossierAmounts> out;
    inChunks(tx, ids.size(), 500, [&](std::size_t start, std::size_t end) {
        std::vector<Value> p(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(end));
        // Costs and interest still owed as charges::outstanding computes them (claims - the kind's part
        // of the live matches); only a dossier with claims can owe any, so the others skip the sums.
        const char* owed =
            "CASE WHEN EXISTS (SELECT 1 FROM dossier_charges c WHERE c.creditor_id = d.creditor_id AND c.dossier_id = d.id) THEN "
            "COALESCE((SELECT SUM(c.amount_minor) FROM dossier_charges c WHERE c.creditor_id = d.creditor_id AND c.dossier_id = d.id AND c.kind = '%K'), 0) "
            "- COALESCE((SELECT SUM(m.%M) FROM payment_matches m WHERE m.creditor_id = d.creditor_id AND m.dossier_id = d.id AND m.undone_at IS NULL), 0) "
            "ELSE 0 END";
        auto owedOf = [&](const std::string& kind, const std::string& column) {
            std::string q = owed;
            q.replace(q.find("%K"), 2, kind);
            q.replace(q.find("%M"), 2, column);
            return q;
        };
        for (const auto& r : tx.query("SELECT d.id, d.creditor_id, d.debtor_id, d.open_minor, d.paid_minor, d.reference, "
                                      "d.status, d.currency, b.country, " + owedOf("costs", "costs_minor") + ", " +
                                          owedOf("interest", "interest_minor") +
                                          " FROM dossiers d LEFT JOIN debtors b ON b.id = d.debtor_id AND b.creditor_id = d.creditor_id WHERE d.id IN (" +
                                          placeholders(0, end - start) + ")",
                                      p))
            out.push_back(DossierAmounts{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4),
                                         r.text(5), r.text(6), r.text(7), r.optText(8), r.integer(9), r.integer(10)});
    });
    return out;
}

std::vector<Contact> creditorContacts(Tx& tx, const std::vector<std::int64_t>& ids) {
    return contacts(tx, "creditors", ids);
}

std::vector<Contact> debtorContacts(Tx& tx, const std::vector<std::int64_t>& ids) {
    return contacts(tx, "debtors", ids);
}

std::vector<std::int64_t> insertMatches(Tx& tx, const std::vector<MatchRecord>& matches) {
    std::vector<std::int64_t> ids(matches.size(), 0);
    if (tx.dialect() == Dialect::PostgreSQL && !matches.empty()) {
        // By COPY, ids from the table's sequence in input order (as the INSERT gave them); not
        // waited for: the next statement reads its result first (store/PgCopy.h).
        std::size_t n = 0;
        for (const auto& r : tx.query("SELECT nextval('payment_matches_id_seq') FROM generate_series(1, " +
                                      std::to_string(matches.size()) + ")"))
            if (n < ids.size()) ids[n++] = r.integer(0);
        if (n != ids.size()) throw StoreError("payment_matches: the sequence gave too few ids");
        std::sort(ids.begin(), ids.end());
        pgcopy::Rows rows;
        for (std::size_t i = 0; i < matches.size(); ++i) {
            const auto& m = matches[i];
            rows.integer(ids[i]).integer(m.creditorId).integer(m.dossierId).integer(m.lineId).text(m.accountOwner)
                .integer(m.amountMinor).text(m.currency).text(m.rule).textOrNull(m.fields).text(m.actor)
                .text(m.createdAt).integer(m.costsMinor).integer(m.interestMinor);
            rows.endRow();
        }
        pgcopy::copyIn(tx, "COPY payment_matches (id, creditor_id, dossier_id, line_id, account_owner, amount_minor, "
                           "currency, rule, fields, actor, created_at, costs_minor, interest_minor) FROM STDIN",
                       rows, pgcopy::Wait::Later);
        return ids;
    }
    constexpr std::size_t kCols = 12;
    std::vector<Value> p;
    std::string sql;
    inChunks(tx, matches.size(), 500, [&](std::size_t start, std::size_t end) {
        p.clear();
        sql = "INSERT INTO payment_matches (creditor_id, dossier_id, line_id, account_owner, amount_minor, currency, "
              "rule, fields, actor, created_at, costs_minor, interest_minor) VALUES ";
        // Rows are matched back by (line, dossier, amount, split); identical rows are interchangeable.
        std::unordered_map<std::string, std::deque<std::size_t>> where;
        auto key = [](std::int64_t line, std::int64_t dossier, std::int64_t amount, std::int64_t costs,
                      std::int64_t interest) {
            return std::to_string(line) + ':' + std::to_string(dossier) + ':' + std::to_string(amount) + ':' +
                   std::to_string(costs) + ':' + std::to_string(interest);
        };
        for (std::size_t i = start; i < end; ++i) {
            const auto& m = matches[i];
            if (i > start) sql += ',';
            valuesRow(sql, p.size(), kCols);
            p.emplace_back(m.creditorId);
            p.emplace_back(m.dossierId);
            p.emplace_back(m.lineId);
            p.emplace_back(m.accountOwner);
            p.emplace_back(m.amountMinor);
            p.emplace_back(m.currency);
            p.emplace_back(m.rule);
            p.push_back(text(m.fields));
            p.emplace_back(m.actor);
            p.emplace_back(m.createdAt);
            p.emplace_back(m.costsMinor);
            p.emplace_back(m.interestMinor);
            where[key(m.lineId, m.dossierId, m.amountMinor, m.costsMinor, m.interestMinor)].push_back(i);
        }
        sql += " RETURNING id, line_id, dossier_id, amount_minor, costs_minor, interest_minor";
        auto rows = tx.query(sql, p);
        std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.integer(0) < b.integer(0); });
        for (const auto& r : rows) {
            auto& q = where[key(r.integer(1), r.integer(2), r.integer(3), r.integer(4), r.integer(5))];
            if (q.empty()) throw StoreError("inserted match not found in its batch");
            ids[q.front()] = r.integer(0);
            q.pop_front();
        }
    });
    return ids;
}

void setPaidMany(Tx& tx, const std::vector<DossierPaid>& rows, const std::string& now) {
    // A status change goes through the one guarded writer (dossiers::transition, one statement per
    // pair of statuses); the many rows whose status stays are updated together, fenced by that status
    // the same way.
    std::vector<const DossierPaid*> same;
    std::map<std::pair<std::string, std::string>, std::vector<dossiers::AmountsOf>> moves;  // (from, to)
    for (const auto& r : rows) {
        if (r.from != r.status) moves[{r.from, r.status}].push_back({r.id, r.openMinor, r.paidMinor});
        else same.push_back(&r);
    }
    for (const auto& [fromTo, many] : moves) dossiers::transition(tx, many, fromTo.first, fromTo.second, now);
    std::vector<Value> p;
    std::string sql;
    inChunks(tx, same.size(), 500, [&](std::size_t start, std::size_t end) {
        p.assign({now});
        sql = "UPDATE dossiers SET paid_minor = CAST(v.column2 AS BIGINT), open_minor = CAST(v.column3 AS BIGINT), "
              "updated_at = $1 FROM (VALUES ";
        for (std::size_t i = start; i < end; ++i) {
            if (i > start) sql += ',';
            valuesRow(sql, p.size(), 4);
            p.emplace_back(same[i]->id);
            p.emplace_back(same[i]->paidMinor);
            p.emplace_back(same[i]->openMinor);
            p.emplace_back(same[i]->status);
        }
        sql += ") AS v WHERE dossiers.id = CAST(v.column1 AS BIGINT) AND dossiers.status = v.column4";
        if (tx.exec(sql, p) != end - start)
            throw StaleState("a dossier's status changed under a payment batch: changed by another transaction");
    });
}

std::size_t cancelPlannedMessagesOf(Tx& tx, const std::vector<std::int64_t>& dossierIds, const std::string& why,
                                    const std::string& now) {
    std::size_t n = 0;
    inChunks(tx, dossierIds.size(), 500, [&](std::size_t start, std::size_t end) {
        std::vector<Value> p{why, now};
        p.insert(p.end(), dossierIds.begin() + static_cast<std::ptrdiff_t>(start),
                 dossierIds.begin() + static_cast<std::ptrdiff_t>(end));
        n += tx.exec("UPDATE outbound_messages SET state = 'failed', last_error = $1, updated_at = $2 WHERE "
                     "state = 'planned' AND purpose <> 'payment_thanks' AND dossier_id IN (" +
                         placeholders(2, end - start) + ")",
                     p);
    });
    return n;
}

}  // namespace duegate::store::payments
