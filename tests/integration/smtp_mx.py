#!/usr/bin/python3
"""duegate as an Internet-facing MX (issue 11 item 4), with real clients on loopback:
python smtplib does STARTTLS against `duegate serve` with a self-signed certificate made by
`openssl req` here; a large mail over TLS is spooled and stored byte for byte; the per-client
session limit answers 421; the per-creditor daily quota answers 452 4.2.2.

Usage: smtp_mx.py --duegate BUILD/duegate --fixtures DIR. Prints "N passed, M failed".
"""
import argparse, os, shutil, smtplib, socket, ssl, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_util import Duegate, check, invoice_mail, run, summary, wait_for, FAILED  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    if not shutil.which("openssl"):
        print("openssl missing: skipped")
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    work = tempfile.mkdtemp(prefix="duegate-mx-")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    r = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
             "-days", "2", "-subj", "/CN=mx.duegate.test"])
    check(r.returncode == 0, "openssl makes a self-signed certificate", r.stderr)
    dg = Duegate(args.duegate, work, smtp_in=f"""tls_cert_file = {cert}
tls_key_file = {key}
max_sessions_per_client = 2
daily_quota_messages = 2
spool_threshold_bytes = 65536
""")
    try:
        creditor = dg.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "boekhouding@voorbeeld.example")
        dg.start()
        tls = ssl.create_default_context(cafile=cert)
        tls.check_hostname = False

        with smtplib.SMTP("127.0.0.1", dg.smtp, timeout=10) as s:
            s.ehlo("client.test")
            check(s.has_extn("starttls"), "EHLO in the clear offers STARTTLS")
            for ext in ("size", "pipelining", "8bitmime", "smtputf8"):
                check(s.has_extn(ext), "EHLO offers " + ext.upper())
            code, _ = s.starttls(context=tls)
            check(code == 220, "STARTTLS answers 220 and the handshake succeeds with our certificate", code)
            check(isinstance(s.sock, ssl.SSLSocket) and s.sock.version() is not None,
                  "the session is encrypted", getattr(s.sock, "version", lambda: None)())
            s.ehlo("client.test")
            check(not s.has_extn("starttls"), "after TLS, STARTTLS is no longer offered")
            msg = invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                               "Factuur F2026-0042", "<f2026-0042@voorbeeld.example>", ubl)
            check(s.send_message(msg) == {}, "the invoice mail over TLS is accepted (250)")
            big = invoice_mail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test", "Groot",
                               "<big@voorbeeld.example>", ubl)
            big.add_attachment(os.urandom(600000), maintype="application", subtype="octet-stream",
                               filename="annex.bin")
            check(s.send_message(big) == {}, "a 800 KB mail (spooled past 64 KiB) is accepted over TLS")

        dossiers = wait_for(lambda: dg.dossiers(creditor["api_key"]), 30) or []
        check(len(dossiers) == 1 and dossiers[0]["invoices"][0]["number"] == "F2026-0042",
              "the invoice sent over TLS became a dossier", dossiers)
        blobs = []
        for root, _, files in os.walk(os.path.join(work, "var", "blobs")):
            blobs += [os.path.getsize(os.path.join(root, f)) for f in files if "spool" not in root]
        check(any(b > 800000 for b in blobs), "the large mail is stored in full", sorted(blobs)[-3:])
        spool = os.path.join(work, "var", "blobs", "spool")
        check(not os.path.isdir(spool) or os.listdir(spool) == [], "no spool file is left behind",
              os.listdir(spool) if os.path.isdir(spool) else None)

        # The daily quota (2 mails a day for this creditor): the third is deferred with 452 4.2.2.
        with smtplib.SMTP("127.0.0.1", dg.smtp, timeout=10) as s:
            s.ehlo("client.test")
            s.mail("boekhouding@voorbeeld.example")
            code, text = s.rcpt("invoices@voorbeeld.in.test")
            check(code == 452 and b"4.2.2" in text, "over the daily quota, RCPT gets 452 4.2.2", (code, text))

        # Two sessions from 127.0.0.1 are allowed; a third is told 421 and closed.
        a = socket.create_connection(("127.0.0.1", dg.smtp), 5)
        b = socket.create_connection(("127.0.0.1", dg.smtp), 5)
        check(a.recv(200).startswith(b"220") and b.recv(200).startswith(b"220"), "two sessions are greeted")
        c = socket.create_connection(("127.0.0.1", dg.smtp), 5)
        banner = c.recv(200)
        check(banner.startswith(b"421 4.7.0"), "a third session from the same address gets 421 4.7.0", banner)
        for x in (a, b, c):
            x.close()
        time.sleep(0.5)
        d = socket.create_connection(("127.0.0.1", dg.smtp), 5)
        check(d.recv(200).startswith(b"220"), "once they closed, the address is greeted again")
        d.close()

        # Bytes pipelined after STARTTLS are not executed after the handshake (CVE-2011-0411).
        raw = socket.create_connection(("127.0.0.1", dg.smtp), 5)
        raw.recv(200)
        raw.sendall(b"EHLO x\r\n")
        time.sleep(0.3)
        raw.recv(1000)
        raw.sendall(b"STARTTLS\r\nNOOP\r\n")
        time.sleep(0.3)
        answer = raw.recv(1000)
        check(answer.startswith(b"220") and b"250" not in answer, "nothing pipelined after STARTTLS is answered",
              answer)
        t = tls.wrap_socket(raw, server_hostname="mx.duegate.test")
        t.sendall(b"NOOP\r\n")
        check(t.recv(200).startswith(b"250"), "after the handshake the session answers normally")
        t.close()
        dg.stop()
    finally:
        dg.stop()
        if FAILED:
            dg.print_log()
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
