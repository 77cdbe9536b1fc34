// Numbered SQL migrations (store/migrations/NNNN_name.sql, compiled into the binary) applied in
// order, each in its own transaction together with its row in schema_migrations, so a crash
// leaves either the old or the new schema. The same files serve SQLite and PostgreSQL: the token
// {{ID}} becomes the dialect's auto-increment primary key, and `-- dialect: sqlite|postgresql|all`
// lines mark parts for one dialect (Migrations.cpp); {{SCHEMA_VERSION_NEXT}} is SQLite's schema_version + 1.
// On PostgreSQL every run ends with the tenant keys step (store/TenantKeys.h: creditor_id in every
// tenant table's keys, generically).
// Thread-safety: run by one process at a time (PostgreSQL: under an advisory lock).
#pragma once

#include <string>
#include <vector>

namespace duegate::store {

class Database;

struct MigrationFile {
    std::string name;  // "0001_init.sql"
    std::string sql;
};

const std::vector<MigrationFile>& embeddedMigrations();

// Applies what is pending; returns the names applied now (empty when up to date).
// Throws StoreError naming the migration that failed.
std::vector<std::string> migrate(Database& db);
// The same with another list of files (tests: a later migration on top of the embedded ones).
std::vector<std::string> migrate(Database& db, const std::vector<MigrationFile>& files);

}  // namespace duegate::store
