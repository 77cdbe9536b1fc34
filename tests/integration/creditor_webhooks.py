#!/usr/bin/python3
"""The creditor's webhooks end to end (issue 14 item 2): a real `duegate serve`, a loopback HTTP
receiver (this script) that checks the Duegate-Signature of every request and answers 500 to the
first attempt of each delivery, a creditor user who configures the endpoint in the portal, and the
four events made the real way:
  promise  the debtor promises a date on the page of the notice's link
  dispute  the debtor disputes on that page
  reply    the debtor answers the notice by mail (to its r+TOKEN Reply-To address)
  paid     a CAMT.053 statement pays a dossier made from the bulk template in full (by its OGM)
Each event arrives exactly once with HTTP 200 (after one 500), the signature checks out, and the
portal's deliveries page shows status 200 and 2 attempts. A dispute also mails the creditor user
(notification setting: immediately, the default).

Usage: creditor_webhooks.py --duegate BIN --fixtures DIR [--store sqlite|postgresql]
"""
import argparse, email, email.policy, hashlib, hmac, http.cookiejar, http.server, json, mailbox, os, re
import sys, threading, time, urllib.parse, urllib.request
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import World, check, fetch, finish, free_port, pg_skip, wait_for  # noqa: E402

SECRET = {"value": None}
RECEIVED = []          # (delivery id, event type, status answered, body)
BAD_SIGNATURES = []
LOCK = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        sig = self.headers.get("Duegate-Signature", "")
        parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
        t = parts.get("t", "")
        expected = hmac.new((SECRET["value"] or "").encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = t.isdigit() and abs(time.time() - int(t)) < 300
        if not (fresh and hmac.compare_digest(expected, parts.get("v1", ""))):
            BAD_SIGNATURES.append(sig)
            self.send_response(400)
            self.end_headers()
            return
        delivery = self.headers.get("Duegate-Delivery", "")
        with LOCK:
            first = not any(r[0] == delivery for r in RECEIVED)
            status = 500 if first else 200
            RECEIVED.append((delivery, self.headers.get("Duegate-Event", ""), status, body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def multipart(fields, files=()):
    boundary = "----duegate-it-creditor"
    out = b""
    for name, value in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, name, value)).encode()
    for name, filename, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, name, filename)).encode() + data + b"\r\n"
    return out + ("--%s--\r\n" % boundary).encode(), "multipart/form-data; boundary=" + boundary


def csrf_of(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    return m.group(1) if m else ""


def mails(maildir):
    if not os.path.isdir(os.path.join(maildir, "new")):
        return []
    return [email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
            for _, m in mailbox.Maildir(maildir, factory=None).items()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    skip = pg_skip(args.store)
    if skip:
        return skip

    hook_port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    w = World(args.duegate, args.store, extra_config="""outbox_initial_backoff_s = 1
[dunning]
schedule = off
[reply]
domain = reply.duegate.test
[webhooks]
interval_ms = 200
allow_private_addresses = on
[notify]
interval_ms = 200
""")
    try:
        r = w.cli("migrate")
        check(r.returncode == 0, "duegate migrate", r.stderr)
        creditor = w.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "--email",
                                  "boekhouding@voorbeeld.example", "--iban", "BE68539007547034", "--bic", "GKCCBEBB")
        r = w.cli("user", "add", "--email", "els@voorbeeld.example", "--creditor", str(creditor["id"]), "--name", "Els",
                  stdin="els-portal-password-1\n")
        check(r.returncode == 0, "user add", r.stderr)
        w.start_serve()

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        status, page = fetch(w.base + "/login", opener=opener)
        status, _ = fetch(w.base + "/login", opener=opener, data=urllib.parse.urlencode(
            {"email": "els@voorbeeld.example", "password": "els-portal-password-1", "csrf": csrf_of(page)}).encode())
        check(status == 200, "the creditor user logs in", status)
        status, page = fetch(w.base + "/webhooks", opener=opener)
        check(status == 200, "GET /webhooks", status)
        csrf = csrf_of(page)
        status, page = fetch(w.base + "/webhooks", opener=opener, data=urllib.parse.urlencode(
            {"csrf": csrf, "url": "http://127.0.0.1:%d/hooks/duegate" % hook_port, "event_paid": "1",
             "event_dispute": "1", "event_promise": "1", "event_reply": "1"}).encode())
        m = re.search(r"<code>(whsec_[0-9a-f]+)</code>", page)
        check(status == 200 and m is not None, "adding an endpoint shows its secret once", status)
        SECRET["value"] = m.group(1) if m else ""
        check(SECRET["value"] not in fetch(w.base + "/webhooks", opener=opener)[1], "the list does not show the secret")

        # Dossier Q by form (promise, dispute, reply); dossier P from the bulk template (paid by the statement).
        body, ctype = multipart([("csrf", csrf), ("debtor_name", "Quinten Questie"), ("email", "quinten@debtor.example"),
                                 ("invoice_number", "Q-1"), ("amount", "100,00"),
                                 ("issue_date", time.strftime("%Y-%m-%d", time.gmtime(time.time() - 40 * 86400))),
                                 ("due_date", time.strftime("%Y-%m-%d", time.gmtime(time.time() - 10 * 86400)))])
        status, page = fetch(w.base + "/dossiers/new", opener=opener, data=body, headers={"Content-Type": ctype})
        check(status == 200 and "Q-1" in page, "a dossier by form opens on its page", status)
        csv = ("debtor_name;debtor_email;language;invoice_number;issue_date;due_date;amount;currency;ogm\n"
               "Piet Payer;piet@debtor.example;NL;P-1;2025-01-01;2025-02-01;302,50;EUR;202500012390\n"
               "Bad Row;bad@debtor.example;NL;P-2;2025-01-01;2025-02-01;twelve;EUR;\n").encode()
        body, ctype = multipart([("csrf", csrf)], [("file", "invoices.csv", csv)])
        status, page = fetch(w.base + "/upload", opener=opener, data=body, headers={"Content-Type": ctype})
        check(status == 200 and "1 dossiers created" in page and ">amount<" in page,
              "the bulk upload imports the good row and lists the bad one", status)

        def notice_to(addr):
            for msg in mails(w.maildir):
                if addr in str(msg["To"]) and "/d/" in msg.get_body(preferencelist=("plain",)).get_content():
                    return msg
            return None
        check(wait_for(lambda: notice_to("quinten@debtor.example") is not None, 20), "the notice reaches the debtor")
        notice = notice_to("quinten@debtor.example")
        text = notice.get_body(preferencelist=("plain",)).get_content() if notice else ""
        link = re.search(r"(/d/[A-Za-z0-9._-]+)", text)
        link = link.group(1) if link else "/d/none"

        # promise and dispute on the debtor page
        debtor = urllib.request.build_opener()
        status, page = fetch(w.base + link, opener=debtor)
        dcsrf = csrf_of(page)
        promise = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 86400))
        status, _ = fetch(w.base + link + "/promise", opener=debtor,
                          data=urllib.parse.urlencode({"csrf": dcsrf, "date": promise}).encode())
        check(status == 200, "the debtor promises a date", status)
        body, ctype = multipart([("csrf", dcsrf), ("reason", "amount_wrong"), ("message", "The amount is wrong.")])
        status, _ = fetch(w.base + link + "/dispute", opener=debtor, data=body, headers={"Content-Type": ctype})
        check(status == 200, "the debtor disputes", status)
        # reply by mail to the notice's Reply-To
        reply = EmailMessage()
        reply["From"], reply["To"], reply["Subject"] = "quinten@debtor.example", str(notice["Reply-To"]), "Re: " + str(notice["Subject"])
        reply.set_content("I will call you.")
        w.send_mail(reply)
        # paid: the statement pays P in full
        r = w.cli("import", os.path.join(args.fixtures, "bank", "camt053_v08_ogm_rf_batch.xml"))
        check(r.returncode == 0 and '"matched": 1' in r.stdout.replace('"matched":1', '"matched": 1'),
              "the statement pays P by its OGM", r.stdout + r.stderr)

        want = {"promise.recorded", "dispute.opened", "reply.received", "dossier.paid"}

        def delivered():
            with LOCK:
                return {e for _, e, s, _ in RECEIVED if s == 200}
        check(wait_for(lambda: want <= delivered(), 40), "every event reaches the receiver", sorted(delivered()))
        time.sleep(1.5)  # anything sent twice would arrive now
        with LOCK:
            got = list(RECEIVED)
        for event in sorted(want):
            oks = [r for r in got if r[1] == event and r[2] == 200]
            fails = [r for r in got if r[1] == event and r[2] == 500]
            check(len(oks) == 1, event + " is received once with 200", len(oks))
            check(len(fails) == 1, event + " was answered 500 once first, then retried", len(fails))
        check(not BAD_SIGNATURES, "every request carries a valid fresh signature", BAD_SIGNATURES[:2])
        paid = [json.loads(b) for _, e, s, b in got if e == "dossier.paid" and s == 200]
        check(paid and paid[0]["dossier"]["status"] == "paid" and paid[0]["dossier"]["invoices"] == ["P-1"],
              "the paid body names the dossier, its status and invoice", paid[:1])

        status, page = fetch(w.base + "/webhooks/deliveries", opener=opener)
        rows = re.findall(r'data-label="HTTP status">(\d+)</td><td data-label="Attempts">(\d+)<', page)
        check(len(rows) == 4 and all(r == ("200", "2") for r in rows),
              "the deliveries page shows each delivery with 200 after 2 attempts", rows)
        check(wait_for(lambda: any("els@voorbeeld.example" in str(m["To"]) and m["Subject"] == "A debtor disputes"
                                   for m in mails(w.maildir)), 20),
              "the creditor user is told of the dispute at once (default setting)")
        # The payment mail goes through the user's settings: Els is told, the contact address is not
        # told a second time (it is told only when the creditor has no portal user).
        check(wait_for(lambda: any("els@voorbeeld.example" in str(m["To"]) and m["Subject"] == "Payment received"
                                   for m in mails(w.maildir)), 20),
              "the creditor user is told of the payment at once")
        check(not any("boekhouding@voorbeeld.example" in str(m["To"]) and "Payment received" in str(m["Subject"])
                      for m in mails(w.maildir)),
              "the creditor's contact address gets no second payment mail")
    finally:
        server.shutdown()
        w.close()
    return finish("creditor_webhooks")


if __name__ == "__main__":
    sys.exit(main())
