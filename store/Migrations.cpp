#include "store/Migrations.h"

#include "store/Database.h"
#include "store/Time.h"

#include <utility>

namespace duegate::store {
namespace {

std::string dialectSql(std::string sql, Dialect d) {
    const std::string id = d == Dialect::SQLite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
    for (std::size_t p; (p = sql.find("{{ID}}")) != std::string::npos;) sql.replace(p, 6, id);
    return sql;
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

// A statement that starts with "/* sqlite */" or "/* postgresql */" runs on that dialect only (the
// marker is removed); every other statement runs on both. For the few changes that cannot be
// written the same way on both, such as widening a CHECK constraint. "{{SCHEMA_VERSION_NEXT}}" (SQLite)
// becomes the connection's schema_version + 1, for PRAGMA writable_schema edits.
bool forDialect(std::string& st, Dialect d) {
    for (const auto& [marker, dialect] : {std::pair<std::string, Dialect>{"/* sqlite */", Dialect::SQLite},
                                          std::pair<std::string, Dialect>{"/* postgresql */", Dialect::PostgreSQL}}) {
        if (st.rfind(marker, 0) != 0) continue;
        st.erase(0, marker.size());
        return d == dialect;
    }
    return true;
}

}  // namespace

std::vector<std::string> migrate(Database& db) {
    db.transaction([](Tx& tx) {
        tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    });
    std::vector<std::string> applied;
    for (const auto& m : embeddedMigrations()) {
        const bool done = db.transaction([&](Tx& tx) {
            if (tx.dialect() == Dialect::PostgreSQL) tx.exec("SELECT pg_advisory_xact_lock(727001)");
            if (tx.queryOne("SELECT name FROM schema_migrations WHERE name = $1", {m.name})) return true;
            for (auto st : statements(dialectSql(m.sql, tx.dialect()))) {
                if (!forDialect(st, tx.dialect())) continue;
                try {
                    if (auto p = st.find("{{SCHEMA_VERSION_NEXT}}"); p != std::string::npos)
                        st.replace(p, 23, std::to_string(tx.queryOne("PRAGMA schema_version")->integer(0) + 1));
                    tx.exec(st);
                } catch (const StoreError& e) {
                    throw StoreError("migration " + m.name + " failed: " + e.what());
                }
            }
            tx.exec("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", {m.name, nowUtc()});
            return false;
        });
        if (!done) applied.push_back(m.name);
    }
    return applied;
}

}  // namespace duegate::store
