#!/usr/bin/python3
"""Is the schema ready to be distributed by creditor_id (Citus-style)? Reads PostgreSQL's catalog
after `duegate migrate` (issue 13, item 4; docs/scale.md) and asserts, for every tenant table (a
table with a creditor_id NOT NULL column):
- its primary key includes creditor_id;
- every UNIQUE constraint and unique index includes creditor_id;
- every foreign key into it includes creditor_id on both sides: (creditor_id, x_id) -> (creditor_id, id);
and that the tables whose creditor_id may be NULL are exactly the agency-wide ones in KNOWN_NULLABLE
(staff users, the agency account's statements), whose own keys stay as they are (reference tables
in a distributed setup; their UNIQUE keys are the ones in KNOWN_GLOBAL_UNIQUES).
It also runs `duegate migrate` a second time: the tenant keys step (store/TenantKeys.cpp) is
idempotent, and the database refuses a row of one creditor that points at another creditor's dossier.
The static half (no query joins two tenant tables without equating creditor_id) is
tests/static/store_sql.py --check joins.
Usage: schema_tenancy.py --duegate BIN (needs DUEGATE_TEST_PG_URL; exit 77 without it).
"""
import argparse, os, random, sys, tempfile, shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run  # noqa: E402

# UNIQUE keys without creditor_id of the agency-wide tables (creditor_id NULL allowed).
KNOWN_GLOBAL_UNIQUES = {
    ("users", "email"),        # a login is global: staff have no creditor (creditor_id NULL)
    # Bank statements of the agency's client account cover every creditor: keyed by the account.
    ("statements", "account_owner,account_iban,currency,statement_key"),
    ("statement_lines", "account_owner,account_iban,line_key"),
}
# creditor_id may be NULL: staff users; the agency account's statements, their lines and what is
# done with them before a line is matched to a creditor's dossier.
KNOWN_NULLABLE = ["payment_actions", "statement_lines", "statements", "users"]


def q(url, sql):
    r = run(["psql", url, "-Atc", sql])
    assert r.returncode == 0, r.stderr
    return [l.split("|") for l in r.stdout.splitlines() if l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    args = ap.parse_args()
    base = os.environ.get("DUEGATE_TEST_PG_URL")
    if not base:
        print("DUEGATE_TEST_PG_URL not set: skipped")
        return 77
    schema = "tenancy%d" % random.randrange(10**9)
    work = tempfile.mkdtemp(prefix="duegate-tenancy-")
    try:
        run(["psql", base, "-qc", "CREATE SCHEMA " + schema])
        url = base + "?options=-csearch_path%3D" + schema
        cfg = os.path.join(work, "d.ini")
        open(cfg, "w").write("[store]\nurl = %s\n[portal]\nlink_secret_file = %s/link.key\n" % (url, work))
        r = run([args.duegate, "migrate", "--config", cfg])
        check(r.returncode == 0, "duegate migrate on a fresh schema", r.stderr)
        s = "'%s'" % schema
        tenant = {t: n for t, n in q(url, "SELECT table_name, is_nullable FROM information_schema.columns "
                                          "WHERE table_schema = %s AND column_name = 'creditor_id'" % s)}
        print("tenant tables: " + ", ".join(sorted(tenant)))
        check(len(tenant) >= 10, "the schema has its tenant tables", tenant)
        nullable = sorted(t for t, n in tenant.items() if n == "YES")
        check(nullable == KNOWN_NULLABLE, "creditor_id is NOT NULL in every table that has it but the agency-wide %s" %
              ", ".join(KNOWN_NULLABLE), nullable)

        # Unique keys: constraints and unique indexes alike (pg_index), with their columns.
        uniques = q(url, """
            SELECT c.relname, i.indisprimary, string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE n.nspname = %s AND i.indisunique GROUP BY c.relname, i.indexrelid, i.indisprimary""" % s)
        distributed = sorted(t for t, n in tenant.items() if n == "NO")
        pks = {t: cols.split(",") for t, primary, cols in uniques if primary == "t"}
        pk_without = sorted("%s(%s)" % (t, ",".join(pks.get(t, []))) for t in distributed
                            if "creditor_id" not in pks.get(t, []))
        print("tenant tables (creditor_id NOT NULL): %d" % len(distributed))
        check(not pk_without, "every tenant table has a primary key that includes creditor_id", pk_without)
        check(all(pks.get(t, [None])[0] == "creditor_id" for t in distributed),
              "... with creditor_id first, e.g. dossiers (%s)" % ",".join(pks.get("dossiers", [])))
        unique_without = sorted("%s(%s)" % (t, cols) for t, primary, cols in uniques
                                if t in distributed and primary != "t" and "creditor_id" not in cols.split(","))
        check(not unique_without, "every UNIQUE constraint and unique index of a tenant table includes creditor_id",
              unique_without)
        agency_uniques = sorted((t, cols) for t, primary, cols in uniques
                                if t in nullable and primary != "t" and "creditor_id" not in cols.split(","))
        unknown = sorted(set(agency_uniques) - KNOWN_GLOBAL_UNIQUES)
        check(not unknown, "the agency-wide tables have no other global UNIQUE key than the known ones", unknown)

        # Foreign keys, both sides' columns.
        fks = q(url, """
            SELECT c.conname, t.relname, r.relname,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s AND c.contype = 'f'""" % s)
        into_tenant = [f for f in fks if f[2] in distributed]
        single = sorted("%s: %s(%s) -> %s(%s)" % (name, t, c, r, rc) for name, t, r, c, rc in into_tenant
                        if "creditor_id" not in c.split(",") or "creditor_id" not in rc.split(","))
        check(len(into_tenant) >= 30, "foreign keys into tenant tables found (%d)" % len(into_tenant))
        check(not single, "every foreign key into a tenant table is composite with creditor_id on both sides", single)
        aligned = all(c.split(",")[0] == "creditor_id" and rc.split(",")[0] == "creditor_id"
                      for _, _, _, c, rc in into_tenant)
        check(aligned, "... (creditor_id, x_id) -> (creditor_id, id)")
        plain = sorted("%s(%s) -> %s" % (t, c, r) for _, t, r, c, _ in fks if r in nullable and t in tenant)
        print("foreign keys into agency-wide tables (stay on the id; reference tables): " + ", ".join(plain))

        # Idempotent: a second migrate changes nothing; the keys still hold.
        before = q(url, "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                        "WHERE n.nspname = %s" % s)
        r = run([args.duegate, "migrate", "--config", cfg])
        check(r.returncode == 0 and "up to date" in (r.stdout + r.stderr), "a second migrate applies nothing", r.stderr)
        after = q(url, "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                       "WHERE n.nspname = %s" % s)
        check(before == after, "... and leaves the constraints as they were", (before, after))

        # The database itself refuses a cross-creditor reference now.
        r = run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", """
            INSERT INTO creditors (id, name, intake_address, api_key_hash, created_at) VALUES
              (901, 'A', 'a@x', 'ha', 'now'), (902, 'B', 'b@x', 'hb', 'now');
            INSERT INTO debtors (id, creditor_id, match_key, name, created_at) VALUES (901, 901, 'k', 'D', 'now');
            INSERT INTO dossiers (id, creditor_id, debtor_id, reference, status, currency, open_minor, created_at,
                                  updated_at) VALUES (901, 901, 901, 'D1', 'active', 'EUR', 1, 'now', 'now');
            INSERT INTO events (creditor_id, dossier_id, at, kind, summary) VALUES (901, 901, 'now', 'k', 's');"""])
        check(r.returncode == 0, "rows of one creditor that point at each other are accepted", r.stderr)
        r = run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc",
                 "INSERT INTO events (creditor_id, dossier_id, at, kind, summary) VALUES (902, 901, 'now', 'k', 's')"])
        check(r.returncode != 0 and "foreign key" in r.stderr,
              "an event of creditor B pointing at creditor A's dossier is refused by a foreign key", r.stderr)
        run(["psql", base, "-qc", "DROP SCHEMA %s CASCADE" % schema])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish("schema tenancy")


if __name__ == "__main__":
    sys.exit(main())
