#include "store/Sql.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <atomic>

namespace duegate::store {
namespace {

using Poco::Data::Statement;

void bindAll(Statement& st, const std::vector<Value>& params) {
    using Poco::Data::Keywords::bind;
    for (const auto& p : params) {
        if (std::holds_alternative<std::int64_t>(p)) {
            st, bind(static_cast<Poco::Int64>(std::get<std::int64_t>(p)));
        } else if (std::holds_alternative<std::string>(p)) {
            st, bind(std::get<std::string>(p));
        } else {
            st, bind(Poco::Nullable<std::string>());
        }
    }
}

std::atomic<const StatementObserver*> g_observer{nullptr};

void observe(const std::string& sql, const std::vector<Value>& params) {
    if (const auto* o = g_observer.load(std::memory_order_acquire)) (*o)(sql, params);
}

// SQLite reads `$1` as a *named* parameter numbered by first appearance, so "SET a = $2 WHERE b = $1"
// would bind the wrong values; `?NNN` is explicitly numbered. PostgreSQL wants `$N` as written.
// When every parameter appears exactly once and in order ($1, $2, ... as multi-row INSERTs write
// them), plain `?` means the same and avoids SQLite's per-parameter name lookup, which is linear in
// the number of parameters (a 400-row INSERT would spend most of its time there).
std::string forDialect(const std::string& sql, Dialect d) {
    if (d != Dialect::SQLite) return sql;
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    bool sequential = true;
    {
        bool inString = false;
        long expected = 1;
        for (std::size_t i = 0; i < sql.size() && sequential; ++i) {
            if (sql[i] == '\'') inString = !inString;
            if (inString || sql[i] != '$' || i + 1 >= sql.size() || !isDigit(sql[i + 1])) continue;
            long n = 0;
            std::size_t j = i + 1;
            while (j < sql.size() && isDigit(sql[j])) n = n * 10 + (sql[j++] - '0');
            sequential = n == expected++;
            i = j - 1;
        }
    }
    std::string out;
    out.reserve(sql.size());
    bool inString = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'') inString = !inString;
        if (!inString && c == '$' && i + 1 < sql.size() && isDigit(sql[i + 1])) {
            out += '?';
            if (sequential) {
                while (i + 1 < sql.size() && isDigit(sql[i + 1])) ++i;
            }
            continue;
        }
        out += c;
    }
    return out;
}

[[noreturn]] void rethrow(const Poco::Exception& e, const std::string& sql) {
    const std::string text = e.displayText();
    if (text.find("UNIQUE constraint failed") != std::string::npos || text.find("duplicate key") != std::string::npos ||
        text.find("23505") != std::string::npos)
        throw UniqueViolation(text);
    throw StoreError(text + " [in: " + sql.substr(0, 160) + "]");
}

}  // namespace

Value optionalText(const std::optional<std::string>& v) { return v ? Value(*v) : nullValue(); }
Value optionalInt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : nullValue(); }

std::int64_t Row::integer(std::size_t i) const {
    const auto& c = _cells.at(i);
    if (!c) throw StoreError("column " + std::to_string(i) + " is NULL, expected an integer");
    try {
        return std::stoll(*c);
    } catch (const std::exception&) {
        throw StoreError("column " + std::to_string(i) + " is not an integer: " + *c);
    }
}

std::string Row::text(std::size_t i) const { return _cells.at(i).value_or(""); }

std::optional<std::string> Row::optText(std::size_t i) const { return _cells.at(i); }

std::optional<std::int64_t> Row::optInteger(std::size_t i) const {
    if (!_cells.at(i)) return std::nullopt;
    return integer(i);
}

void setStatementObserver(StatementObserver observer) {
    static StatementObserver current;  // outlives every reader: only swapped while no Tx runs
    g_observer.store(nullptr, std::memory_order_release);
    current = std::move(observer);
    if (current) g_observer.store(&current, std::memory_order_release);
}

std::vector<Row> Tx::query(const std::string& sql, const std::vector<Value>& params) {
    observe(sql, params);
    try {
        Statement st(_session);
        st << forDialect(sql, _dialect);
        bindAll(st, params);
        st.execute();
        Poco::Data::RecordSet rs(st);
        std::vector<Row> rows;
        const std::size_t cols = rs.columnCount();
        rows.reserve(rs.rowCount());
        for (std::size_t r = 0; r < rs.rowCount(); ++r) {
            std::vector<std::optional<std::string>> cells(cols);
            for (std::size_t c = 0; c < cols; ++c) {
                if (rs.isNull(c, r)) continue;
                const Poco::Dynamic::Var v = rs.value(c, r);
                if (v.isEmpty()) continue;
                if (v.isBoolean()) cells[c] = v.extract<bool>() ? "1" : "0";
                else cells[c] = v.convert<std::string>();
            }
            rows.emplace_back(std::move(cells));
        }
        return rows;
    } catch (const Poco::Exception& e) {
        rethrow(e, sql);
    }
}

std::optional<Row> Tx::queryOne(const std::string& sql, const std::vector<Value>& params) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::size_t Tx::exec(const std::string& sql, const std::vector<Value>& params) {
    observe(sql, params);
    try {
        Statement st(_session);
        st << forDialect(sql, _dialect);
        bindAll(st, params);
        return st.execute();
    } catch (const Poco::Exception& e) {
        rethrow(e, sql);
    }
}

std::int64_t Tx::insertReturningId(const std::string& sql, const std::vector<Value>& params) {
    auto row = queryOne(sql, params);
    if (!row) throw StoreError("INSERT ... RETURNING returned no row: " + sql.substr(0, 160));
    return row->integer(0);
}

void Tx::begin(bool readOnly) {
    exec(_dialect == Dialect::SQLite && !readOnly ? "BEGIN IMMEDIATE" : "BEGIN");
    _open = true;
}

void Tx::commit() {
    exec("COMMIT");
    _open = false;
}

bool Tx::rollback() {
    if (!_open) return true;
    _open = false;
    try {
        exec("ROLLBACK");
        return true;
    } catch (const StoreError&) {
        // The connection is already out of the transaction (e.g. the server ended it); nothing to undo,
        // but the caller must not hand this connection out again.
        return false;
    }
}

}  // namespace duegate::store
