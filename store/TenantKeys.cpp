#include "store/TenantKeys.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace duegate::store::tenancy {
namespace {

const char* kCreditor = "creditor_id";

std::string ident(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::vector<std::string> split(const std::string& csv) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= csv.size()) {
        auto comma = csv.find(',', start);
        if (comma == std::string::npos) comma = csv.size();
        if (comma > start) out.push_back(csv.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

bool has(const std::vector<std::string>& cols, const std::string& c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
}

std::string joined(const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : ", ") + ident(c);
    return out;
}

struct Constraint {
    std::string name, type, table, refTable, def;
    std::vector<std::string> cols;
};

struct UniqueIndex {
    std::string name, table, def;
    std::vector<std::string> cols;
};

// Tables of the current schema with a creditor_id column -> whether it is NOT NULL.
std::map<std::string, bool> creditorTables(Tx& tx) {
    std::map<std::string, bool> out;
    for (const auto& r : tx.query("SELECT c.relname, a.attnotnull::int FROM pg_class c "
                                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                  "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'creditor_id' "
                                  "AND NOT a.attisdropped WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"))
        out[r.text(0)] = r.integer(1) != 0;
    return out;
}

std::vector<Constraint> constraints(Tx& tx) {
    std::vector<Constraint> out;
    for (const auto& r : tx.query(
             "SELECT con.conname, con.contype::text, cl.relname, COALESCE(fcl.relname, ''), "
             "pg_get_constraintdef(con.oid), (SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
             "FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a "
             "ON a.attrelid = con.conrelid AND a.attnum = k.attnum) "
             "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
             "JOIN pg_namespace n ON n.oid = cl.relnamespace LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid "
             "WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f') ORDER BY cl.relname, con.conname"))
        out.push_back(Constraint{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), split(r.text(5))});
    return out;
}

// Unique indexes that back no constraint (CREATE UNIQUE INDEX ...).
std::vector<UniqueIndex> uniqueIndexes(Tx& tx) {
    std::vector<UniqueIndex> out;
    for (const auto& r : tx.query(
             "SELECT ic.relname, cl.relname, pg_get_indexdef(i.indexrelid), (SELECT string_agg(COALESCE(a.attname, "
             "'(expression)'), ',' ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
             "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) "
             "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class cl ON cl.oid = i.indrelid "
             "JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = current_schema() AND i.indisunique "
             "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN "
             "('p', 'u', 'x')) ORDER BY cl.relname, ic.relname"))
        out.push_back(UniqueIndex{r.text(0), r.text(1), r.text(2), split(r.text(3))});
    return out;
}

// "FOREIGN KEY (x) REFERENCES t(id) ON DELETE ..." -> "FOREIGN KEY (creditor_id, x) REFERENCES
// t(creditor_id, id) ON DELETE ..."; a SET NULL / SET DEFAULT action names its column, so that it
// never clears creditor_id.
std::string compositeForeignKey(const Constraint& fk) {
    std::string def = fk.def;
    const auto open = def.find('(');
    const auto refs = def.find(" REFERENCES ");
    if (def.rfind("FOREIGN KEY (", 0) != 0 || refs == std::string::npos) return "";
    const auto refOpen = def.find('(', refs);
    if (refOpen == std::string::npos) return "";
    def.insert(refOpen + 1, std::string(kCreditor) + ", ");
    def.insert(open + 1, std::string(kCreditor) + ", ");
    for (const char* action : {" SET NULL", " SET DEFAULT"}) {
        for (auto p = def.find(action); p != std::string::npos; p = def.find(action, p + 1)) {
            const auto end = p + std::string(action).size();
            if (end < def.size() && def.compare(end, 2, " (") == 0) continue;
            def.insert(end, " (" + joined(fk.cols) + ")");
        }
    }
    return def;
}

// "CREATE UNIQUE INDEX n ON s.t USING btree (a, b) WHERE ..." with creditor_id as the first column.
std::string withCreditorFirst(const std::string& indexDef) {
    const auto using_ = indexDef.find(" USING ");
    const auto open = indexDef.find('(', using_ == std::string::npos ? 0 : using_);
    if (open == std::string::npos) return "";
    std::string def = indexDef;
    def.insert(open + 1, std::string(kCreditor) + ", ");
    return def;
}

}  // namespace

Result apply(Tx& tx) {
    Result out;
    if (tx.dialect() != Dialect::PostgreSQL) return out;
    // Dossier numbers (migration 0019): each sequence starts after its counters row.
    for (const std::string name : {"dossier_number", "payment_reference"}) {
        if (tx.queryOne("SELECT 1 WHERE to_regclass($1) IS NOT NULL", {name + "_seq"})) continue;
        const std::string create = "CREATE SEQUENCE " + ident(name + "_seq");
        tx.exec(create);
        tx.queryOne("SELECT setval($1::regclass, GREATEST(COALESCE(MAX(value), 0), 1), COALESCE(MAX(value), 0) > 0) "
                    "FROM counters WHERE name = $2",
                    {name + "_seq", name});
        out.statements.push_back(create);
    }
    const auto withCreditor = creditorTables(tx);
    auto tenant = [&](const std::string& t) {
        auto it = withCreditor.find(t);
        return it != withCreditor.end() && it->second;
    };
    const auto all = constraints(tx);
    auto run = [&](const std::string& sql) {
        tx.exec(sql);
        out.statements.push_back(sql);
    };

    // A foreign key into a tenant table from a table that has no creditor_id cannot follow the
    // table's key: leave that table's keys alone and say so.
    std::set<std::string> pinned;
    for (const auto& c : all)
        if (c.type == "f" && tenant(c.refTable) && !withCreditor.count(c.table)) {
            pinned.insert(c.refTable);
            out.problems.push_back("foreign key " + c.name + " of " + c.table + " (no creditor_id) references tenant "
                                   "table " + c.refTable + " by " + c.def + ": its keys stay without creditor_id");
        }

    std::vector<Constraint> foreignKeys;
    for (const auto& c : all)
        if (c.type == "f" && tenant(c.refTable) && !pinned.count(c.refTable) && withCreditor.count(c.table) &&
            !has(c.cols, kCreditor))
            foreignKeys.push_back(c);
    for (const auto& fk : foreignKeys) run("ALTER TABLE " + ident(fk.table) + " DROP CONSTRAINT " + ident(fk.name));

    std::map<std::string, std::vector<std::string>> idColumns;  // table -> its primary key without creditor_id
    for (const auto& c : all) {
        if (!tenant(c.table) || pinned.count(c.table) || (c.type != "p" && c.type != "u")) continue;
        auto cols = c.cols;
        cols.erase(std::remove(cols.begin(), cols.end(), std::string(kCreditor)), cols.end());
        if (c.type == "p") idColumns[c.table] = cols;
        if (has(c.cols, kCreditor)) continue;
        run("ALTER TABLE " + ident(c.table) + " DROP CONSTRAINT " + ident(c.name));
        std::vector<std::string> keyCols{kCreditor};
        keyCols.insert(keyCols.end(), c.cols.begin(), c.cols.end());
        run("ALTER TABLE " + ident(c.table) + " ADD CONSTRAINT " + ident(c.name) +
            (c.type == "p" ? " PRIMARY KEY (" : " UNIQUE (") + joined(keyCols) + ")");
        if (c.type == "p")  // lookups by id alone (most queries) stay index scans
            run("CREATE INDEX IF NOT EXISTS " + ident(c.table + "_" + c.cols.front() + "_lookup") + " ON " +
                ident(c.table) + " (" + joined(c.cols) + ")");
    }

    for (const auto& ix : uniqueIndexes(tx)) {
        if (!tenant(ix.table) || pinned.count(ix.table) || has(ix.cols, kCreditor)) continue;
        run("DROP INDEX " + ident(ix.name));
        // A unique index on exactly the id (prepareForMigrations' t_id_compat) duplicates the
        // primary key now that the foreign keys through it are composite: dropped, not rewritten.
        auto it = idColumns.find(ix.table);
        if (it != idColumns.end() && it->second == ix.cols) continue;
        const auto def = withCreditorFirst(ix.def);
        if (def.empty()) {
            out.problems.push_back("unique index " + ix.name + " could not be rewritten: " + ix.def);
            continue;
        }
        run(def);
    }

    for (const auto& fk : foreignKeys) {
        const auto def = compositeForeignKey(fk);
        if (def.empty()) {
            run("ALTER TABLE " + ident(fk.table) + " ADD CONSTRAINT " + ident(fk.name) + " " + fk.def);
            out.problems.push_back("foreign key " + fk.name + " could not be made composite: " + fk.def);
            continue;
        }
        run("ALTER TABLE " + ident(fk.table) + " ADD CONSTRAINT " + ident(fk.name) + " " + def);
    }
    return out;
}

bool needsWork(Tx& tx) {
    if (tx.dialect() != Dialect::PostgreSQL) return false;
    return tx.queryOne(
                 "SELECT (to_regclass('dossier_number_seq') IS NULL OR to_regclass('payment_reference_seq') IS NULL "
                 "OR EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                 "AND a.attname = 'creditor_id' AND a.attnotnull AND NOT a.attisdropped "
                 "WHERE n.nspname = current_schema() AND i.indisunique AND NOT (a.attnum = ANY (i.indkey::int2[]))) "
                 "OR EXISTS (SELECT 1 FROM pg_constraint f JOIN pg_class c ON c.oid = f.confrelid "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
                 "AND a.attname = 'creditor_id' AND a.attnotnull AND NOT a.attisdropped "
                 "WHERE f.contype = 'f' AND n.nspname = current_schema() AND NOT (a.attnum = ANY (f.confkey))))::int")
               ->integer(0) != 0;
}

std::vector<std::string> prepareForMigrations(Tx& tx, const std::vector<std::string>& pendingSql) {
    std::vector<std::string> out;
    if (tx.dialect() != Dialect::PostgreSQL || pendingSql.empty()) return out;
    const auto withCreditor = creditorTables(tx);
    std::set<std::string> haveUniqueId;
    for (const auto& ix : uniqueIndexes(tx))
        if (ix.cols == std::vector<std::string>{"id"}) haveUniqueId.insert(ix.table);
    for (const auto& c : constraints(tx)) {
        if (c.type != "p" || !withCreditor.count(c.table) || !withCreditor.at(c.table)) continue;
        if (!has(c.cols, kCreditor) || c.cols.size() != 2 || !has(c.cols, "id") || haveUniqueId.count(c.table)) continue;
        const std::regex reference("REFERENCES\\s+\"?" + c.table + "\"?\\s*\\(\\s*\"?id\"?\\s*\\)", std::regex::icase);
        const bool referenced = std::any_of(pendingSql.begin(), pendingSql.end(),
                                            [&](const std::string& sql) { return std::regex_search(sql, reference); });
        if (!referenced) continue;
        const std::string sql = "CREATE UNIQUE INDEX IF NOT EXISTS " + ident(c.table + "_id_compat") + " ON " +
                                ident(c.table) + " (id)";
        tx.exec(sql);
        out.push_back(sql);
    }
    return out;
}

}  // namespace duegate::store::tenancy
