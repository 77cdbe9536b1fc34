#!/usr/bin/python3
"""Is the schema ready to be distributed by creditor_id (Citus-style)? Reads PostgreSQL's catalog
after `duegate migrate` and reports, for every tenant table (a table with a creditor_id column):
its primary key, its UNIQUE constraints and unique indexes, and its foreign keys to other tenant
tables, each with or without creditor_id (issue 13, item 4; docs/scale.md lists what a move still
needs).

It asserts what is true today, so a change that makes it worse fails:
- every tenant table has creditor_id NOT NULL except those in KNOWN_NULLABLE (staff users, the
  agency account's statements);
- every UNIQUE constraint / unique index of a tenant table includes creditor_id, except the known
  ones listed in KNOWN_GLOBAL_UNIQUES (each named in docs/scale.md);
- no tenant table's primary key includes creditor_id: each is one column (a Citus move would need
  (creditor_id, id): reported, not rewritten here).
Usage: schema_tenancy.py --duegate BIN (needs DUEGATE_TEST_PG_URL; exit 77 without it).
"""
import argparse, os, random, sys, tempfile, shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run  # noqa: E402

KNOWN_GLOBAL_UNIQUES = {
    ("users", "email"),        # a login is global: staff have no creditor (creditor_id NULL)
    ("link_tokens", "nonce"),  # random 128-bit nonce; unique by construction, looked up without a creditor
    # Bank statements of the agency's client account cover every creditor: keyed by the account.
    ("statements", "account_owner,account_iban,currency,statement_key"),
    ("statement_lines", "account_owner,account_iban,line_key"),
}
# creditor_id may be NULL: staff users; the agency account's statements, their lines and what is
# done with them before a line is matched to a creditor's dossier.
KNOWN_NULLABLE = ["line_states", "payment_actions", "statement_lines", "statements", "users"]


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
        check(nullable == KNOWN_NULLABLE, "creditor_id is NOT NULL in every tenant table but %s" %
              ", ".join(KNOWN_NULLABLE), nullable)

        # Unique keys: constraints and unique indexes alike (pg_index), with their columns.
        uniques = q(url, """
            SELECT c.relname, i.indisprimary, string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE n.nspname = %s AND i.indisunique GROUP BY c.relname, i.indexrelid, i.indisprimary""" % s)
        pk_without, unique_without = [], []
        for table, primary, cols in uniques:
            if table not in tenant:
                continue
            columns = cols.split(",")
            if "creditor_id" in columns:
                continue
            (pk_without if primary == "t" else unique_without).append((table, cols))
        print("primary keys without creditor_id: " + ", ".join("%s(%s)" % x for x in sorted(pk_without)))
        print("unique keys without creditor_id: " + ", ".join("%s(%s)" % x for x in sorted(unique_without)))
        check(sorted(t for t, _ in pk_without) == sorted(tenant) and all("," not in c for _, c in pk_without),
              "no tenant table's primary key includes creditor_id today: one column each (Citus would need "
              "(creditor_id, id))", pk_without)
        unknown = sorted(set(unique_without) - KNOWN_GLOBAL_UNIQUES)
        check(not unknown, "every other UNIQUE key of a tenant table includes creditor_id", unknown)

        # Foreign keys between tenant tables without creditor_id in them (co-location needs it).
        fks = q(url, """
            SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position), ccu.table_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
                 AND kcu.table_schema = tc.table_schema
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
                 AND ccu.table_schema = tc.table_schema
            WHERE tc.table_schema = %s AND tc.constraint_type = 'FOREIGN KEY'
            GROUP BY tc.table_name, tc.constraint_name, ccu.table_name""" % s)
        cross = sorted("%s(%s) -> %s" % (t, c, r) for t, c, r in fks
                       if t in tenant and r in tenant and "creditor_id" not in c.split(","))
        print("foreign keys between tenant tables without creditor_id: " + ", ".join(cross))
        check(True, "foreign keys reported (%d without creditor_id)" % len(cross))
        run(["psql", base, "-qc", "DROP SCHEMA %s CASCADE" % schema])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish("schema tenancy")


if __name__ == "__main__":
    sys.exit(main())
