#!/usr/bin/python3
"""duegate behind Postfix over LMTP (issue 11 item 3), with a real Postfix on loopback.

A throwaway Postfix instance (`postfix -c DIR start`: its own main.cf/master.cf, queue and data
directories under /tmp, smtpd on a loopback port) relays the intake domain to `duegate serve` with
`lmtp = on` through `transport_maps` (the lines docs/mail.md gives an operator). smtplib hands
Postfix one mail for two creditors and an unknown address; duegate answers one LMTP status per
recipient, both dossiers appear, Postfix's log says "sent" for both and bounces the unknown one.
Needs root and Postfix: exit 77 otherwise.

Usage: lmtp_postfix.py --duegate BUILD/duegate --fixtures DIR. Prints "N passed, M failed".
"""
import argparse, os, shutil, smtplib, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_util import Duegate, check, free_port, invoice_mail, port_open, run, summary, wait_for, FAILED  # noqa

POSTFIX = "/usr/sbin/postfix"
SERVICES = """pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0 or not os.path.exists(POSTFIX):
        print("needs root and Postfix (%s): skipped" % POSTFIX)
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    work = tempfile.mkdtemp(prefix="duegate-lmtp-")
    os.chmod(work, 0o755)   # Postfix's daemons run as user postfix and must reach the queue
    pf = os.path.join(work, "postfix")
    for d in ("etc", "queue", "data"):
        os.makedirs(os.path.join(pf, d))
    shutil.chown(os.path.join(pf, "data"), "postfix")
    dg = Duegate(args.duegate, work, smtp_in="lmtp = on\n")
    mx = free_port()
    maillog = os.path.join(pf, "maillog")
    with open(os.path.join(pf, "etc", "main.cf"), "w") as f:
        f.write(f"""compatibility_level = 3.6
queue_directory = {pf}/queue
data_directory = {pf}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = mx.duegate.test
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
maillog_file = {maillog}
maillog_file_prefixes = {work}
# The lines an operator adds (docs/mail.md): the intake domain goes to duegate over LMTP.
relay_domains = in.test, .in.test
transport_maps = inline:{{ in.test=lmtp:inet:127.0.0.1:{dg.smtp}, .in.test=lmtp:inet:127.0.0.1:{dg.smtp} }}
lmtp_destination_recipient_limit = 50
""")
    with open(os.path.join(pf, "etc", "master.cf"), "w") as f:
        f.write(f"127.0.0.1:{mx} inet n - n - - smtpd\n" + SERVICES)
    postfix_started = False
    try:
        a = dg.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "boekhouding@voorbeeld.example")
        b = dg.add_creditor("Bakkerij Anders", "facturen@anders.in.test", "boekhouding@voorbeeld.example")
        dg.start()
        r = run([POSTFIX, "-c", os.path.join(pf, "etc"), "start"])
        postfix_started = r.returncode == 0
        check(postfix_started, "a throwaway Postfix starts (postfix -c DIR start)", r.stdout + r.stderr)
        check(bool(wait_for(lambda: port_open(mx), 20)), "Postfix's smtpd listens on loopback")

        msg = invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                           "Factuur F2026-0042", "<f2026-0042@voorbeeld.example>", ubl)
        with smtplib.SMTP("127.0.0.1", mx, timeout=20) as s:
            refused = s.sendmail("boekhouding@voorbeeld.example",
                                 ["invoices@voorbeeld.in.test", "facturen@anders.in.test", "nobody@x.in.test"],
                                 msg.as_bytes())
            check(refused == {}, "Postfix accepts the mail for three recipients", refused)

        def log():
            return open(maillog).read() if os.path.exists(maillog) else ""
        sent = wait_for(lambda: log().count("status=sent") >= 2 and "nobody@x.in.test" in log()
                        and "status=bounced" in log(), 30)
        text = log()
        check(bool(sent), "Postfix's log shows two deliveries and one bounce", text[-3000:])
        for rcpt in ("invoices@voorbeeld.in.test", "facturen@anders.in.test"):
            line = [l for l in text.splitlines() if "to=<%s>" % rcpt in l and "status=sent" in l]
            check(bool(line) and "250 2.0.0 <%s>" % rcpt in line[0],
                  "duegate's own LMTP status for %s reaches Postfix" % rcpt, line)
        bounced = [l for l in text.splitlines() if "to=<nobody@x.in.test>" in l]
        check(bool(bounced) and "status=bounced" in bounced[-1] and "5.1.1" in bounced[-1],
              "the unknown address is refused at RCPT (550 5.1.1) and Postfix bounces it", bounced)
        for who, cred in (("the first", a), ("the second", b)):
            ds = wait_for(lambda: dg.dossiers(cred["api_key"]), 30) or []
            check(len(ds) == 1 and ds[0]["invoices"][0]["number"] == "F2026-0042",
                  "%s creditor has its dossier" % who, ds)
        q = run(["postqueue", "-c", os.path.join(pf, "etc"), "-p"])
        check("Mail queue is empty" in q.stdout, "nothing is left in Postfix's queue", q.stdout)
    finally:
        if postfix_started:
            run([POSTFIX, "-c", os.path.join(pf, "etc"), "stop"])
        dg.stop()
        if FAILED:
            dg.print_log()
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
