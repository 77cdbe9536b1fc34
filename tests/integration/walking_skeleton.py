#!/usr/bin/python3
"""The walking skeleton, end to end with real processes on loopback (issue: foundation, item 6).

duegate serve  <- smtplib (a real SMTP client) sends a creditor's invoice mail with a Peppol UBL
               -> aiosmtpd (a real SMTP server) captures the acknowledgement and the payment notice
               <- urllib opens the debtor's personal link, the creditor API and the portal login.

Usage: walking_skeleton.py --duegate BUILD/duegate --fixtures DIR [--store sqlite|postgresql]
PostgreSQL needs DUEGATE_TEST_PG_URL (scripts/test.sh starts a throwaway cluster); each run uses a
schema of its own. Exit 0 when every check passed; prints "N passed, M failed".
"""
import argparse, email, email.policy, http.cookiejar, json, mailbox, os, random, re, signal, shutil
import smtplib, socket, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PASSED, FAILED, check, port_open, free_port, wait_for, run, invoice_mail, captured, fetch  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    if args.store == "postgresql" and not os.environ.get("DUEGATE_TEST_PG_URL"):
        print("DUEGATE_TEST_PG_URL not set: skipped (scripts/test.sh starts a throwaway PostgreSQL)")
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()

    work = tempfile.mkdtemp(prefix="duegate-it-")
    procs = []
    try:
        smtp_in, portal, capture = free_port(), free_port(), free_port()
        maildir = os.path.join(work, "captured")
        procs.append(subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % capture,
             "-c", "aiosmtpd.handlers.Mailbox", maildir],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "aiosmtpd.log"), "w")))
        if not wait_for(lambda: port_open(capture), 20):
            raise SystemExit("aiosmtpd did not start on port %d" % capture)

        if args.store == "sqlite":
            url = "sqlite:" + os.path.join(work, "var", "duegate.db")
        else:
            base = os.environ["DUEGATE_TEST_PG_URL"]
            schema = "it%d" % random.randrange(10**9)
            r = run(["psql", base, "-q", "-c", "CREATE SCHEMA " + schema])
            assert r.returncode == 0, r.stderr
            url = base + "?options=-csearch_path%3D" + schema
        cfg = os.path.join(work, "duegate.ini")
        with open(cfg, "w") as f:
            f.write(f"""[store]
url = {url}
blobs = {work}/var/blobs
[smtp_in]
listen = 127.0.0.1:{smtp_in}
[smtp_out]
host = 127.0.0.1
port = {capture}
from = reminders@duegate.test
[portal]
listen = 127.0.0.1:{portal}
base_url = http://127.0.0.1:{portal}
link_secret_file = {work}/var/link.key
[jobs]
ingest_interval_ms = 200
outbox_interval_ms = 200
""")
        dg = args.duegate
        r = run([dg, "migrate", "--config", cfg])
        check(r.returncode == 0, "duegate migrate exits 0", r.stderr)
        r = run([dg, "creditor", "add", "--config", cfg, "--name", "Brouwerij Voorbeeld", "--intake",
                 "invoices@voorbeeld.in.test", "--email", "boekhouding@voorbeeld.example",
                 "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB"])
        check(r.returncode == 0, "duegate creditor add exits 0", r.stderr)
        creditor = json.loads(r.stdout)
        check(isinstance(creditor.get("id"), int) and creditor.get("api_key", "").startswith("dg_"),
              "creditor add prints {id, api_key}", r.stdout)
        r = run([dg, "user", "add", "--config", cfg, "--email", "els@voorbeeld.example", "--creditor",
                 str(creditor["id"]), "--name", "Els"], stdin="correct horse battery\n")
        check(r.returncode == 0, "duegate user add reads the password from stdin", r.stderr)
        r = run([dg, "creditor", "add", "--config", cfg, "--name", "X", "--intake", "not-an-address"])
        check(r.returncode == 2 and "--intake" in r.stderr, "a bad intake address exits 2 naming the option",
              r.stderr)

        serve_log = open(os.path.join(work, "serve.log"), "w")
        serve = subprocess.Popen([dg, "serve", "--config", cfg], stdout=serve_log, stderr=subprocess.STDOUT)
        procs.append(serve)
        ok = wait_for(lambda: port_open(portal) and fetch(f"http://127.0.0.1:{portal}/healthz") == (200, "ok"), 30)
        check(bool(ok), "GET /healthz answers ok once the store answers")

        # 1. An unknown intake address is refused at RCPT TO, never bounced later.
        with smtplib.SMTP("127.0.0.1", smtp_in, timeout=10) as s:
            s.ehlo("client.test")
            code, _ = s.mail("boekhouding@voorbeeld.example")
            code, text = s.rcpt("nobody@voorbeeld.in.test")
            check(code == 550 and b"5.1.1" in text, "RCPT TO an unknown intake address gets 550 5.1.1", (code, text))

        # 2. The invoice mail: stored, then 250.
        msg = invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                           "Factuur F2026-0042", "<f2026-0042@voorbeeld.example>", ubl)
        with smtplib.SMTP("127.0.0.1", smtp_in, timeout=10) as s:
            refused = s.send_message(msg)
            check(refused == {}, "the invoice mail is accepted (250)")
        # The same message delivered twice must create one dossier.
        with smtplib.SMTP("127.0.0.1", smtp_in, timeout=10) as s:
            check(s.send_message(msg) == {}, "the same message delivered again is accepted too")

        notice = wait_for(lambda: [m for m in captured(maildir) if m[0] == "els@dehoek.example"], 30)
        check(bool(notice), "a payment notice reaches the debtor's address from the UBL", captured(maildir))
        ack = wait_for(lambda: [m for m in captured(maildir) if "boekhouding@voorbeeld.example" in m[0]], 30)
        check(bool(ack) and "D2026-000001" in ack[0][2], "the sender gets an acknowledgement naming the dossier",
              ack)
        link = None
        if notice:
            found = re.search(r"(http://127\.0\.0\.1:%d/d/\S+)" % portal, notice[0][2])
            check(found is not None, "the notice carries the personal link {base_url}/d/{token}", notice[0][2])
            link = found.group(1) if found else None

        # 3. The debtor opens the link.
        if link:
            status, page = fetch(link)
            check(status == 200, "the debtor link opens", status)
            check("F2026-0042" in page and "1234.50" in page.replace("1,234.50", "1234.50").replace("1.234,50", "1234.50")
                  and ("2026-02-04" in page or "04/02/2026" in page or "4 Feb 2026" in page),
                  "the debtor page shows invoice number, amount and due date", page[:2000])
            status, page = fetch(link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"))
            check(status == 404 and "F2026-0042" not in page, "a tampered link gets 404 and no data")

        # 4. The creditor API shows the dossier and its timeline.
        key = {"Authorization": "Bearer " + creditor["api_key"]}
        status, body = fetch(f"http://127.0.0.1:{portal}/api/v1/dossiers", key)
        dossiers = json.loads(body).get("dossiers", []) if status == 200 else []
        check(status == 200 and len(dossiers) == 1, "GET /api/v1/dossiers lists exactly one dossier", body)
        if dossiers:
            d = dossiers[0]
            check(d["reference"] == "D2026-000001" and d["open_amount"] == "1234.50" and d["currency"] == "EUR"
                  and d["debtor"]["email"] == "els@dehoek.example" and d["invoices"][0]["number"] == "F2026-0042"
                  and d["invoices"][0]["due_date"] == "2026-02-04", "the dossier JSON has the invoice's figures", d)
            def events():
                s2, b2 = fetch(f"http://127.0.0.1:{portal}/api/v1/dossiers/{d['id']}/events", key)
                return [e["kind"] for e in json.loads(b2)["events"]] if s2 == 200 else []
            kinds = wait_for(lambda: (lambda k: k if "message_sent" in k else None)(events()), 20) or events()
            for k in ["invoice_received", "dossier_created", "message_queued", "message_sent", "link_opened"]:
                check(k in kinds, "the timeline has " + k, kinds)
            status, _ = fetch(f"http://127.0.0.1:{portal}/api/v1/dossiers/{d['id'] + 1000}/events", key)
            check(status == 404, "another dossier id gets 404")
        status, _ = fetch(f"http://127.0.0.1:{portal}/api/v1/dossiers", {"Authorization": "Bearer wrong-key-123"})
        check(status == 401, "a wrong API key gets 401")

        # 5. The creditor's portal: login with the user made by `duegate user add`.
        cj = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
        status, page = fetch(f"http://127.0.0.1:{portal}/login", opener=opener)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        check(status == 200 and csrf is not None, "GET /login shows a form with a CSRF token")
        if csrf:
            form = urllib.parse.urlencode({"email": "els@voorbeeld.example", "password": "correct horse battery",
                                           "csrf": csrf.group(1)}).encode()
            status, page = fetch(f"http://127.0.0.1:{portal}/login", data=form, opener=opener)
            check(status == 200 and "D2026-000001" in page, "after login the portal lists the dossier", page[:1500])
            if dossiers:
                status, page = fetch(f"http://127.0.0.1:{portal}/dossiers/{dossiers[0]['id']}", opener=opener)
                check(status == 200 and "dossier_created" in page.replace("Dossier created", "dossier_created")
                      or "link_opened" in page, "the dossier page shows the timeline", page[:1500])

        # 6. Unusable mail to a known intake: quarantined, the known sender is told, a stranger is not.
        with smtplib.SMTP("127.0.0.1", smtp_in, timeout=10) as s:
            s.send_message(invoice_mail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test",
                                        "Zonder bijlage", "<noatt@voorbeeld.example>"))
            s.send_message(invoice_mail("spammer@elsewhere.example", "invoices@voorbeeld.in.test",
                                        "Broken", "<broken@elsewhere.example>", ubl[: len(ubl) // 2], "bad.xml"))
        reply = wait_for(lambda: [m for m in captured(maildir) if m[1].startswith("Not processed")], 30)
        check(bool(reply) and "no attachment" in reply[0][2], "a known sender is told why the mail was not used",
              captured(maildir))
        time.sleep(1.5)
        check(not [m for m in captured(maildir) if "spammer@" in m[0]], "a stranger gets no reply (no backscatter)")
        status, body = fetch(f"http://127.0.0.1:{portal}/api/v1/dossiers", key)
        check(len(json.loads(body)["dossiers"]) == 1, "still exactly one dossier after duplicates and bad mail")

        # The operator's view: Prometheus metrics of what happened above, and key=value log lines.
        status, metrics = fetch(f"http://127.0.0.1:{portal}/metrics")
        check(status == 200 and 'duegate_smtp_mails_total{result="accepted"}' in metrics
              and 'duegate_inbound_items{state="quarantined"} 2' in metrics
              and 'duegate_send_seconds_count{channel="email",result="delivered"}' in metrics
              and 'duegate_outbound_messages{state="sent",channel="email"}' in metrics,
              "GET /metrics counts mails, items by state and sends by channel", metrics[:3000])
        log_text = open(os.path.join(work, "serve.log")).read()
        secret = urllib.parse.urlparse(url).password if url.startswith("postgres") else None
        check("level=info module=serve msg=ready" in log_text and (not secret or ":" + secret + "@" not in log_text),
              "serve logs key=value lines and never the store password", log_text[-1500:])

        # 7. Clean stop on SIGTERM.
        serve.send_signal(signal.SIGTERM)
        try:
            rc = serve.wait(20)
        except subprocess.TimeoutExpired:
            rc = None
        check(rc == 0, "duegate serve stops cleanly on SIGTERM", rc)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        log = os.path.join(work, "serve.log")
        if FAILED and os.path.exists(log):
            print("---- duegate serve log ----")
            print(open(log).read()[-6000:])
        shutil.rmtree(work, ignore_errors=True)
    print("walking skeleton (%s): %d passed, %d failed" % (args.store, len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
