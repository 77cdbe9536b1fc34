#include "store/Database.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Statement.h>
#include <Poco/URI.h>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

namespace duegate::store {
namespace {

void registerConnectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        // SQLite's allocation statistics (sqlite3_memory_used) take one process-wide mutex on every
        // allocation of every connection: with dozens of portal threads reading at once that mutex
        // and the context switches it causes were a tenth of a page view. Nothing here reads them.
        // Only possible before SQLite initialises (the first connection); later it is refused
        // (SQLITE_MISUSE) and changes nothing.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        // Multi-thread mode: no mutex per connection on every sqlite3_ call (three per cell read).
        // Safe because a connection is only ever used by the one thread that leased it from the
        // pool (Database::Lease; a Tx belongs to one thread), never by two at once.
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
}

std::string libpqQuote(const std::string& v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string postgresConnectString(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw StoreError("store url: not a valid postgresql:// URL: " + e.displayText());
    }
    if (uri.getScheme() != "postgresql" && uri.getScheme() != "postgres")
        throw StoreError("store url: expected postgresql://, got " + uri.getScheme());
    std::string out = "host=" + libpqQuote(uri.getHost().empty() ? "127.0.0.1" : uri.getHost());
    out += " port=" + std::to_string(uri.getPort() ? uri.getPort() : 5432);
    const std::string userInfo = uri.getUserInfo();
    if (!userInfo.empty()) {
        const auto colon = userInfo.find(':');
        std::string user, password;
        Poco::URI::decode(userInfo.substr(0, colon), user);
        out += " user=" + libpqQuote(user);
        if (colon != std::string::npos) {
            Poco::URI::decode(userInfo.substr(colon + 1), password);
            out += " password=" + libpqQuote(password);
        }
    }
    std::string db = uri.getPath();
    if (!db.empty() && db.front() == '/') db.erase(0, 1);
    if (db.empty()) throw StoreError("store url: no database name in " + uri.toString());
    out += " dbname=" + libpqQuote(db);
    std::map<std::string, std::string> defaults = {{"connect_timeout", "5"}, {"keepalives", "1"},
                                                   {"keepalives_idle", "30"}, {"keepalives_interval", "10"},
                                                   {"keepalives_count", "3"}};
    for (const auto& [k, v] : uri.getQueryParameters()) {
        out += " " + k + "=" + libpqQuote(v);
        defaults.erase(k);
    }
    for (const auto& [k, v] : defaults) out += " " + k + "=" + v;
    return out;
}

std::string redactUrl(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    const auto at = url.find('@', scheme + 3);
    const auto slash = url.find('/', scheme + 3);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
    const auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::shared_ptr<Database> Database::open(const std::string& url, unsigned poolSize, unsigned acquireTimeoutMs) {
    registerConnectors();
    std::shared_ptr<Database> db;
    if (url.rfind("sqlite:", 0) == 0) {
        const std::string path = url.substr(7);
        if (path.empty()) throw StoreError("store url: sqlite: needs a file path");
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        db.reset(new Database("SQLite", path, Dialect::SQLite, poolSize));
    } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        db.reset(new Database("PostgreSQL", postgresConnectString(url), Dialect::PostgreSQL, poolSize));
    } else {
        throw StoreError("store url: expected sqlite:PATH or postgresql://..., got " + redactUrl(url));
    }
    db->_acquireTimeoutMs = acquireTimeoutMs == 0 ? 1 : acquireTimeoutMs;
    db->release(db->acquire());  // fail now, not at the first request, when the store is unreachable
    return db;
}

Database::Database(std::string connector, std::string connectString, Dialect dialect, unsigned poolSize)
    : _connector(std::move(connector)), _connectString(std::move(connectString)), _dialect(dialect),
      _poolSize(poolSize == 0 ? 1 : poolSize) {}

Database::~Database() = default;

void Database::Connection::close() {
    statements.reset();
    if (!session) return;
    try {
        session->close();
    } catch (...) {
    }
    session.reset();
}

Database::Connection Database::connect() {
    using namespace Poco::Data::Keywords;
    std::unique_ptr<Poco::Data::Session> s;
    try {
        s = std::make_unique<Poco::Data::Session>(_connector, _connectString);
        if (_dialect == Dialect::SQLite) {
            // WAL lets the portal read while the ingest writes; FULL makes a commit durable
            // (store before you acknowledge); the busy timeout queues writers instead of failing.
            *s << "PRAGMA journal_mode=WAL", now;
            *s << "PRAGMA synchronous=FULL", now;
            *s << "PRAGMA foreign_keys=ON", now;
            *s << "PRAGMA busy_timeout=10000", now;
            // Statement journals (each multi-row write keeps the pages it changes, to undo just that
            // statement on a constraint error) in memory instead of a temporary file past 64 KiB:
            // a statement import wrote 600 MB of them to /var/tmp (docs/performance.md). They never
            // serve crash recovery (the WAL does), and a statement's journal is bounded by the
            // pages that statement changes (a few hundred rows per statement everywhere).
            *s << "PRAGMA temp_store=MEMORY", now;
        }
    } catch (const Poco::Exception& e) {
        throw StoreError("store: cannot connect (" + _connector + "): " + e.displayText());
    }
    return Connection{std::move(s), std::make_unique<StatementCache>()};
}

Database::Connection Database::acquire() {
    std::unique_lock lock(_mutex);
    for (;;) {
        if (!_idle.empty()) {
            auto s = std::move(_idle.back());
            _idle.pop_back();
            return s;
        }
        if (_open < _poolSize) {
            ++_open;
            lock.unlock();
            try {
                return connect();
            } catch (...) {
                std::lock_guard again(_mutex);
                --_open;
                _available.notify_one();
                throw;
            }
        }
        if (_available.wait_for(lock, std::chrono::milliseconds(_acquireTimeoutMs)) == std::cv_status::timeout &&
            _idle.empty() && _open >= _poolSize)
            throw StoreError("store: no free connection within " + std::to_string(_acquireTimeoutMs) + " ms (pool of " +
                             std::to_string(_poolSize) + ")");
    }
}

void Database::release(Connection c) {
    const bool usable = c.session && c.session->isConnected();
    if (!usable) c.close();  // outside the lock
    std::lock_guard lock(_mutex);
    if (usable) {
        _idle.push_back(std::move(c));
    } else {
        --_open;
    }
    _available.notify_one();
}

Database::Lease::Lease(Database& db) : _db(db), _conn(db.acquire()) {}
Database::Lease::~Lease() {
    if (_broken) _conn.close();
    _db.release(std::move(_conn));
}

void Database::Lease::renew() {
    _conn.close();
    _broken = false;
    _conn = _db.connect();  // a fresh connection in the same pool slot (idle ones may be broken too)
}

namespace {
thread_local std::vector<const Database*> tWriting;  // Databases whose writer turn this thread holds
}

Database::WriterTurn::WriterTurn(Database& db, bool readOnly) {
    if (readOnly || db._dialect != Dialect::SQLite) return;
    for (const auto* d : tWriting)
        if (d == &db) return;  // nested: SQLite's own busy timeout decides, as before
    if (!db._sqliteWriter.try_lock_for(std::chrono::seconds(10)))
        throw StoreError("store: busy (no write turn within 10 s)");
    _db = &db;
    tWriting.push_back(&db);
}

Database::WriterTurn::~WriterTurn() {
    if (!_db) return;
    tWriting.erase(std::find(tWriting.begin(), tWriting.end(), _db));
    _db->_sqliteWriter.unlock();
}

bool Database::ping() {
    try {
        return transaction([](Tx& tx) { return tx.queryOne("SELECT 1").has_value(); });
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace duegate::store
