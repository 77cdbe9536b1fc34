// The connection to the store: SQLite (embedded default) or PostgreSQL (production), through
// Poco::Data, with a small pool and one-transaction-per-call helpers.
//
// URLs: "sqlite:PATH" (WAL, synchronous=FULL, foreign keys on, busy timeout 10 s) and
// "postgresql://user:pass@host:port/db" (converted to libpq key=value form, which Poco needs).
// transaction(fn) runs fn(Tx&) between BEGIN (BEGIN IMMEDIATE on SQLite, so writers queue instead of
// failing on lock upgrade) and COMMIT; any exception rolls back and propagates. Nothing outside
// store/ sees SQL: services call repositories with a Tx.
// Thread-safety: Database is shared by all threads; a Tx belongs to the thread that runs fn.
#pragma once

#include "store/Sql.h"

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store {

class Database {
public:
    // Throws StoreError for an unsupported URL or when the store cannot be reached.
    // poolSize: connections at most; a caller waits at most acquireTimeoutMs for a free one
    // (StoreError after that: the listener answers 4xx instead of hanging).
    static std::shared_ptr<Database> open(const std::string& url, unsigned poolSize = 8,
                                          unsigned acquireTimeoutMs = 30000);
    ~Database();

    Dialect dialect() const { return _dialect; }

    template <class F>
    auto transaction(F&& fn) {
        return run(std::forward<F>(fn), false);
    }

    // A transaction for reads (the portal, the API, reports): on SQLite a deferred BEGIN, so it
    // never waits for or delays a writer. It may still write (e.g. an audit event): it then
    // upgrades its lock like any SQLite writer.
    template <class F>
    auto read(F&& fn) {
        return run(std::forward<F>(fn), true);
    }

    // Runs SQL outside a transaction (migrations manage their own); used by store/ only.
    template <class F>
    auto withSession(F&& fn) {
        Lease lease(*this);
        return fn(lease.session());
    }

    bool ping();

private:
    Database(std::string connector, std::string connectString, Dialect dialect, unsigned poolSize);

    // A pooled connection and its compiled statements (Sql.h, StatementCache). The cache is
    // declared last so it is destroyed first: its statements are finalized while their connection
    // is still open, and a cache never outlives, or moves to, another connection.
    struct Connection {
        std::unique_ptr<Poco::Data::Session> session;
        std::unique_ptr<StatementCache> statements;
        explicit operator bool() const { return session != nullptr; }
        void close();  // statements first, then the connection
    };

    class Lease {
    public:
        explicit Lease(Database& db);
        ~Lease();
        Poco::Data::Session& session() { return *_conn.session; }
        StatementCache* statements() { return _conn.statements.get(); }
        // The connection is broken: close it instead of returning it to the pool, and take a new one.
        void renew();
        void discard() { _broken = true; }
    private:
        Database& _db;
        Connection _conn;
        bool _broken = false;
    };

    // BEGIN is where a connection broken while idle in the pool shows (a server restart, a network
    // cut): it is replaced and BEGIN tried once more on a fresh connection, which is always safe
    // because nothing has run yet. A failure inside fn rolls back and propagates; a connection
    // whose ROLLBACK fails is closed, not pooled.
    template <class F>
    auto run(F&& fn, bool readOnly) {
        WriterTurn turn(*this, readOnly);
        Lease lease(*this);
        std::optional<Tx> tx;
        try {
            tx.emplace(lease.session(), _dialect, lease.statements());
            tx->begin(readOnly);
        } catch (const StoreError&) {
            tx.reset();
            lease.renew();
            tx.emplace(lease.session(), _dialect, lease.statements());
            tx->begin(readOnly);
        }
        try {
            if constexpr (std::is_void_v<decltype(fn(*tx))>) {
                fn(*tx);
                tx->commit();
            } else {
                auto result = fn(*tx);
                tx->commit();
                return result;
            }
        } catch (...) {
            if (!tx->rollback()) lease.discard();
            throw;
        }
    }

    // SQLite has one writer at a time. Writers of this process queue on a mutex (woken the moment
    // the previous commit ends) instead of in SQLite's busy handler, which polls with sleeps of up
    // to 100 ms: with the ingest worker and the intake's group commit both writing, those sleeps
    // cost more than the commits. Other processes on the same file still meet the busy timeout.
    // A thread already inside a write transaction of this Database does not wait for itself.
    class WriterTurn {
    public:
        WriterTurn(Database& db, bool readOnly);
        ~WriterTurn();
        WriterTurn(const WriterTurn&) = delete;
        WriterTurn& operator=(const WriterTurn&) = delete;
    private:
        Database* _db = nullptr;
    };

    Connection acquire();
    void release(Connection c);
    Connection connect();

    std::string _connector;
    std::string _connectString;
    Dialect _dialect;
    unsigned _poolSize;
    unsigned _acquireTimeoutMs = 30000;
    unsigned _open = 0;
    std::mutex _mutex;
    std::condition_variable _available;
    std::vector<Connection> _idle;
    std::timed_mutex _sqliteWriter;
};

// libpq key=value connection string from a postgresql:// URL (user, password, host, port, dbname,
// and query parameters such as sslmode). connect_timeout (5 s) and TCP keepalives are added unless
// the URL sets them, so a dead server is noticed in seconds, not at the kernel's TCP timeout.
// Throws StoreError when malformed.
std::string postgresConnectString(const std::string& url);

// The URL with its password replaced by "***", for logs and error messages.
std::string redactUrl(const std::string& url);

}  // namespace duegate::store
