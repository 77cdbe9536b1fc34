// The thin SQL layer every repository uses: a transaction handle with parameterised queries.
//
// Parameters are `$1, $2, ...` on both backends (Poco's PostgreSQL connector rejects `?`).
// Values are NULL, int64 or text; rows come back as Row with typed getters that convert what the
// backend returned (SQLite may return an integer column of an expression as text).
// Errors: a constraint violation throws UniqueViolation (so callers can rely on a UNIQUE
// constraint, not an `if`, for idempotency); anything else throws StoreError.
// Thread-safety: a Tx is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace Poco::Data { class Session; }
namespace Poco::Dynamic { class Var; }
struct pg_conn;  // libpq's PGconn

namespace duegate::store {

enum class Dialect { SQLite, PostgreSQL };

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct UniqueViolation : StoreError {
    using StoreError::StoreError;
};
// A guarded state change ("UPDATE ... WHERE state = from") found the row in another state: another
// transaction moved it first. The caller's transaction rolls back; nothing is overwritten.
struct StaleState : StoreError {
    using StoreError::StoreError;
};

using Value = std::variant<std::monostate, std::int64_t, std::string>;
inline Value nullValue() { return std::monostate{}; }
Value optionalText(const std::optional<std::string>& v);
Value optionalInt(const std::optional<std::int64_t>& v);

// Diagnostics hook (tests count a page's queries and EXPLAIN them): when set, every statement run
// through a Tx (query or exec; BEGIN and COMMIT included) is passed to it, in the thread that runs it.
// Process-wide; set or clear it only while no transaction runs. Unset costs one atomic load.
using StatementObserver = std::function<void(const std::string& sql, const std::vector<Value>& params)>;
void setStatementObserver(StatementObserver observer);

class Row {
public:
    explicit Row(std::vector<std::optional<std::string>> cells) : _cells(std::move(cells)) {}
    std::int64_t integer(std::size_t i) const;
    std::string text(std::size_t i) const;          // "" for NULL
    std::optional<std::string> optText(std::size_t i) const;
    // text(i) moved out of the row, which keeps an empty cell: for readers that build a record
    // from each row once (a page of 50 rows), not for reading the same cell twice.
    std::string takeText(std::size_t i);
    std::optional<std::int64_t> optInteger(std::size_t i) const;
    bool isNull(std::size_t i) const { return !_cells.at(i).has_value(); }
    std::size_t size() const { return _cells.size(); }

private:
    std::vector<std::optional<std::string>> _cells;
};

// The compiled statements of ONE connection, kept across its transactions (a page view would
// otherwise recompile every statement, BEGIN and COMMIT included: a third of its CPU on SQLite).
// It is owned together with the connection it was built on (store/Database.h, Connection) and
// destroyed before that connection is closed, so a statement can never outlive its connection or be
// handed to another one, even when a new connection gets the address of a closed one. As a second
// fence it remembers the native handle (and on PostgreSQL the server process id) it was filled on:
// a Tx on any other handle or backend (a reconnect) drops everything first.
// SQLite: sqlite3_stmt kept with SQLITE_PREPARE_PERSISTENT; a schema change recompiles them
// (sqlite3_prepare_v3 statements re-prepare themselves). PostgreSQL: named server-side prepared
// statements (PQprepare / PQexecPrepared), which live as long as the backend connection.
// Bounded: the least recently used statement is dropped beyond kCapacity.
// Thread-safety: used by the one thread that holds the connection.
class StatementCache {
public:
    StatementCache();
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;
    static constexpr std::size_t kCapacity = 200;
    std::size_t size() const;

    struct Impl;
    std::unique_ptr<Impl> impl;
};

class Tx {
public:
    // cache: the connection's statement cache (nullptr: statements live for this transaction only).
    Tx(Poco::Data::Session& session, Dialect dialect, StatementCache* cache = nullptr);
    ~Tx();
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

    Dialect dialect() const { return _dialect; }

    // Rows of a SELECT (or INSERT ... RETURNING).
    std::vector<Row> query(const std::string& sql, const std::vector<Value>& params = {});
    std::optional<Row> queryOne(const std::string& sql, const std::vector<Value>& params = {});
    // Statements without rows; returns the number of affected rows.
    std::size_t exec(const std::string& sql, const std::vector<Value>& params = {});
    // INSERT ... RETURNING id in one step.
    std::int64_t insertReturningId(const std::string& sql, const std::vector<Value>& params);

    // readOnly: on SQLite a deferred BEGIN (readers never queue behind writers: a long portal read
    // never delays an SMTP 250); writers take BEGIN IMMEDIATE so they queue instead of failing on a
    // lock upgrade. On PostgreSQL both are a plain BEGIN.
    void begin(bool readOnly = false);
    void commit();
    // False when the ROLLBACK itself failed: the connection is broken and must not be reused.
    bool rollback();

    // The connection's libpq handle on PostgreSQL (nullptr on SQLite), for a dialect-specific fast
    // path inside store/ (COPY, store/PgCopy.h). Statements sent on it bypass the statement observer.
    pg_conn* postgresConnection() const;
    // A fast path that sent a command on that handle without waiting for its result (a COPY the
    // server finishes while duegate goes on) leaves here how to read it; the next statement on this
    // Tx (COMMIT included) runs it first, so its error aborts the transaction as if it had been
    // waited for. ROLLBACK runs it and ignores its error.
    void deferResult(std::function<void()> collect);

private:
    // Statements run on the connection's own handle (sqlite3 / PGconn), not through Poco::Data
    // statements: Poco allocates a heap binding and a copy per bound value and a Dynamic::Var per
    // cell read, and on PostgreSQL costs three round trips a statement (prepare, execute,
    // DEALLOCATE) where PQexecParams costs one. Compiled statements are kept in the connection's
    // StatementCache (or, without one, for this transaction).
    struct Native;
    std::vector<Row> run(const std::string& sql, const std::vector<Value>& params, bool wantRows,
                         std::size_t* changes);

    Poco::Data::Session& _session;
    Dialect _dialect;
    bool _open = false;
    std::unique_ptr<Native> _native;
    std::function<void()> _deferred;
};

}  // namespace duegate::store
