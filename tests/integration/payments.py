#!/usr/bin/python3
"""Payments end to end (issue 9): real `duegate serve` + `duegate import` / `payout run` processes.

UBL mails make dossiers (an agency-mode creditor A paid on the agency's account, a creditor-mode
creditor B paid on its own IBAN with an RF reference); CAMT and CODA files BUILT HERE pay them by
OGM, by RF in free text, by invoice number, partially, twice, and reverse a payment; after each the
API shows the right status and amounts. The same file imported twice, and a new file by two
`duegate import` processes at once, adds each line once. A paid dossier's queued reminder is never
sent. The payout file validates against the official pain.001.001.09 XSD (when the corpus is there),
and a second run for the same day pays nothing again.

Usage: payments.py --duegate BIN --fixtures DIR --store sqlite|postgresql [--corpus DIR]
"""
import argparse
import csv, datetime, json, os, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401

AGENCY_IBAN = "BE62539007540061"
A_IBAN = "BE68539007547034"   # the IBAN the fixture invoice names: A registers it
B_IBAN = "BE09001123450057"
PAYER = "BE71096123456769"
TODAY = datetime.date.today().isoformat()


def ubl(template, number, payment_id=None, iban=None):
    x = template.replace("<cbc:ID>F2026-0042</cbc:ID>", "<cbc:ID>%s</cbc:ID>" % number, 1)
    if payment_id:
        x = x.replace("<cbc:PaymentID>+++202/5000/12390+++</cbc:PaymentID>", "<cbc:PaymentID>%s</cbc:PaymentID>" % payment_id)
    if iban:
        x = x.replace("<cbc:ID>%s</cbc:ID>" % A_IBAN, "<cbc:ID>%s</cbc:ID>" % iban)
    return x.encode()


def amount(cents):
    return "%d.%02d" % (abs(cents) // 100, abs(cents) % 100)


def camt(iban, stmt_id, entries, opening=0, kind="053"):
    """A CAMT.053 (or .054) document; entries: dicts amount (signed cents), ref, ustrd, svcr, name,
    iban, reversal, e2e."""
    closing = opening + sum(e["amount"] for e in entries)
    root, stmt = ("BkToCstmrStmt", "Stmt") if kind == "053" else ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
    ns = "camt.053.001.08" if kind == "053" else "camt.054.001.08"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:%s"><%s>' % (ns, root),
           '<GrpHdr><MsgId>%s</MsgId><CreDtTm>%sT18:00:00</CreDtTm></GrpHdr>' % (stmt_id, TODAY),
           '<%s><Id>%s</Id><CreDtTm>%sT18:00:00</CreDtTm>' % (stmt, stmt_id, TODAY),
           '<Acct><Id><IBAN>%s</IBAN></Id><Ccy>EUR</Ccy></Acct>' % iban]
    if kind == "053":
        for code, bal in (("PRCD", opening), ("CLBD", closing)):
            out.append('<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd>'
                       '<Dt><Dt>%s</Dt></Dt></Bal>' % (code, amount(bal), "CRDT" if bal >= 0 else "DBIT", TODAY))
    for e in entries:
        credit = e["amount"] > 0
        party = ('<RltdPties><Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct></RltdPties>'
                 % (e.get("name", "De Hoek BV"), e.get("iban", PAYER)))
        rmt = ""
        if e.get("ref"):
            rmt = '<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf>' % e["ref"]
        elif e.get("ustrd"):
            rmt = '<RmtInf><Ustrd>%s</Ustrd></RmtInf>' % e["ustrd"]
        out.append('<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>%s</CdtDbtInd>%s<Sts><Cd>BOOK</Cd></Sts>'
                   '<BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>%s</AcctSvcrRef>'
                   '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>'
                   '<NtryDtls><TxDtls><Refs><EndToEndId>%s</EndToEndId></Refs>%s%s</TxDtls></NtryDtls></Ntry>'
                   % (amount(e["amount"]), "CRDT" if credit else "DBIT",
                      "<RvslInd>true</RvslInd>" if e.get("reversal") else "", TODAY, TODAY, e["svcr"],
                      e.get("e2e", "NOTPROVIDED"), party, rmt))
    out.append('</%s></%s></Document>' % (stmt, root))
    return "\n".join(out).encode()


def coda(iban, number, entries, opening=0):
    """A CODA 2 file with 128-character records; entries: dicts amount (signed cents), ogm (12
    digits) or text, ref (bank reference), name, iban."""
    d = datetime.date.today().strftime("%d%m%y")

    def rec(s):
        assert len(s) <= 128, (len(s), s)
        return s.ljust(128)

    def num(cents):  # 15 digits, 3 decimals
        return "%015d" % (abs(cents) * 10)

    lines = [rec("00000" + d + "53905        DG-0045   DUEGATE TEST BV           GEBABEBB   00123456789" + " " * 45 + "2")]
    lines.append(rec("12" + number + iban.ljust(34) + "EUR" + ("0" if opening >= 0 else "1") + num(opening) +
                     d + "DUEGATE AGENCY".ljust(26) + "Client account".ljust(35) + number))
    debit = credit = 0
    for i, e in enumerate(entries, 1):
        seq = "%04d" % i
        if e["amount"] >= 0:
            credit += e["amount"]
        else:
            debit -= e["amount"]
        comm = ("1101" + e["ogm"]).ljust(54) if e.get("ogm") else ("0" + e.get("text", "")).ljust(54)
        lines.append(rec("21" + seq + "0000" + e["ref"].ljust(21) + ("0" if e["amount"] >= 0 else "1") + num(e["amount"]) +
                         d + "00150000" + comm + d + number + "0" + "1" + " " + "0"))
        lines.append(rec("22" + seq + "0000" + " " * 53 + "NOTPROVIDED".ljust(35) + "GEBABEBB".ljust(11) + " " * 16 + "1 0"))
        lines.append(rec("23" + seq + "0000" + e.get("iban", PAYER).ljust(34) + "EUR" + e.get("name", "De Hoek BV").ljust(35) +
                         " " * 43 + "0 0"))
    closing = opening + credit - debit
    lines.append(rec("8" + number + iban.ljust(34) + "EUR" + ("0" if closing >= 0 else "1") + num(closing) + d + " " * 64 + "0"))
    lines.append(rec("9" + " " * 15 + "%06d" % (len(lines) - 1) + num(debit) + num(credit) + " " * 75 + "2"))
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/corpus"))
    a = ap.parse_args()
    skip = pg_skip(a.store)
    if skip:
        return skip
    w = World(os.path.abspath(a.duegate), a.store, extra_config=f"""[agency]
name = Duegate Incasso
iban = {AGENCY_IBAN}
bic = GEBABEBB
""")
    with open(w.cfg, "a") as f:
        f.write(f"[payout]\nschedule = off\ndir = {w.work}/var/payout\n")
    template = open(os.path.join(a.fixtures, "intake", "peppol-invoice-F2026-0042.xml")).read()
    files = os.path.join(w.work, "files")
    os.makedirs(files)

    def write(name, data):
        p = os.path.join(files, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def imp(*paths, creditor=None):
        args = ["import"] + (["--creditor", str(creditor)] if creditor else []) + list(paths)
        r = w.cli(*args)
        lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        return r, lines

    try:
        A = w.add_creditor("Brouwerij Voorbeeld", "invoices@a.test", "--email", "boekhouding@voorbeeld.example",
                           "--iban", A_IBAN, "--collect-to", "agency")
        B = w.add_creditor("Bakkerij B", "invoices@b.test", "--email", "boekhouding@voorbeeld.example",
                           "--iban", B_IBAN, "--collect-to", "creditor")
        w.start_serve()

        def dossier(key, did):
            return w.api("/api/v1/dossiers/%d" % did, key)[1]

        def by_number(key, number):
            s, body = w.api("/api/v1/dossiers", key)
            for d in body.get("dossiers", []) if s == 200 else []:
                if any(i["number"] == number for i in d["invoices"]):
                    return d
            return None

        # -- UBL mails make dossiers --
        numbers = ["PAY-OGM", "PAY-TEXT", "PAY-INV", "PAY-PART", "PAY-TWICE", "PAY-REV", "PAY-CODA", "PAY-REMIND"]
        for n in numbers:
            w.send_mail(invoice_mail("boekhouding@voorbeeld.example", "invoices@a.test", "Factuur " + n,
                                     "<%s@a.test>" % n, ubl(template, n, payment_id="INVOICE " + n), n + ".xml"))
        w.send_mail(invoice_mail("boekhouding@voorbeeld.example", "invoices@b.test", "Factuur PAY-RF", "<rf@b.test>",
                                 ubl(template, "PAY-RF", payment_id="RF18539007547034", iban=B_IBAN), "rf.xml"))
        ok = wait_for(lambda: all(by_number(A["api_key"], n) for n in numbers) and by_number(B["api_key"], "PAY-RF"), 30)
        check(ok, "the UBL mails made a dossier each", w.serve_log()[-2000:])
        D = {n: dossier(A["api_key"], by_number(A["api_key"], n)["id"]) for n in numbers}
        D["PAY-RF"] = dossier(B["api_key"], by_number(B["api_key"], "PAY-RF")["id"])
        check(all(d["status"] == "active" and d["open_amount"] == "1234.50" and d["paid_amount"] == "0.00" for d in D.values()),
              "every dossier starts active, 1234.50 open, 0.00 paid", [(d["status"], d["open_amount"]) for d in D.values()])
        check(D["PAY-OGM"]["payee"]["iban"] == AGENCY_IBAN and D["PAY-OGM"]["reference"].startswith("+++"),
              "agency-mode dossiers are paid to the agency's account with their own OGM", D["PAY-OGM"])
        check(D["PAY-RF"]["payee"]["iban"] == B_IBAN and D["PAY-RF"]["reference"].startswith("RF"),
              "the creditor-mode dossier is paid to the creditor's IBAN with the invoice's RF", D["PAY-RF"])
        ogm = {n: "".join(ch for ch in D[n]["reference"] if ch.isdigit()) for n in numbers}

        def state(key, number):
            d = by_number(key, number)
            d = dossier(key, d["id"])
            return d["status"], d["open_amount"], d["paid_amount"]

        # A reminder already queued for PAY-REMIND (as the dunning run would plan it), due now.
        w.stop_serve()
        rid = D["PAY-REMIND"]["id"]
        now = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        sql = ("INSERT INTO outbound_messages (creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, subject, body, "
               "state, attempts, next_attempt_at, created_at, updated_at) VALUES (%d, %d, 'reminder:test:%d', 'email', "
               "'reminder', 'els@dehoek.example', 'Herinnering PAY-REMIND', 'Betaal aub', 'planned', 0, '%s', '%s', '%s')"
               % (A["id"], rid, rid, now, now, now))
        if a.store == "sqlite":
            con = sqlite3.connect(w.url[len("sqlite:"):])
            con.execute(sql)
            con.commit()
            con.close()
        else:
            schema = w.url.split("search_path%3D")[1]
            r = run(["psql", os.environ["DUEGATE_TEST_PG_URL"], "-q", "-c", "SET search_path TO %s; %s" % (schema, sql)])
            assert r.returncode == 0, r.stderr

        # -- CAMT on the agency's account: OGM, invoice number, partial, twice, reversal, the reminder's dossier --
        camt1 = write("day1.camt.xml", camt(AGENCY_IBAN, "ST-1", [
            {"amount": 123450, "ref": ogm["PAY-OGM"], "svcr": "S1-1"},
            {"amount": 123450, "ustrd": "betaling factuur PAY-INV dank u", "svcr": "S1-2"},
            {"amount": 50000, "ref": ogm["PAY-PART"], "svcr": "S1-3"},
            {"amount": 123450, "ref": ogm["PAY-TWICE"], "svcr": "S1-4"},
            {"amount": 123450, "ref": ogm["PAY-REV"], "svcr": "S1-5", "e2e": "E2E-REV-1"},
            {"amount": 123450, "ref": ogm["PAY-REMIND"], "svcr": "S1-6"},
        ]))
        r, out = imp(camt1)
        check(r.returncode == 0 and len(out) == 1 and out[0] == {
            "file": "day1.camt.xml", "kind": "statement", "statements": 1, "entries": 6, "duplicates": 0,
            "matched": 6, "suggested": 0, "unmatched": 0}, "duegate import prints the statement line, all 6 matched",
            r.stdout + r.stderr)
        w.start_serve()  # its outbox would send the reminder now, had the payment not cancelled it
        key = A["api_key"]
        check(state(key, "PAY-OGM") == ("paid", "0.00", "1234.50"), "paid by OGM: status paid, 0.00 open",
              state(key, "PAY-OGM"))
        check(state(key, "PAY-INV") == ("paid", "0.00", "1234.50"), "paid by invoice number in the remittance",
              state(key, "PAY-INV"))
        check(state(key, "PAY-PART") == ("active", "734.50", "500.00"), "a partial payment leaves the rest open",
              state(key, "PAY-PART"))

        # -- the same file again adds nothing --
        r, out = imp(camt1)
        check(r.returncode == 0 and out and out[0]["duplicates"] == 6 and out[0]["matched"] == 0,
              "the same file imported twice adds nothing", r.stdout + r.stderr)

        # -- day 2: the rest of the partial, the second payment of PAY-TWICE, the reversal --
        camt2 = write("day2.camt.xml", camt(AGENCY_IBAN, "ST-2", [
            {"amount": 73450, "ref": ogm["PAY-PART"], "svcr": "S2-1"},
            {"amount": 123450, "ref": ogm["PAY-TWICE"], "svcr": "S2-2"},
            {"amount": -123450, "ref": ogm["PAY-REV"], "svcr": "S2-3", "reversal": True, "e2e": "E2E-REV-1"},
        ], opening=123450 * 5 + 50000))
        # ... imported by two processes at once.
        procs = [subprocess.Popen([w.dg, "import", "--config", w.cfg, camt2], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        lines = [json.loads(o[0]) for o in outs if o[0].strip()]
        check(all(p.returncode == 0 for p in procs) and len(lines) == 2 and
              sorted(l["duplicates"] for l in lines) == [0, 3],
              "two processes importing one file at once: one stores the 3 lines, the other finds 3 duplicates",
              outs)
        check(state(key, "PAY-PART") == ("paid", "0.00", "1234.50"), "two partial payments pay the dossier",
              state(key, "PAY-PART"))
        check(state(key, "PAY-TWICE") == ("paid", "0.00", "1234.50"), "paid twice: still paid, never more than owed",
              state(key, "PAY-TWICE"))
        check(state(key, "PAY-REV") == ("active", "1234.50", "0.00"), "a reversal undoes the payment: active again",
              state(key, "PAY-REV"))
        s, body = w.api("/api/v1/payments?state=unmatched", key)
        twice = [p for p in body.get("payments", []) if p["reference"] and ogm["PAY-TWICE"] in p["reference"].replace("+", "").replace("/", "")
                 and not p["dossiers"]]
        check(s == 200 and len(twice) == 1 and twice[0]["suggestions"], "the second payment waits in the queue with a suggestion",
              body)
        s, body = w.api("/api/v1/payments?state=matched", key)
        check(s == 200 and len(body["payments"]) == 6, "the API lists the creditor's 6 matched payments (the reversed one is not)",
              [(p["id"], p["state"]) for p in body.get("payments", [])])
        s, events = w.api("/api/v1/dossiers/%d/events" % D["PAY-REV"]["id"], key)
        kinds = [e["kind"] for e in events.get("events", [])]
        check("payment_matched" in kinds and "dossier_paid" in kinds and "payment_unmatched" in kinds,
              "events payment_matched, dossier_paid and payment_unmatched on the reversed dossier", kinds)

        # -- CODA on the agency's account pays by OGM; a 3-decimal amount is left for a person --
        coda1 = write("day3.cod", coda(AGENCY_IBAN, "046", [
            {"amount": 123450, "ogm": ogm["PAY-CODA"], "ref": "CODA-REF-0001"},
        ]))
        r, out = imp(coda1)
        check(r.returncode == 0 and out and out[0]["matched"] == 1, "a CODA file pays a dossier by OGM", r.stdout + r.stderr)
        check(state(key, "PAY-CODA") == ("paid", "0.00", "1234.50"), "the CODA-paid dossier is paid", state(key, "PAY-CODA"))

        # -- creditor B's own account: RF in free text --
        camtb = write("b.camt.xml", camt(B_IBAN, "B-1", [
            {"amount": 123450, "ustrd": "factuur betaald ref RF18 5390 0754 7034 bedankt", "svcr": "B1-1"}]))
        r, out = imp(camtb)
        check(r.returncode == 0 and out and out[0]["matched"] == 1, "creditor B's statement: RF in free text matched",
              r.stdout + r.stderr)
        check(state(B["api_key"], "PAY-RF") == ("paid", "0.00", "1234.50"), "paid by RF in free text",
              state(B["api_key"], "PAY-RF"))
        s, body = w.api("/api/v1/payments", B["api_key"])
        check(s == 200 and len(body["payments"]) == 1, "creditor B sees only its own payment", body)
        # A statement attached to a mail at B's intake address is imported too.
        m = invoice_mail("boekhouding@voorbeeld.example", "invoices@b.test", "Rekeninguittreksel", "<st@b.test>")
        m.add_attachment(camt(B_IBAN, "B-2", [{"amount": 4200, "ustrd": "voorschot", "svcr": "B2-1"}], opening=123450),
                         maintype="application", subtype="xml", filename="b2.xml")
        w.send_mail(m)
        check(wait_for(lambda: len(w.api("/api/v1/payments", B["api_key"])[1].get("payments", [])) == 2, 20),
              "a statement attached to an intake mail is imported", w.api("/api/v1/payments", B["api_key"]))
        other = [p["id"] for p in w.api("/api/v1/payments?state=matched", key)[1]["payments"]][0]
        s, _ = w.api("/api/v1/payments/%d" % other, B["api_key"])
        check(s == 404, "another creditor's payment is 404", s)

        # -- an unknown account is rejected whole --
        bad = write("unknown.camt.xml", camt("BE71096123456769", "X-1", [{"amount": 100, "ref": ogm["PAY-OGM"], "svcr": "X"}]))
        r, out = imp(bad)
        check(r.returncode == 2 and not out and "neither the agency" in r.stderr, "a statement of an unknown account exits 2",
              r.stdout + r.stderr)

        # -- manual match over the API: 409 beyond the open amount, then the right amount --
        s, body = w.api("/api/v1/payments?state=unmatched", key)
        line = twice[0]["id"] if twice else 0
        s, body = w.api("/api/v1/payments/%d/match" % line, key,
                        json.dumps({"dossiers": [{"id": D["PAY-REV"]["id"], "amount": "2000.00"}]}).encode(), method="POST",
                        content_type="application/json")
        check(s == 409, "a manual match of more than the line is 409", (s, body))
        s, body = w.api("/api/v1/payments/%d/match" % line, key,
                        json.dumps({"dossiers": [{"id": D["PAY-REV"]["id"], "amount": "1234.50"}]}).encode(), method="POST",
                        content_type="application/json")
        check(s == 409, "applying a line whose amount is held as the debtor's credit is 409 until undone", (s, body))
        s, body = w.api("/api/v1/payments/%d/undo" % line, key, json.dumps({"reason": "paid twice: use it for PAY-REV"}).encode(),
                        method="POST", content_type="application/json")
        s, body = w.api("/api/v1/payments/%d/match" % line, key,
                        json.dumps({"dossiers": [{"id": D["PAY-REV"]["id"], "amount": "1234.50"}]}).encode(), method="POST",
                        content_type="application/json")
        check(s == 200 and body.get("state") == "matched" and body["dossiers"] == [{"id": D["PAY-REV"]["id"], "amount": "1234.50"}],
              "a manual match applies the line", (s, body))
        check(state(key, "PAY-REV") == ("paid", "0.00", "1234.50"), "the hand-matched dossier is paid", state(key, "PAY-REV"))

        # -- the paid dossier's queued reminder is never sent --
        wait_for(lambda: sum("Thank you for your payment" in m[1] for m in w.captured()) >= 8, 20)
        subjects = [m[1] for m in w.captured()]
        check(not any("PAY-REMIND" in s_ and "Herinnering" in s_ for s_ in subjects), "the paid dossier's queued reminder was never sent",
              subjects)
        check(any("Thank you for your payment" in s_ for s_ in subjects), "the debtor is thanked by mail", subjects)
        check(any("Payment received" in s_ for s_ in subjects), "the creditor is told by mail", subjects)

        # -- payout --
        tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
        r = w.cli("payout", "run", "--date", tomorrow)
        out = json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else {}
        pays = out.get("payouts", [])
        check(r.returncode == 0 and out.get("file") and len(pays) == 1 and pays[0]["creditor"] == A["id"] and
              pays[0]["amount"] == "8641.50" and pays[0]["currency"] == "EUR" and pays[0]["payments"] == 8,
              "payout run pays creditor A what was collected on the agency's account (7 dossiers x 1234.50, 8 payments)", r.stdout + r.stderr)
        xsd = os.path.join(a.corpus, "sepa", "pain.001.001.09.xsd")
        if out.get("file") and os.path.exists(xsd):
            x = run(["xmllint", "--noout", "--schema", xsd, out["file"]])
            check(x.returncode == 0, "the payout file validates against pain.001.001.09.xsd", x.stderr)
        else:
            print("skip: pain.001.001.09.xsd not found under", a.corpus)
        r = w.cli("payout", "run", "--date", tomorrow)
        check(r.returncode == 0 and json.loads(r.stdout) == {"file": None, "payouts": []},
              "a period already paid out pays nothing again", r.stdout + r.stderr)

        # -- costs claimed by the dunning run, imputed first, kept by the agency at payout --
        C_IBAN = "BE57539007547135"
        C = w.add_creditor("Cafe C", "invoices@c.test", "--email", "boekhouding@voorbeeld.example",
                           "--iban", C_IBAN, "--collect-to", "agency", "--fee", "250")
        r = w.cli("creditor", "set", "--id", str(C["id"]), "--keep", "everything")
        check(r.returncode == 2 and "--keep" in r.stderr, "creditor set --keep refuses an unknown value", r.stdout + r.stderr)
        r = w.cli("creditor", "set", "--id", str(C["id"]), "--keep", "costs")
        check(r.returncode == 0, "creditor set --keep costs", r.stdout + r.stderr)
        w.send_mail(invoice_mail("boekhouding@voorbeeld.example", "invoices@c.test", "Factuur PAY-KEEP", "<keep@c.test>",
                                 ubl(template, "PAY-KEEP", payment_id="INVOICE PAY-KEEP", iban=C_IBAN), "keep.xml"))
        check(wait_for(lambda: by_number(C["api_key"], "PAY-KEEP"), 30), "the UBL mail made C's dossier", w.serve_log()[-2000:])
        kd = dossier(C["api_key"], by_number(C["api_key"], "PAY-KEEP")["id"])
        # The dunning run, day after day, until its costs step claims the costs (be-businesses).
        day = datetime.date.today()
        for _ in range(120):
            r = w.cli("dunning", "run", "--today", day.isoformat())
            if r.returncode != 0 or dossier(C["api_key"], kd["id"])["open_amount"] != "1234.50":
                break
            day += datetime.timedelta(days=1)
        kd = dossier(C["api_key"], kd["id"])
        owed = int(kd["open_amount"].replace(".", ""))
        costs = owed - 123450
        check(r.returncode == 0 and costs > 0, "the dunning run's costs step adds the claimed costs to the open amount",
              (r.stdout + r.stderr, kd["open_amount"]))
        kogm = "".join(ch for ch in kd["reference"] if ch.isdigit())
        camtk = write("keep.camt.xml", camt(AGENCY_IBAN, "ST-K", [{"amount": owed, "ref": kogm, "svcr": "SK-1"}]))
        r, out = imp(camtk)
        check(r.returncode == 0 and out and out[0]["matched"] == 1 and
              state(C["api_key"], "PAY-KEEP") == ("paid", "0.00", kd["open_amount"]),
              "the debtor pays principal and costs: paid", (r.stdout, state(C["api_key"], "PAY-KEEP")))
        # The import books in batches (BatchBooking.h): the same split as one by one, on the match,
        # in the payment_matched event and in the creditor's mail (C has no portal users).
        def query(q):
            if a.store == "sqlite":
                con = sqlite3.connect(w.url[len("sqlite:"):])
                rows = [tuple(str(x) for x in row) for row in con.execute(q)]
                con.close()
                return rows
            schema = w.url.split("search_path%3D")[1]
            r = run(["psql", os.environ["DUEGATE_TEST_PG_URL"], "-qAt", "-F", "\t", "-c",
                     "SET search_path TO %s; %s" % (schema, q)])
            assert r.returncode == 0, r.stderr
            return [tuple(l.split("\t")) for l in r.stdout.splitlines() if l]
        rows = query("SELECT amount_minor, costs_minor, interest_minor FROM payment_matches WHERE dossier_id = %d "
                     "AND undone_at IS NULL" % kd["id"])
        check(rows == [(str(owed), str(costs), "0")], "the imported match stores its split: costs first", rows)
        rows = query("SELECT summary, data FROM events WHERE dossier_id = %d AND kind = 'payment_matched'" % kd["id"])
        check(len(rows) == 1 and "imputed" in rows[0][0] and
              json.loads(rows[0][1]).get("costs") == costs and json.loads(rows[0][1]).get("principal") == 123450,
              "the payment_matched event names the split (principal, interest, costs)", rows)
        rows = query("SELECT COUNT(*), SUM(CASE WHEN body LIKE '%%It was imputed%%' THEN 1 ELSE 0 END) FROM "
                     "outbound_messages WHERE dossier_id = %d AND purpose = 'payment_received'" % kd["id"])
        check(rows == [("1", "1")], "the creditor's mail names the split", rows)
        r = w.cli("payout", "run", "--date", tomorrow)
        out = json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else {}
        pays = out.get("payouts", [])
        fee = (123450 * 250 + 5000) // 10000  # 2.5 % of what is collected for C (the kept costs excluded)
        net = owed - costs - fee
        check(len(pays) == 1 and pays[0]["creditor"] == C["id"] and pays[0]["amount"] == amount(net),
              "the payout keeps the costs and the fee: %s transferred" % amount(net), r.stdout + r.stderr)
        if out.get("file") and os.path.exists(xsd):
            x = run(["xmllint", "--noout", "--schema", xsd, out["file"]])
            check(x.returncode == 0, "the payout file with kept costs validates against pain.001.001.09.xsd", x.stderr)
        xml = open(out["file"]).read() if out.get("file") else ""
        check('<InstdAmt Ccy="EUR">%s</InstdAmt>' % amount(net) in xml and
              "<CtrlSum>%s</CtrlSum>" % amount(net) in xml, "the pain.001 amount and control sum are the net", xml[-800:])
        csvs = [f for f in os.listdir(os.path.join(w.work, "var", "payout")) if f.endswith("-creditor-%d.csv" % C["id"])]
        rows = list(csv.reader(open(os.path.join(w.work, "var", "payout", csvs[0])))) if len(csvs) == 1 else []
        head = rows[0] if rows else []
        col = {n: i for i, n in enumerate(head)}
        paid = [x for x in rows[1:] if x[col["kind"]] == "paid"] if rows else []
        tot = {x[col["kind"]]: x for x in rows[1:] if not x[0]} if rows else {}
        cents = lambda v: int(round(float(v) * 100)) if v else 0
        check(head == ["dossier", "invoices", "booked", "payer", "kind", "amount", "principal", "interest", "costs", "kept",
                       "currency"] and len(paid) == 1 and cents(paid[0][col["amount"]]) == owed and
              cents(paid[0][col["principal"]]) == 123450 and cents(paid[0][col["costs"]]) == costs and
              cents(paid[0][col["interest"]]) == 0 and cents(paid[0][col["kept"]]) == costs,
              "the statement splits the payment: principal 1234.50, costs %s kept" % amount(costs), rows)
        check(rows and cents(tot["gross"][col["amount"]]) + cents(tot["fee"][col["amount"]]) +
              cents(tot["kept"][col["amount"]]) == cents(tot["paid out"][col["amount"]]) == net,
              "the statement adds up: gross - fee - kept = paid out = the pain.001 amount", rows)
        r = w.cli("payout", "run", "--date", tomorrow)
        check(r.returncode == 0 and json.loads(r.stdout) == {"file": None, "payouts": []},
              "the period with kept costs is not paid out again", r.stdout + r.stderr)
    finally:
        w.close()
    return finish("payments " + a.store)


if __name__ == "__main__":
    sys.exit(main())
