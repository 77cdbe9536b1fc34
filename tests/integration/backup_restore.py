#!/usr/bin/python3
"""Backup and restore as docs/operations.md tells the operator (issue 13, item 5): invoice mails in,
a backup while serve runs, the store wiped, the backup restored: the dossiers and the raw mails are
back and serve runs on the restored store (takes a new mail and makes its dossier).

SQLite: `sqlite3 DB ".backup FILE"` (online, consistent; it holds the small mails, committed in the
database with their rows), then a copy of the blobs folder (blobs are content-addressed and never
change, so copying them after the database snapshot covers every blob it names). PostgreSQL:
`pg_dump -Fc` / `pg_restore` of the schema (blobs are in the database).
Usage: backup_restore.py --duegate BIN --fixtures DIR [--store sqlite|postgresql]
"""
import argparse, os, shutil, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401
from resilience import invoice, raw_mails_ok, INTAKE, SENDER  # noqa: E402


def dossiers(w, key):
    status, body = w.api("/api/v1/dossiers", key)
    return body.get("dossiers", []) if status == 200 and isinstance(body, dict) else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    skip = pg_skip(args.store)
    if skip:
        return skip
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    w = World(args.duegate, args.store)
    try:
        c = w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER, "--sender", SENDER,
                           "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        key = c["api_key"]
        w.start_serve()
        for k in range(3):
            w.send_mail(invoice(ubl, k + 1))
        check(bool(wait_for(lambda: len(dossiers(w, key)) == 3, 30)), "three invoice mails became three dossiers")
        before = sorted(d["reference"] for d in dossiers(w, key))
        n_items, bad = raw_mails_ok(w)
        check(n_items == 3 and not bad, "three raw mails stored", (n_items, bad))

        # The backup, taken while serve runs.
        backup = os.path.join(w.work, "backup")
        os.makedirs(backup)
        if w.store == "sqlite":
            db = w.url[len("sqlite:"):]
            r = run(["sqlite3", db, ".backup '%s'" % os.path.join(backup, "duegate.db")])
            check(r.returncode == 0, "sqlite3 .backup while serve runs", r.stderr)
            shutil.copytree(os.path.join(w.work, "var", "blobs"), os.path.join(backup, "blobs"))
        else:
            schema = w.url.split("search_path%3D")[1]
            base = os.environ["DUEGATE_TEST_PG_URL"]
            r = run(["pg_dump", "-Fc", "-n", schema, "-f", os.path.join(backup, "duegate.dump"), base])
            check(r.returncode == 0, "pg_dump -Fc while serve runs", r.stderr)
        w.stop_serve()

        # The disaster: the store is gone.
        if w.store == "sqlite":
            for f in os.listdir(os.path.join(w.work, "var")):
                if f.startswith("duegate.db"):
                    os.remove(os.path.join(w.work, "var", f))
            shutil.rmtree(os.path.join(w.work, "var", "blobs"))
        else:
            run(["psql", base, "-qc", "DROP SCHEMA %s CASCADE; CREATE SCHEMA %s" % (schema, schema)])
        r = w.cli("migrate")  # an empty store: the dossiers are gone
        w.start_serve()
        check(dossiers(w, key) == [], "after the wipe the store is empty")
        w.stop_serve()

        # The restore.
        if w.store == "sqlite":
            for f in os.listdir(os.path.join(w.work, "var")):
                if f.startswith("duegate.db"):
                    os.remove(os.path.join(w.work, "var", f))
            shutil.copy(os.path.join(backup, "duegate.db"), db)
            shutil.rmtree(os.path.join(w.work, "var", "blobs"), ignore_errors=True)
            shutil.copytree(os.path.join(backup, "blobs"), os.path.join(w.work, "var", "blobs"))
        else:
            run(["psql", base, "-qc", "DROP SCHEMA %s CASCADE" % schema])
            r = run(["pg_restore", "-d", base, os.path.join(backup, "duegate.dump")])
            check(r.returncode == 0, "pg_restore of the dump", r.stderr)
        w.start_serve()
        after = sorted(d["reference"] for d in dossiers(w, key))
        check(after == before, "the dossiers are back after the restore", (before, after))
        n_items, bad = raw_mails_ok(w)
        check(n_items == 3 and not bad, "the raw mails are back and match their sha256", (n_items, bad))
        w.send_mail(invoice(ubl, 99))
        check(bool(wait_for(lambda: len(dossiers(w, key)) == 4, 30)),
              "serve runs on the restored store: a new mail becomes a fourth dossier")
        w.stop_serve()
    finally:
        w.close()
    return finish("backup and restore (%s)" % args.store)


if __name__ == "__main__":
    sys.exit(main())
