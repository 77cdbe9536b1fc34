#include "store/Migrations.h"

#include "platform/Log.h"
#include "store/Database.h"
#include "store/TenantKeys.h"
#include "store/Time.h"

#include <set>

namespace duegate::store {
namespace {

// A migration may hold parts for one dialect only: a line `-- dialect: sqlite` or
// `-- dialect: postgresql` starts such a part, `-- dialect: all` ends it. Full-text search, for one,
// is FTS5 on SQLite and pg_trgm on PostgreSQL; everything else is written once for both.
std::string dialectSql(const std::string& sql, Dialect d) {
    const std::string id = d == Dialect::SQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
    std::string out;
    bool keep = true;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        auto nl = sql.find('\n', pos);
        std::string line = sql.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? sql.size() : nl + 1;
        if (line.rfind("-- dialect:", 0) == 0) {
            const std::string which = line.substr(11);
            keep = which.find("all") != std::string::npos ||
                   which.find(d == Dialect::SQLite ? "sqlite" : "postgresql") != std::string::npos;
            continue;
        }
        if (keep) out += line + "\n";
    }
    for (std::size_t p; (p = out.find("{{ID}}")) != std::string::npos;) out.replace(p, 6, id);
    return out;
}

// Splits a migration into statements at ';' ending a line, dropping '--' comments. Two kinds of
// statement hold ';' lines of their own and end elsewhere: a SQLite trigger (CREATE TRIGGER ...
// BEGIN, statements, then END;) ends at the line "END;", a PostgreSQL function body is quoted between "$$".
std::vector<std::string> statements(const std::string& sql) {
    std::vector<std::string> out;
    std::string current;
    bool inTrigger = false, inDollar = false;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        auto nl = sql.find('\n', pos);
        std::string line = sql.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? sql.size() : nl + 1;
        if (auto c = line.find("--"); c != std::string::npos) line.erase(c);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
        if (line.empty()) continue;
        if (line.size() >= 6 && line.compare(line.size() - 6, 6, " BEGIN") == 0 &&
            (current + line).rfind("CREATE TRIGGER", 0) == 0)
            inTrigger = true;
        for (std::size_t p = line.find("$$"); p != std::string::npos; p = line.find("$$", p + 2)) inDollar = !inDollar;
        current += line + "\n";
        const bool ends = line.back() == ';' && !inDollar && (!inTrigger || line == "END;");
        if (ends) {
            current.pop_back();
            current.pop_back();
            out.push_back(current);
            current.clear();
            inTrigger = false;
        }
    }
    if (current.find_first_not_of(" \n\t") != std::string::npos) out.push_back(current);
    return out;
}

void lock(Tx& tx) {
    if (tx.dialect() == Dialect::PostgreSQL) tx.exec("SELECT pg_advisory_xact_lock(727001)");
}

}  // namespace

std::vector<std::string> migrate(Database& db) { return migrate(db, embeddedMigrations()); }

std::vector<std::string> migrate(Database& db, const std::vector<MigrationFile>& files) {
    // One transaction when the store is up to date (every `serve` start and CLI command): which
    // files are applied, and whether the tenant keys step has anything left to do.
    bool keysPending = false;
    const auto known = db.transaction([&](Tx& tx) {
        tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
        std::set<std::string> names;
        for (const auto& r : tx.query("SELECT name FROM schema_migrations")) names.insert(r.text(0));
        keysPending = tenancy::needsWork(tx);
        return names;
    });
    std::vector<const MigrationFile*> pending;
    for (const auto& m : files)
        if (!known.count(m.name)) pending.push_back(&m);
    // PostgreSQL: migrations written against `REFERENCES t(id)` need a unique index on t(id) while
    // they run, once the tenant keys made t's primary key (creditor_id, id) (store/TenantKeys.h).
    if (db.dialect() == Dialect::PostgreSQL && !pending.empty())
        db.transaction([&](Tx& tx) {
            lock(tx);
            std::vector<std::string> sql;
            for (const auto* m : pending) sql.push_back(m->sql);
            tenancy::prepareForMigrations(tx, sql);
        });
    std::vector<std::string> applied;
    for (const auto* m : pending) {
        const bool done = db.transaction([&](Tx& tx) {
            lock(tx);
            // Another process may have applied it since the read above.
            if (tx.queryOne("SELECT name FROM schema_migrations WHERE name = $1", {m->name})) return true;
            for (auto st : statements(dialectSql(m->sql, tx.dialect()))) {
                try {
                    // SQLite's documented way to widen a CHECK edits sqlite_master under
                    // writable_schema and then sets schema_version to one more than it was.
                    if (auto p = st.find("{{SCHEMA_VERSION_NEXT}}"); p != std::string::npos)
                        st.replace(p, 23, std::to_string(tx.queryOne("PRAGMA schema_version")->integer(0) + 1));
                    tx.exec(st);
                } catch (const StoreError& e) {
                    throw StoreError("migration " + m->name + " failed: " + e.what());
                }
            }
            tx.exec("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", {m->name, nowUtc()});
            return false;
        });
        if (!done) applied.push_back(m->name);
    }
    // After the files, whenever a file ran or keys lack creditor_id (e.g. a run that stopped
    // between the two): idempotent, and it covers whatever table a migration added.
    if (db.dialect() == Dialect::PostgreSQL && (!pending.empty() || keysPending))
        db.transaction([&](Tx& tx) {
            lock(tx);
            try {
                const auto result = tenancy::apply(tx);
                for (const auto& p : result.problems) platform::logWarning("store", "tenant keys: " + p);
                if (!result.statements.empty())
                    platform::logInfo("store", "tenant keys: creditor_id put into primary, unique and foreign keys",
                                      {{"statements", std::to_string(result.statements.size())}});
            } catch (const StoreError& e) {
                throw StoreError(std::string("tenant keys (store/TenantKeys.cpp) failed: ") + e.what());
            }
        });
    return applied;
}

}  // namespace duegate::store
