#!/usr/bin/python3
"""Fills a migrated SQLite store with N open dossiers for the dunning run benchmark.

Usage: gen.py DB N RUN_DAY
Ten creditors; one debtor, dossier and invoice per dossier; half consumers, half businesses; 70 %
Belgian, 30 % Dutch; due dates spread evenly over the 60 days after RUN_DAY, so on RUN_DAY about one
dossier in 60 has a friendly reminder due (due - 3) and the rest waits: the run must stream over
all of them and act on a few, as a real day does.
"""
import datetime, sqlite3, sys

db, n, run_day = sys.argv[1], int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=OFF")
now = "2026-01-01T00:00:00.000000Z"
for c in range(1, 11):
    con.execute("INSERT INTO creditors (id, name, intake_address, email, iban, bic, api_key_hash, created_at, "
                "collect_to, enterprise_number) VALUES (?, ?, ?, ?, 'BE68539007547034', 'GKCCBEBB', ?, ?, 'creditor', "
                "'0123456749')", (c, "Creditor %d" % c, "in%d@bench.test" % c, "c%d@bench.test" % c, "hash%d" % c, now))
batch = 20000
for start in range(0, n, batch):
    debtors, dossiers, invoices = [], [], []
    for i in range(start + 1, min(n, start + batch) + 1):
        c = i % 10 + 1
        nl = i % 10 >= 7
        consumer = i % 2 == 0
        due = run_day + datetime.timedelta(days=i % 60 + 1)
        debtors.append((i, c, "k%d" % i, "Debtor %d" % i, "d%d@bench.test" % i, "Street %d" % i,
                        "1011 AB" if nl else "8000", "Amsterdam" if nl else "Brugge", "NL" if nl else "BE",
                        "consumer" if consumer else "business", now))
        dossiers.append((i, c, i, "D%07d" % i, 100000 + i % 50000, "%012d" % i, now, now,
                         "Creditor %d" % c, "BE68539007547034", "+++000/0000/09797+++"))
        invoices.append((i, c, i, "F%07d" % i, 100000 + i % 50000, "2026-01-01", due.isoformat(), now))
    con.executemany("INSERT INTO debtors (id, creditor_id, match_key, name, email, street, postcode, city, country, kind, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", debtors)
    con.executemany("INSERT INTO dossiers (id, creditor_id, debtor_id, reference, status, currency, open_minor, ogm, "
                    "created_at, updated_at, payee_name, payee_iban, payment_reference) "
                    "VALUES (?, ?, ?, ?, 'active', 'EUR', ?, ?, ?, ?, ?, ?, ?)", dossiers)
    con.executemany("INSERT INTO invoices (id, creditor_id, dossier_id, document_type, number, amount_minor, currency, "
                    "issue_date, due_date, created_at) VALUES (?, ?, ?, 'Invoice', ?, ?, 'EUR', ?, ?, ?)", invoices)
    con.commit()
con.execute("ANALYZE")
con.commit()
print("generated %d dossiers" % n)
