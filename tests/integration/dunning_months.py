#!/usr/bin/python3
"""Six months of dunning, day by day, with a real `duegate serve` (issue 10 item 9, engine side).

Four invoices arrive by mail as Peppol UBL, one per regime: BE B2C (Brugge, Dutch), BE B2B
(Brussels, French), NL B2C and NL B2B (Dutch). Then `duegate dunning run --today D` runs for every
day from 5 January to 5 July 2026. After each run the script reads the outbox (the store) to know
on which day each message was queued; serve's outbox sends the e-mails to an aiosmtpd capture,
which is compared at the end. SMS and letters are queued rows here (their delivery is the
channels' work). Checked: each message's day, channel, language, legal content and amounts; a
promise pauses the BE B2B dossier until its grace ends, then a promise_broken task appears and the
policy resumes; a payment of the NL B2B dossier stops everything; running a day twice queues
nothing new; `task list` prints the tasks.

Usage: dunning_months.py --duegate BUILD/duegate --fixtures DIR [--store sqlite|postgresql]
"""
import argparse, datetime, json, os, re, sqlite3, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F403

BUYERS = {
    "be-b2c": dict(name="Jan Peeters", street="Zandstraat 3", city="Brugge", postcode="8000", country="BE",
                   email="jan@peeters.example", phone="+32470111222", vat=None, number="F2026-0101",
                   due="2026-02-04", amount="1234.50"),
    "be-b2b": dict(name="Boulangerie Dupont", street="Rue Haute 5", city="Bruxelles", postcode="1000", country="BE",
                   email="compta@dupont.example", phone=None, vat="BE0403170701", number="F2026-0102",
                   due="2026-02-10", amount="1234.50"),
    "nl-b2c": dict(name="Anna de Vries", street="Prinsengracht 100", city="Amsterdam", postcode="1015 EA",
                   country="NL", email="anna@devries.example", phone=None, vat=None, number="F2026-0103",
                   due="2026-02-06", amount="1234.50"),
    "nl-b2b": dict(name="Jansen Transport BV", street="Havenweg 9", city="Rotterdam", postcode="3011 AA",
                   country="NL", email="admin@jansen.example", phone=None, vat="NL001234567B01", number="F2026-0104",
                   due="2026-02-05", amount="1234.50"),
}


def ubl_for(base, b):
    party = ["<cac:AccountingCustomerParty><cac:Party>",
             "<cac:PartyName><cbc:Name>%s</cbc:Name></cac:PartyName>" % b["name"],
             "<cac:PostalAddress><cbc:StreetName>%s</cbc:StreetName><cbc:CityName>%s</cbc:CityName>"
             "<cbc:PostalZone>%s</cbc:PostalZone><cac:Country><cbc:IdentificationCode>%s</cbc:IdentificationCode>"
             "</cac:Country></cac:PostalAddress>" % (b["street"], b["city"], b["postcode"], b["country"])]
    if b["vat"]:
        party.append("<cac:PartyTaxScheme><cbc:CompanyID>%s</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
                     "</cac:TaxScheme></cac:PartyTaxScheme>" % b["vat"])
    party.append("<cac:PartyLegalEntity><cbc:RegistrationName>%s</cbc:RegistrationName></cac:PartyLegalEntity>" % b["name"])
    contact = "<cac:Contact>"
    if b["phone"]:
        contact += "<cbc:Telephone>%s</cbc:Telephone>" % b["phone"]
    contact += "<cbc:ElectronicMail>%s</cbc:ElectronicMail></cac:Contact>" % b["email"]
    party.append(contact + "</cac:Party></cac:AccountingCustomerParty>")
    x = re.sub(r"<cac:AccountingCustomerParty>.*</cac:AccountingCustomerParty>", "".join(party), base, flags=re.S)
    x = x.replace("<cbc:ID>F2026-0042</cbc:ID>", "<cbc:ID>%s</cbc:ID>" % b["number"], 1)
    x = x.replace("<cbc:DueDate>2026-02-04</cbc:DueDate>", "<cbc:DueDate>%s</cbc:DueDate>" % b["due"], 1)
    return x.encode("utf-8")


class Store:
    """Reads (and, to stand in for the portal and payments capabilities, writes) the store."""

    def __init__(self, world):
        self.w = world

    def rows(self, sql):
        if self.w.store == "sqlite":
            con = sqlite3.connect(self.w.url[len("sqlite:"):], timeout=30)
            try:
                cur = con.execute(sql)
                out = cur.fetchall()
                con.commit()
                return out
            finally:
                con.close()
        env = dict(os.environ, PGOPTIONS="-csearch_path=" + self.w.url.split("%3D")[-1])
        r = run(["psql", os.environ["DUEGATE_TEST_PG_URL"], "-q", "-At", "-F", "\x1f", "-R", "\x1e", "-c", sql], env=env)
        assert r.returncode == 0, r.stderr
        return [tuple(rec.split("\x1f")) for rec in r.stdout.rstrip("\n").split("\x1e") if rec]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    skip = pg_skip(args.store)
    if skip:
        return skip
    base = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), encoding="utf-8").read()
    w = World(args.duegate, args.store, "[dunning]\nschedule = off\ntime_zone = Europe/Brussels\n",
              prefix="duegate-dunning-")
    started = time.time()
    try:
        db = Store(w)
        creditor = w.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "--email",
                                  "boekhouding@voorbeeld.example", "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        w.start_serve()
        for regime, b in BUYERS.items():
            w.send_mail(invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                                     "Factuur " + b["number"], "<%s@voorbeeld.example>" % b["number"],
                                     ubl_for(base, b), b["number"] + ".xml"))
        debtors = {b["email"] for b in BUYERS.values()}
        notices = wait_for(lambda: len([m for m in w.captured() if m[0] in debtors]) >= 4, 30)
        check(notices, "four payment notices reach the debtors", [m[1] for m in w.captured()])
        dossiers = {}
        for regime, b in BUYERS.items():
            rows = db.rows("SELECT d.id, d.language, b.kind FROM dossiers d JOIN invoices i ON i.dossier_id = d.id "
                           "JOIN debtors b ON b.id = d.debtor_id WHERE i.number = '%s'" % b["number"])
            check(len(rows) == 1, "dossier for %s (%s)" % (b["number"], regime), rows)
            dossiers[regime] = int(rows[0][0]) if rows else 0
        lang = {r: db.rows("SELECT language FROM dossiers WHERE id = %d" % i)[0][0] for r, i in dossiers.items()}
        check(lang == {"be-b2c": "nl", "be-b2b": "fr", "nl-b2c": "nl", "nl-b2b": "nl"},
              "languages by country and postcode: Brugge nl, Brussels fr, the Netherlands nl", lang)
        notice_fr = [m for m in w.captured() if m[0] == BUYERS["be-b2b"]["email"]]
        check(notice_fr and "1.234,50 €" in notice_fr[0][2].replace("\xa0", " ") and "Facture" in notice_fr[0][1],
              "the Brussels notice is French with a French amount", notice_fr)

        # ---- six months, day by day ----
        queued_on = {}          # outbound id -> (day, dossier, channel, purpose, recipient, subject, body)
        seen = set()
        day = datetime.date(2026, 1, 5)
        end = datetime.date(2026, 7, 5)
        twice_ok = None
        promise_day, paid_day = datetime.date(2026, 2, 20), datetime.date(2026, 2, 25)
        totals = {"queued": 0, "tasks": 0}
        while day <= end:
            if day == promise_day:
                # The debtor page (portal capability) would record this: a promise to pay by 6 March.
                db.rows("INSERT INTO promises (creditor_id, dossier_id, made_on, promised_date, amount_minor, currency, "
                        "state, source, created_at) VALUES (%d, %d, '%s', '2026-03-06', NULL, 'EUR', 'open', "
                        "'debtor_page', '%sT10:00:00.000000Z')" % (creditor["id"], dossiers["be-b2b"], day, day))
                db.rows("UPDATE dossiers SET status = 'promised' WHERE id = %d" % dossiers["be-b2b"])
            if day == paid_day:
                # The payments capability would match a statement line: the NL B2B dossier is paid.
                db.rows("UPDATE dossiers SET status = 'paid', open_minor = 0, paid_minor = 123450 WHERE id = %d"
                        % dossiers["nl-b2b"])
            r = w.cli("dunning", "run", "--today", day.isoformat())
            if r.returncode != 0:
                check(False, "dunning run %s exits 0" % day, r.stderr)
                break
            out = json.loads(r.stdout)
            if sorted(out) != ["date", "dossiers", "paused", "queued", "tasks", "waiting"] or out["date"] != day.isoformat():
                check(False, "dunning run prints exactly {date, dossiers, queued, tasks, waiting, paused}", r.stdout)
            totals["queued"] += out["queued"]
            totals["tasks"] += out["tasks"]
            if day == datetime.date(2026, 2, 9):
                again = json.loads(w.cli("dunning", "run", "--today", day.isoformat()).stdout)
                twice_ok = out["queued"] > 0 and again["queued"] == 0 and again["tasks"] == 0
            for row in db.rows("SELECT id, dossier_id, channel, purpose, recipient, subject, body FROM outbound_messages "
                               "WHERE dossier_id IS NOT NULL ORDER BY id"):
                if int(row[0]) not in seen:
                    seen.add(int(row[0]))
                    queued_on[int(row[0])] = (day, int(row[1])) + tuple(row[2:])
            day += datetime.timedelta(days=1)
        elapsed = time.time() - started
        check(twice_ok, "running 9 February twice queues nothing new the second time")
        check(elapsed < 120, "182 daily runs in under 120 s (%.1f s)" % elapsed)

        def msgs(regime, purpose="reminder"):
            return sorted([v for v in queued_on.values() if v[1] == dossiers[regime] and v[3] == purpose])

        def show(ms):
            return [(str(m[0]), m[2], (m[5] or "")[:60]) for m in ms]

        # BE B2C, be-consumers: friendly at due -3, Book XIX first reminder at due +5 (e-mail), SMS nudge
        # 7 days later, the damages reminder once the 14-day term ended (e-mail + letter), then the
        # lawyer letter.
        be = msgs("be-b2c")
        check([(str(m[0]), m[2]) for m in be[:5]] ==
              [("2026-02-01", "email"), ("2026-02-09", "email"), ("2026-02-16", "sms"), ("2026-02-26", "email"),
               ("2026-02-26", "letter")],
              "BE B2C: friendly 1 Feb, first reminder 9 Feb, SMS 16 Feb, damages e-mail + letter 26 Feb", show(be))
        first = [m for m in be if m[0] == datetime.date(2026, 2, 9)]
        if first:
            body = first[0][6].replace("\xa0", " ")
            check("Eerste kosteloze herinnering" in first[0][5] and "1.234,50 €" in body and "101,72 €" in body and
                  "0123456749" in body and "23-02-2026" in body and "F2026-0101" in body and "kosteloos" in body,
                  "BE B2C first reminder (nl): free, balance, XIX.4 damages 101,72 €, enterprise number, invoice, "
                  "term end 23-02-2026", body)
        costs = [m for m in be if m[0] == datetime.date(2026, 2, 26) and m[2] == "letter"]
        check(costs and "Zandstraat 3" in costs[0][4] and "1.336,22 €" in costs[0][6].replace("\xa0", " "),
              "BE B2C damages letter: postal address, total 1.336,22 € (1.234,50 + 101,72)", costs)
        amounts = db.rows("SELECT amounts FROM outbound_messages WHERE dossier_id = %d AND channel = 'letter' "
                          "AND amounts IS NOT NULL ORDER BY id" % dossiers["be-b2c"])
        check(amounts and "Schadebeding" in amounts[0][0] and "10172" in amounts[0][0],
              "the damages letter hands its amounts table (Schadebeding 101,72 € with basis) to the letter channel",
              amounts)
        sms = [m for m in be if m[2] == "sms"]
        check(sms and sms[0][4] == "+32470111222" and len(sms[0][6]) <= 306 and "/d/" in sms[0][6],
              "BE B2C SMS to the debtor's phone, short, with the personal link", sms)

        # NL B2C, nl-consumers: friendly at due +2, the 14-day letter (letter + e-mail) at due +10, the
        # BIK only after the term, never on a Sunday.
        nl = msgs("nl-b2c")
        check([(str(m[0]), m[2]) for m in nl[:3]] == [("2026-02-09", "email"), ("2026-02-17", "email"),
                                                       ("2026-02-17", "letter")],
              "NL B2C: friendly 9 Feb (8 Feb is a Sunday), 14-day letter by post and e-mail 17 Feb (8 days "
              "after the friendly one, the policy's spacing)", show(nl))
        fourteen = [m for m in nl if m[0] == datetime.date(2026, 2, 17) and m[2] == "email"]
        if fourteen:
            body = fourteen[0][6].replace("\xa0", " ")
            check("veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in body and "185,17 €" in body,
                  "NL 14-day letter: the HR wording and the BIK (15 % of 1.234,50 = 185,17 €, rounded down)", body)
        check(all(m[0].weekday() != 6 for m in nl), "nothing to a Dutch consumer on a Sunday", show(nl))
        bik = [m for m in nl if "185,17" in m[6] and m[0] > datetime.date(2026, 2, 17)]
        check(bik and str(bik[0][0]) == "2026-03-06" and "1.419,67" in bik[0][6],
              "the BIK (total 1.419,67 €) is claimed the day after the 14-day term: letter 17 Feb, receipt "
              "assumed 19 Feb, term 20 Feb - 5 Mar", show(bik))

        # BE B2B, French: reminder at due +3, then the promise pauses it from 20 Feb to 6 Mar + 3 days.
        fr = msgs("be-b2b")
        check(fr and str(fr[0][0]) == "2026-02-13" and "Rappel de paiement" in fr[0][5] and
              "40,00 €" in fr[0][6].replace("\xa0", " "),
              "BE B2B: French reminder on 13 Feb naming the 40,00 € compensation", show(fr))
        paused = [m for m in fr if datetime.date(2026, 2, 20) <= m[0] <= datetime.date(2026, 3, 9)]
        check(not paused, "the promise pauses the BE B2B dossier until 6 March + 3 days grace", show(paused))
        r = w.cli("task", "list")
        tasks = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        broken = [t for t in tasks if t["dossier_id"] == dossiers["be-b2b"] and t["kind"] == "promise_broken"]
        check(r.returncode == 0 and broken and broken[0]["due_date"] == "2026-03-10" and broken[0]["priority"] == 1,
              "task list: a promise_broken call task due 10 March, priority 1", tasks)
        after = [m for m in fr if m[0] > datetime.date(2026, 3, 9)]
        check(after, "the BE B2B policy resumes after the broken promise", show(fr))
        r2 = w.cli("task", "list", "--due-by", "2026-02-01")
        check(r2.returncode == 0 and r2.stdout.strip() == "", "task list --due-by filters by due date", r2.stdout)

        # NL B2B: reminder at due +3 (8 Feb is a Sunday -> 9 Feb), then paid on 25 Feb: nothing after.
        nb = msgs("nl-b2b")
        check(nb and str(nb[0][0]) == "2026-02-09", "NL B2B reminder on 9 February", show(nb))
        check(not [m for m in queued_on.values() if m[1] == dossiers["nl-b2b"] and m[0] >= paid_day],
              "a payment stops everything for the NL B2B dossier", show(nb))

        # Every e-mail queued reached the capture server (serve's outbox), and the timeline names them.
        emails = [m for m in queued_on.values() if m[2] == "email"]
        got = wait_for(lambda: len(w.captured()) >= len(emails) + 4, 60)  # + the 4 acknowledgements
        check(got, "serve delivered every queued e-mail (%d) to the capture server" % len(emails),
              "%d captured" % len(w.captured()))
        ev = db.rows("SELECT COUNT(*) FROM events WHERE kind = 'message_queued' AND data LIKE '%outbound_message_id%'")
        check(int(ev[0][0]) >= len(queued_on), "each queued message is a message_queued event naming its row", ev)
        status, detail = w.api("/api/v1/dossiers/%d" % dossiers["be-b2c"], creditor["api_key"])
        na = detail.get("next_action", "missing") if isinstance(detail, dict) else "missing"
        check(status == 200 and (na is None or (isinstance(na, dict) and sorted(na) == ["date", "kind"])),
              "GET /api/v1/dossiers/{id} answers next_action as {date, kind} or null", detail)
        # serve runs the same job by itself at [dunning] schedule (00:00: due at once, today).
        w.stop_serve()
        cfg = open(w.cfg).read().replace("schedule = off", "schedule = 00:00")
        open(w.cfg, "w").write(cfg)
        w.start_serve()
        ran = wait_for(lambda: re.search(r"dunning run \d{4}-\d\d-\d\d: \d+ dossiers", w.serve_log()), 40)
        check(ran, "serve runs the dunning job at [dunning] schedule", w.serve_log()[-1500:])
        print("totals: %s over %d days in %.1f s" % (totals, (end - datetime.date(2026, 1, 5)).days + 1, elapsed))
    finally:
        w.stop_serve()
        w.close()
    return finish("dunning_months")


if __name__ == "__main__":
    sys.exit(main())
