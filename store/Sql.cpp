#include "store/Sql.h"


#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <list>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace duegate::store {
namespace {

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

[[noreturn]] void fail(const std::string& text, const std::string& sql) {
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
    std::int64_t v = 0;
    const char* end = c->data() + c->size();
    if (auto [p, ec] = std::from_chars(c->data(), end, v); ec == std::errc() && p == end) return v;
    try {  // what from_chars does not take whole ("+5", " 5", "5.0"): as before
        return std::stoll(*c);
    } catch (const std::exception&) {
        throw StoreError("column " + std::to_string(i) + " is not an integer: " + *c);
    }
}

std::string Row::text(std::size_t i) const { return _cells.at(i).value_or(""); }

std::optional<std::string> Row::optText(std::size_t i) const { return _cells.at(i); }

std::string Row::takeText(std::size_t i) {
    auto& c = _cells.at(i);
    return c ? std::move(*c) : std::string();
}

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

// The compiled statements of one connection (Sql.h, StatementCache), most recently used first.
struct StatementCache::Impl {
    struct Entry {
        std::string sql;             // as the caller wrote it (the key)
        sqlite3_stmt* st = nullptr;  // SQLite
        std::string name;            // PostgreSQL: the server-side prepared statement
    };
    sqlite3* db = nullptr;  // the handle (and backend) the entries were compiled on
    PGconn* pg = nullptr;
    int backend = 0;
    std::size_t capacity = kCapacity;
    std::list<Entry> entries;
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views of Entry::sql

    ~Impl() { clear(); }
    // PostgreSQL statements need no DEALLOCATE here: they end with their backend connection, and a
    // cache is cleared only when that connection closes or is no longer the one it was filled on.
    void clear() {
        for (auto& e : entries)
            if (e.st) sqlite3_finalize(e.st);
        index.clear();
        entries.clear();
    }
    // A Tx on another handle or another server process than the entries were made on: drop them.
    void attach(sqlite3* d, PGconn* p) {
        const int pid = p ? PQbackendPID(p) : 0;
        if (d == db && p == pg && pid == backend) return;
        clear();
        db = d;
        pg = p;
        backend = pid;
    }
    Entry* find(const std::string& sql) {
        auto it = index.find(std::string_view(sql));
        if (it == index.end()) return nullptr;
        if (it->second != entries.begin()) entries.splice(entries.begin(), entries, it->second);
        return &*it->second;
    }
    Entry& add(Entry e) {
        while (entries.size() >= capacity) {
            Entry& old = entries.back();
            index.erase(std::string_view(old.sql));
            if (old.st) sqlite3_finalize(old.st);
            if (!old.name.empty() && pg) {
                // Outside of an aborted transaction (a prepare just succeeded); a failure only
                // leaves the statement on the server until the connection closes.
                if (PGresult* r = PQexec(pg, ("DEALLOCATE " + old.name).c_str())) PQclear(r);
            }
            entries.pop_back();
        }
        entries.push_front(std::move(e));
        index.emplace(std::string_view(entries.front().sql), entries.begin());
        return entries.front();
    }
};

StatementCache::StatementCache() : impl(std::make_unique<Impl>()) {}
StatementCache::~StatementCache() = default;
std::size_t StatementCache::size() const { return impl->entries.size(); }

// One connection's native handle and where its compiled statements are kept: the connection's
// cache, or for statements longer than kLongStatement (one-off multi-row INSERTs of an import, each
// row count its own text) and Tx without a cache, a cache of this transaction only.
struct Tx::Native {
    static constexpr std::size_t kLongStatement = 4096;
    sqlite3* db = nullptr;
    PGconn* pg = nullptr;
    StatementCache::Impl* shared = nullptr;
    std::unique_ptr<StatementCache::Impl> local;

    StatementCache::Impl& cacheFor(const std::string& sql) {
        if (shared && sql.size() <= kLongStatement) return *shared;
        if (!local) {
            local = std::make_unique<StatementCache::Impl>();
            local->capacity = 64;
            local->attach(db, nullptr);  // PostgreSQL: long statements are not prepared (below)
        }
        return *local;
    }

    std::vector<Row> sqlite(const std::string& original, const std::vector<Value>& params, bool wantRows,
                            std::size_t* changes);
    std::vector<Row> postgres(const std::string& sql, const std::vector<Value>& params, bool wantRows,
                              std::size_t* changes);
};

namespace {

std::string sqliteError(sqlite3* db) {
    return std::string(sqlite3_errmsg(db)) + " (SQLite " + std::to_string(sqlite3_extended_errcode(db)) + ")";
}

// True when what follows a statement is only blanks or comments (a second statement would not run).
bool nothingMore(sqlite3* db, const char* tail) {
    while (tail && *tail) {
        sqlite3_stmt* next = nullptr;
        const char* rest = nullptr;
        if (sqlite3_prepare_v2(db, tail, -1, &next, &rest) != SQLITE_OK) return false;
        if (next) {
            sqlite3_finalize(next);
            return false;
        }
        if (rest == tail) break;
        tail = rest;
    }
    return true;
}

}  // namespace

std::vector<Row> Tx::Native::sqlite(const std::string& original, const std::vector<Value>& params, bool wantRows,
                                    std::size_t* changes) {
    auto& cache = cacheFor(original);
    sqlite3_stmt* st = nullptr;
    if (auto* e = cache.find(original)) {
        st = e->st;
    } else {
        const std::string sql = forDialect(original, Dialect::SQLite);
        const char* tail = nullptr;
        if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT, &st,
                               &tail) != SQLITE_OK)
            fail(sqliteError(db), original);
        if (!st) return {};  // nothing but a comment
        if (!nothingMore(db, tail)) {
            sqlite3_finalize(st);
            fail("one statement at a time", original);
        }
        cache.add(StatementCache::Impl::Entry{original, st, {}});
    }
    // Reset whatever happens, so the statement holds no lock and can run again.
    struct Reset {
        sqlite3_stmt* st;
        ~Reset() {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
        }
    } reset{st};
    const int expected = sqlite3_bind_parameter_count(st);
    if (static_cast<std::size_t>(expected) != params.size())
        fail("statement has " + std::to_string(expected) + " parameters, " + std::to_string(params.size()) + " given",
             original);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int at = static_cast<int>(i + 1);
        const auto& p = params[i];
        int rc;
        if (const auto* n = std::get_if<std::int64_t>(&p)) {
            rc = sqlite3_bind_int64(st, at, *n);
        } else if (const auto* t = std::get_if<std::string>(&p)) {
            // The values outlive the statement's run: no copy (SQLITE_STATIC).
            rc = sqlite3_bind_text(st, at, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
        } else {
            rc = sqlite3_bind_null(st, at);
        }
        if (rc != SQLITE_OK) fail(sqliteError(db), original);
    }
    std::vector<Row> rows;
    const int cols = sqlite3_column_count(st);
    if (wantRows) rows.reserve(16);
    for (;;) {
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) fail(sqliteError(db), original);
        if (!wantRows) continue;
        std::vector<std::optional<std::string>> cells(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) {
            const int type = sqlite3_column_type(st, c);
            if (type == SQLITE_NULL) continue;
            if (type == SQLITE_INTEGER) {
                // The same digits sqlite3_column_text would give, without SQLite converting the value
                // in place (an allocation per integer cell: ids and amounts of every row).
                char digits[24];
                const auto end = std::to_chars(digits, digits + sizeof digits, sqlite3_column_int64(st, c)).ptr;
                cells[static_cast<std::size_t>(c)].emplace(digits, end);
                continue;
            }
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            cells[static_cast<std::size_t>(c)].emplace(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
        }
        rows.emplace_back(std::move(cells));
    }
    if (changes) *changes = sqlite3_stmt_readonly(st) ? 0 : static_cast<std::size_t>(sqlite3_changes64(db));
    return rows;
}

std::vector<Row> Tx::Native::postgres(const std::string& sql, const std::vector<Value>& params, bool wantRows,
                                      std::size_t* changes) {
    // Text parameters of no stated type, as Poco::Data sent them: the server infers each one's type.
    std::vector<std::string> numbers;
    numbers.reserve(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
            numbers.push_back(std::to_string(*n));
            values[i] = numbers.back().c_str();
        } else if (const auto* t = std::get_if<std::string>(&params[i])) {
            values[i] = t->c_str();
        }
    }
    struct Result {
        PGresult* r;
        ~Result() { PQclear(r); }
    };
    auto failed = [&](PGresult* r) {
        std::string text = r ? PQresultErrorMessage(r) : PQerrorMessage(pg);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        if (const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr)
            text += std::string(" (SQLSTATE ") + state + ")";
        fail(text, sql);
    };
    const int n = static_cast<int>(params.size());
    Result res{nullptr};
    if (shared && sql.size() <= kLongStatement) {
        // Parsed and planned once per connection: a named prepared statement, then one round trip
        // per run, as PQexecParams.
        const auto* e = shared->find(sql);
        if (!e) {
            static std::atomic<std::uint64_t> names{0};  // never reused in this process
            std::string name = "dg_" + std::to_string(names.fetch_add(1, std::memory_order_relaxed) + 1);
            Result prepared{PQprepare(pg, name.c_str(), sql.c_str(), n, nullptr)};
            if (!prepared.r || PQresultStatus(prepared.r) != PGRES_COMMAND_OK) failed(prepared.r);
            e = &shared->add(StatementCache::Impl::Entry{sql, nullptr, std::move(name)});
        }
        res.r = PQexecPrepared(pg, e->name.c_str(), n, values.data(), nullptr, nullptr, 0);
    } else {
        res.r = PQexecParams(pg, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
    }
    const auto status = res.r ? PQresultStatus(res.r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) failed(res.r);
    if (changes) {
        const char* n = PQcmdTuples(res.r);
        *changes = n && *n ? static_cast<std::size_t>(std::strtoull(n, nullptr, 10)) : 0;
    }
    std::vector<Row> rows;
    if (!wantRows || status != PGRES_TUPLES_OK) return rows;
    const int count = PQntuples(res.r), cols = PQnfields(res.r);
    rows.reserve(static_cast<std::size_t>(count));
    constexpr Oid kBool = 16;  // booleans read as "1" / "0", as through Poco::Data
    for (int r = 0; r < count; ++r) {
        std::vector<std::optional<std::string>> cells(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) {
            if (PQgetisnull(res.r, r, c)) continue;
            const char* v = PQgetvalue(res.r, r, c);
            if (PQftype(res.r, c) == kBool) cells[static_cast<std::size_t>(c)] = (*v == 't') ? "1" : "0";
            else cells[static_cast<std::size_t>(c)].emplace(v, static_cast<std::size_t>(PQgetlength(res.r, r, c)));
        }
        rows.emplace_back(std::move(cells));
    }
    return rows;
}

Tx::Tx(Poco::Data::Session& session, Dialect dialect, StatementCache* cache)
    : _session(session), _dialect(dialect), _native(std::make_unique<Native>()) {
    if (dialect == Dialect::SQLite) {
        _native->db = Poco::Data::SQLite::Utility::dbHandle(session);
    } else {
        auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
        if (!impl) throw StoreError("store: not a PostgreSQL session");
        _native->pg = impl->handle();
    }
    if (!_native->db && !_native->pg) throw StoreError("store: the session has no open connection");
    if (cache) {
        cache->impl->attach(_native->db, _native->pg);
        _native->shared = cache->impl.get();
    }
}

Tx::~Tx() = default;

pg_conn* Tx::postgresConnection() const { return _native->pg; }

void Tx::deferResult(std::function<void()> collect) {
    if (_deferred) std::exchange(_deferred, nullptr)();
    _deferred = std::move(collect);
}

std::vector<Row> Tx::run(const std::string& sql, const std::vector<Value>& params, bool wantRows,
                         std::size_t* changes) {
    if (_deferred) std::exchange(_deferred, nullptr)();
    observe(sql, params);
    return _dialect == Dialect::SQLite ? _native->sqlite(sql, params, wantRows, changes)
                                       : _native->postgres(sql, params, wantRows, changes);
}

std::vector<Row> Tx::query(const std::string& sql, const std::vector<Value>& params) {
    return run(sql, params, true, nullptr);
}

std::optional<Row> Tx::queryOne(const std::string& sql, const std::vector<Value>& params) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

std::size_t Tx::exec(const std::string& sql, const std::vector<Value>& params) {
    std::size_t changes = 0;
    run(sql, params, false, &changes);
    return changes;
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
        if (_deferred) std::exchange(_deferred, nullptr)();
    } catch (const StoreError&) {
        // What it failed on is rolled back below.
    }
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
