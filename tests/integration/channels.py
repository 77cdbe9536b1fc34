"""Every channel delivers and every answer comes home (issue 10 items 3-5), with real processes:

duegate serve -> a capture SMTP server (aiosmtpd, in this process, raw bytes kept) receives the
                 DKIM-signed payment notice with Reply-To and MAIL FROM r+TOKEN@reply domain;
smtplib       -> a reply to that address lands on the dossier (reply_received, a task);
smtplib       -> a DSN to the Return-Path marks the notice bounced; the SMS fallback goes to the
                 Twilio fake (tests/peers/fake_twilio.py), which posts signed status callbacks back:
                 delivered; an unsigned or wrongly signed callback gets 403;
urllib        -> a signed inbound STOP switches SMS off; the next bounce falls back to a letter:
                 a PDF in the print folder with its manifest, read back with pdftotext and zbarimg.

Usage: channels.py --duegate BUILD/duegate --fixtures DIR [--store sqlite|postgresql]
"""
import argparse, base64, csv, glob, hashlib, hmac, json, os, re, smtplib, subprocess, sys, time, urllib.parse
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import World, check, finish, free_port, port_open, wait_for, run, invoice_mail, fetch, pg_skip  # noqa

from aiosmtpd.controller import Controller

SID, TOKEN, FROM = "AC" + "0123456789abcdef" * 2, "twilio-secret-token", "+3225550000"
REPLY_DOMAIN = "reply.duegate.test"
PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers")


class Capture:
    """Keeps every mail's raw bytes and envelope (the Mailbox handler re-serialises, breaking DKIM)."""
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "raw": envelope.content})
        return "250 2.0.0 Ok: queued"


def header(raw, name):
    m = re.search(rb"^" + name.encode() + rb":[ \t]*(.*(?:\r?\n[ \t].*)*)", raw, re.M | re.I)
    return re.sub(rb"\r?\n[ \t]+", b" ", m.group(1)).decode().strip() if m else None


def dkim_verify(raw, pubkey_pem_path):
    """RFC 6376 relaxed/relaxed rsa-sha256 verification, independent of the signer (openssl does RSA)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = re.split(rb"\r\n(?![ \t])", head)
    fields = [(l.split(b":", 1)[0].decode(), l) for l in lines]
    sig_line = next(l for n, l in fields if n.lower() == "dkim-signature")
    tags = dict(t.strip().split("=", 1) for t in re.sub(r"\s+", "", header(raw, "DKIM-Signature")).split(";") if t)
    # body: relaxed
    b = [re.sub(rb"[ \t]+", b" ", l).rstrip(b" \t") for l in body.split(b"\r\n")]
    while b and b[-1] == b"":
        b.pop()
    canon_body = b"\r\n".join(b) + b"\r\n" if b else b""
    if base64.b64encode(hashlib.sha256(canon_body).digest()).decode() != tags["bh"]:
        return "body hash differs"

    def relaxed(line):
        n, v = line.split(b":", 1)
        v = re.sub(rb"\r\n", b"", v)
        v = re.sub(rb"[ \t]+", b" ", v).strip(b" \t")
        return n.strip().lower() + b":" + v

    used, data = {}, b""
    for name in tags["h"].split(":"):
        matches = [l for n, l in fields if n.lower() == name.lower()]
        k = used.get(name.lower(), 0)
        if k < len(matches):
            data += relaxed(matches[len(matches) - 1 - k]) + b"\r\n"
        used[name.lower()] = k + 1
    data += re.sub(rb"(b=)[^;]*$", rb"\1", relaxed(sig_line))
    sig = base64.b64decode(tags["b"])
    d = os.path.dirname(pubkey_pem_path)
    open(os.path.join(d, "sig.bin"), "wb").write(sig)
    open(os.path.join(d, "signed.bin"), "wb").write(data)
    r = run(["openssl", "dgst", "-sha256", "-verify", pubkey_pem_path, "-signature", os.path.join(d, "sig.bin"),
             os.path.join(d, "signed.bin")])
    return "ok" if r.returncode == 0 and "Verified OK" in r.stdout else "signature: " + r.stdout + r.stderr


def twilio_post(base, path, params, token=TOKEN, signature=None):
    url = base + path
    if signature is None:
        data = url + "".join(k + v for k, v in sorted(params))
        signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature:
        headers["X-Twilio-Signature"] = signature
    return fetch(url, headers, urllib.parse.urlencode(params).encode(), method="POST")[0]


def dsn(to_addr, original_id, rcpt):
    return ("From: Mail Delivery System <MAILER-DAEMON@mx.dehoek.example>\r\nTo: %s\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-%s@mx.dehoek.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n"
            "--R\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--R\r\n"
            "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.dehoek.example\r\n\r\n"
            "Final-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--R\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            "Message-ID: %s\r\n\r\n--R--\r\n" % (to_addr, abs(hash(original_id)), rcpt, original_id)).encode()


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

    capture = Capture()
    smtp_port = free_port()
    controller = Controller(capture, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    twilio_port = free_port()
    w = None
    try:
        w = World(args.duegate, args.store, capture=False, prefix="duegate-channels-")
        keydir = os.path.join(w.work, "dkim")
        os.makedirs(keydir)
        key, pub = os.path.join(keydir, "key.pem"), os.path.join(keydir, "pub.pem")
        assert run(["openssl", "genrsa", "-out", key, "2048"]).returncode == 0
        assert run(["openssl", "rsa", "-in", key, "-pubout", "-out", pub]).returncode == 0
        print_dir = os.path.join(w.work, "print")
        twilio_log = os.path.join(w.work, "twilio.log")
        with open(w.cfg, "a") as f:
            f.write(f"""[smtp_out]
host = 127.0.0.1
port = {smtp_port}
dkim_key_file = {key}
dkim_selector = sel2026
dkim_domain = duegate.test
[twilio]
base_url = http://127.0.0.1:{twilio_port}
account_sid = {SID}
auth_token = {TOKEN}
from = {FROM}
[reply]
domain = {REPLY_DOMAIN}
[print]
dir = {print_dir}
""")
        fake = [sys.executable, os.path.join(PEERS, "fake_twilio.py"), "--port", str(twilio_port), "--account-sid",
                SID, "--auth-token", TOKEN, "--log", twilio_log, "--post-callbacks", "--callback-delay", "0.5"]
        spec = os.path.join(args.fixtures, "..", "..", "shared", "corpus", "twilio", "twilio_api_v2010_messages_subset.json")
        if os.path.exists(spec):
            fake += ["--spec", spec]
        w.procs.append(subprocess.Popen(fake))
        wait_for(lambda: port_open(twilio_port), 20)

        cred = w.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "--email",
                              "boekhouding@voorbeeld.example", "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        key_api = cred["api_key"]
        w.start_serve()

        # 1. The notice: DKIM-signed, Reply-To and MAIL FROM r+TOKEN@reply domain.
        w.send_mail(invoice_mail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test", "Factuur F2026-0042",
                                 "<f42@voorbeeld.example>", ubl))
        notice = wait_for(lambda: [m for m in capture.mails if "els@dehoek.example" in m["to"]], 30)
        check(bool(notice), "the payment notice reaches the capture SMTP server")
        if not notice:
            return finish("channels")
        notice = notice[0]
        reply_to = header(notice["raw"], "Reply-To") or ""
        check(re.fullmatch(r"r\+\d+-[a-z2-7]{13}@" + re.escape(REPLY_DOMAIN), reply_to) is not None,
              "the notice carries Reply-To r+TOKEN@reply domain", reply_to)
        check(notice["from"] == reply_to, "MAIL FROM (Return-Path) is the same r+TOKEN address", notice["from"])
        sig = header(notice["raw"], "DKIM-Signature") or ""
        check("d=duegate.test" in sig and "s=sel2026" in sig, "the notice is DKIM-signed as d=duegate.test s=sel2026",
              sig[:200])
        check(dkim_verify(notice["raw"], pub) == "ok", "the DKIM signature verifies against the public key",
              dkim_verify(notice["raw"], pub))
        notice_id = header(notice["raw"], "Message-ID")

        status, listing = w.api("/api/v1/dossiers", key_api)
        dossier = listing["dossiers"][0]["id"]

        def events(d=dossier):
            return w.api("/api/v1/dossiers/%d/events" % d, key_api)[1].get("events", [])

        def has_event(kind, text="", d=dossier):
            return [e for e in events(d) if e["kind"] == kind and text in e["summary"]]

        # 2. A forged token is refused at RCPT.
        with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=10) as s:
            s.ehlo("mx.dehoek.example")
            s.mail("els@dehoek.example")
            code, _ = s.rcpt(re.sub(r"-[a-z2-7]{13}@", "-aaaaaaaaaaaaa@", reply_to))
            check(code == 550, "RCPT TO an r+ address with a forged token gets 550", code)

        # 3. A person's reply comes home: reply_received and a reply task.
        reply = EmailMessage()
        reply["From"], reply["To"], reply["Subject"] = "Els Peeters <els@dehoek.example>", reply_to, "Re: Factuur"
        reply["Message-ID"], reply["In-Reply-To"] = "<reply-1@dehoek.example>", notice_id
        reply.set_content("Wij betwisten het bedrag: de levering was onvolledig.\n")
        reply.add_attachment(b"%PDF-1.4 bon", maintype="application", subtype="pdf", filename="leverbon.pdf")
        with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=10) as s:
            check(s.send_message(reply) == {}, "the reply to r+TOKEN is accepted (250)")
        ev = wait_for(lambda: has_event("reply_received", "els@dehoek.example"), 15)
        check(bool(ev), "the reply shows on the dossier as reply_received", events())
        check(bool(ev) and "onvolledig" in ev[0]["summary"], "the timeline shows the reply's text", ev)
        check(bool(has_event("task_created", "reply")), "the reply makes a reply task",
              [e for e in events() if e["kind"] == "task_created"])

        # 4. A DSN to the Return-Path: bounced, and the SMS fallback goes to Twilio, signed callbacks -> delivered.
        with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=10) as s:
            s.sendmail("", [reply_to], dsn(reply_to, notice_id, "els@dehoek.example"))
        check(bool(wait_for(lambda: has_event("message_bounced"), 15)), "the DSN marks the notice bounced",
              events())

        def twilio_entries():
            if not os.path.exists(twilio_log):
                return []
            return [json.loads(l) for l in open(twilio_log) if l.strip()]
        sent = wait_for(lambda: [e for e in twilio_entries() if e.get("path", "").endswith("/Messages.json")], 20)
        check(bool(sent), "the SMS fallback reaches the Twilio fake")
        if sent:
            p = dict(sent[0]["params"])
            check(sent[0]["auth_ok"] and p.get("To") == "+32470123456" and p.get("From") == FROM,
                  "the SMS goes to the debtor's E.164 number with basic auth", sent[0])
            check(p.get("StatusCallback") == w.base + "/hooks/twilio/status", "StatusCallback is the portal hook",
                  p.get("StatusCallback"))
            check(w.base + "/d/" in p.get("Body", ""), "the SMS carries the debtor's personal link", p.get("Body"))
        answered = wait_for(lambda: [e for e in twilio_entries() if e.get("callback") and
                                     ("MessageStatus", "delivered") in [tuple(x) for x in e["params"]]], 20)
        check(bool(answered) and answered[0]["answer"] == 204, "the signed delivered callback gets 204", answered)
        check(bool(wait_for(lambda: has_event("message_delivered"), 10)), "the SMS is message_delivered on the dossier",
              events())

        # 5. Unsigned and wrongly signed callbacks: 403.
        cb = [("MessageSid", "SMx"), ("MessageStatus", "delivered")]
        check(twilio_post(w.base, "/hooks/twilio/status", cb, signature="") == 403, "an unsigned callback gets 403")
        check(twilio_post(w.base, "/hooks/twilio/status", cb, token="wrong") == 403,
              "a callback signed with another token gets 403")

        # 6. STOP by SMS switches SMS off; the next bounce falls back to a letter in the print folder.
        stop = [("From", "+32470123456"), ("To", FROM), ("Body", "STOP"), ("MessageSid", "SMin1"),
                ("AccountSid", SID)]
        check(twilio_post(w.base, "/hooks/twilio/inbound", stop) == 204, "a signed inbound STOP gets 204")
        check(bool(wait_for(lambda: has_event("contact_updated", "SMS switched off"), 10)),
              "STOP switches SMS off (contact_updated)", events())

        ubl2 = ubl.replace(b"F2026-0042", b"F2026-0043")
        w.send_mail(invoice_mail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test", "Factuur F2026-0043",
                                 "<f43@voorbeeld.example>", ubl2, filename="F2026-0043.xml"))
        second = wait_for(lambda: [m for m in capture.mails if "els@dehoek.example" in m["to"] and
                                   header(m["raw"], "Reply-To") != reply_to], 30)
        check(bool(second), "the second notice is sent")
        if second:
            rt2 = header(second[0]["raw"], "Reply-To")
            with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=10) as s:
                s.sendmail("", [rt2], dsn(rt2, header(second[0]["raw"], "Message-ID"), "els@dehoek.example"))
            # The PDF is written first, then its manifest line: wait for the manifest.
            manifests = wait_for(lambda: glob.glob(os.path.join(print_dir, "*", "manifest.csv")), 20)
            pdfs = glob.glob(os.path.join(print_dir, "*", "*.pdf")) if manifests else []
            check(bool(pdfs), "SMS being off, the bounce falls back to a letter PDF in the print folder",
                  os.listdir(print_dir) if os.path.isdir(print_dir) else "no print dir")
            check(len([e for e in twilio_entries() if e.get("path", "").endswith("/Messages.json")]) == 1,
                  "no SMS is sent after STOP")
            if pdfs:
                pdf = pdfs[0]
                rows = list(csv.DictReader(open(os.path.join(os.path.dirname(pdf), "manifest.csv"), newline="")))
                check(len(rows) == 1 and rows[0]["file"] == os.path.basename(pdf) and
                      rows[0]["sha256"] == hashlib.sha256(open(pdf, "rb").read()).hexdigest() and
                      "Markt 12" in rows[0]["address"], "the manifest names the PDF with its address and sha256", rows)
                text = run(["pdftotext", "-layout", pdf, "-"]).stdout
                check("De Hoek" in text and "Markt 12" in text and "8000 Brugge" in text,
                      "the letter shows the debtor's name and address", text[:600])
                check("+++" in text and "BE68539007547034" in text, "the letter shows the reference and IBAN", text)
                run(["pdftoppm", "-png", "-r", "150", pdf, os.path.join(w.work, "page")])
                pages = sorted(glob.glob(os.path.join(w.work, "page*.png")))
                qr = run(["zbarimg", "--raw", "-q"] + pages).stdout
                check(qr.startswith("BCD\n002\n1\nSCT\nGKCCBEBB\n") and "BE68539007547034" in qr,
                      "the letter's QR code decodes to the EPC payload", qr)
    finally:
        controller.stop()
        if w:
            w.close()
    return finish("channels")


if __name__ == "__main__":
    sys.exit(main())
