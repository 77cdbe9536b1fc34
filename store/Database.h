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
#include <string>
#include <vector>

namespace duegate::store {

class Database {
public:
    // Throws StoreError for an unsupported URL or when the store cannot be reached.
    static std::shared_ptr<Database> open(const std::string& url, unsigned poolSize = 8);
    ~Database();

    Dialect dialect() const { return _dialect; }

    template <class F>
    auto transaction(F&& fn) {
        Lease lease(*this);
        Tx tx(lease.session(), _dialect);
        tx.begin();
        try {
            if constexpr (std::is_void_v<decltype(fn(tx))>) {
                fn(tx);
                tx.commit();
            } else {
                auto result = fn(tx);
                tx.commit();
                return result;
            }
        } catch (...) {
            tx.rollback();
            throw;
        }
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

    class Lease {
    public:
        explicit Lease(Database& db);
        ~Lease();
        Poco::Data::Session& session() { return *_session; }
    private:
        Database& _db;
        std::unique_ptr<Poco::Data::Session> _session;
    };

    std::unique_ptr<Poco::Data::Session> acquire();
    void release(std::unique_ptr<Poco::Data::Session> s);
    std::unique_ptr<Poco::Data::Session> connect();

    std::string _connector;
    std::string _connectString;
    Dialect _dialect;
    unsigned _poolSize;
    unsigned _open = 0;
    std::mutex _mutex;
    std::condition_variable _available;
    std::vector<std::unique_ptr<Poco::Data::Session>> _idle;
};

// libpq key=value connection string from a postgresql:// URL (user, password, host, port, dbname,
// and query parameters such as sslmode). Throws StoreError when malformed.
std::string postgresConnectString(const std::string& url);

}  // namespace duegate::store
