// Tenant keys on PostgreSQL, ready for distribution by creditor_id (Citus-style; docs/scale.md).
//
// A tenant table is a table with a creditor_id NOT NULL column. A distributed table's unique keys
// must contain the distribution column, and co-located shards can only check a foreign key that
// carries it, so after the SQL migrations this step reads the catalog of the current schema and,
// for every tenant table:
//   - the primary key (id) becomes (creditor_id, id), with a plain index on (id) so lookups by id
//     stay index scans (the ids still come from one sequence: globally unique in practice);
//   - every UNIQUE constraint or unique index without creditor_id gets it as its first column;
//   - every foreign key into it from a table with a creditor_id column becomes composite:
//     (creditor_id, x_id) -> (creditor_id, id), keeping its actions.
// Tables whose creditor_id may be NULL (staff users, the agency account's statements and lines)
// keep their keys: they are agency-wide (reference tables in a distributed setup); their foreign
// keys into tenant tables become composite too, which PostgreSQL checks only on rows that have a
// creditor (MATCH SIMPLE). Global tables (creditors, blobs, settings, ...) are not touched.
//
// Generic on purpose: it covers tables that any later migration adds, written with the usual
// `x_id BIGINT REFERENCES t(id)`. Such a reference needs a unique index on t(id) while the
// migration runs: prepareForMigrations() creates one (t_id_compat) for every tenant table that a
// pending migration references that way, and apply() drops it again once the new foreign keys are
// composite. Idempotent: a second run finds nothing to do. SQLite: both are no-ops (its tables keep
// INTEGER PRIMARY KEY AUTOINCREMENT; creditor_id is still in every UNIQUE by the migrations' rule).
// A foreign key into a tenant table from a table without creditor_id cannot be made composite: that
// table's keys are left as they are, and the problem is returned (schema_tenancy.py then fails).
#pragma once

#include "store/Sql.h"

#include <string>
#include <vector>

namespace duegate::store::tenancy {

struct Result {
    std::vector<std::string> statements;  // the DDL run, in order
    std::vector<std::string> problems;    // what could not be made distributable
};

// Runs in the caller's transaction (Migrations: under the migration advisory lock).
Result apply(Tx& tx);

// One cheap catalog query: does a tenant table have a unique key, or a foreign key into it, without
// creditor_id? (apply() would change something.) False on SQLite.
bool needsWork(Tx& tx);

// Before pending migrations run: unique indexes on (id) of the tenant tables their SQL references
// by id alone. Returns the DDL run.
std::vector<std::string> prepareForMigrations(Tx& tx, const std::vector<std::string>& pendingSql);

}  // namespace duegate::store::tenancy
