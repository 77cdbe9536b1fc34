#include "store/Migrations.h"

#include "platform/Log.h"
#include "store/Database.h"
#include "store/TenantKeys.h"
#include "store/Time.h"

#include <optional>
#include <set>
#include <utility>

namespace duegate::store {
namespace {

std::string dialectSql(std::string sql, Dialect d) {
    const std::string id = d == Dialect::SQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
    for (std::size_t p; (p = sql.find("{{ID}}")) != std::string::npos;) sql.replace(p, 6, id);
    return sql;
}

// A statement that starts with {{SQLITE}} or {{POSTGRESQL}} runs on that dialect only (for what
// the two cannot say alike, e.g. widening a CHECK constraint); nothing when it is the other's.
std::optional<std::string> forDialect(const std::string& statement, Dialect d) {
    for (const auto& [tag, dialect] : {std::pair<const char*, Dialect>{"{{SQLITE}}", Dialect::SQLite},
                                       std::pair<const char*, Dialect>{"{{POSTGRESQL}}", Dialect::PostgreSQL}}) {
        const std::string t(tag);
        if (statement.compare(0, t.size(), t) == 0)
            return dialect == d ? std::optional<std::string>(statement.substr(t.size())) : std::nullopt;
    }
    return statement;
}

// Splits a migration into statements at ';' ending a line (our migrations keep one statement
// per ';'-terminated block and no procedural bodies), dropping '--' comments.
std::vector<std::string> statements(const std::string& sql) {
    std::vector<std::string> out;
    std::string current;
    std::size_t pos = 0;
    while (pos < sql.size()) {
        auto nl = sql.find('\n', pos);
        std::string line = sql.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? sql.size() : nl + 1;
        if (auto c = line.find("--"); c != std::string::npos) line.erase(c);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
        if (line.empty()) continue;
        current += line + "\n";
        if (line.back() == ';') {
            current.pop_back();
            current.pop_back();
            out.push_back(current);
            current.clear();
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
            for (const auto& each : statements(dialectSql(m->sql, tx.dialect()))) {
                const auto st = forDialect(each, tx.dialect());
                if (!st) continue;
                try {
                    tx.exec(*st);
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
