#!/usr/bin/python3
"""Mailbox polling (issue 11 item 2) against a real Dovecot on loopback, POP3 and IMAP over TLS.

Dovecot runs from a config file of its own (base_dir/state_dir/log in a temp dir, passwd-file
users, Maildirs owned by the mail uid, a self-signed certificate from `openssl req`). Each mailbox
holds 8 invoice mails; one of them was also sent to duegate by SMTP before (the same mail by two
doors must be one item). A small TCP proxy between duegate and Dovecot SIGKILLs the poller in the
middle of each mailbox (POP3: when it asks for the 4th message, DELEs not yet applied by QUIT;
IMAP: just before the 3rd UID MOVE, so one message is committed but not moved). A second poll
must finish the job: every message stored exactly once, the POP3 mailbox empty, the IMAP INBOX
moved to Processed, 8 dossiers per creditor, and no password in any log.
Needs root, dovecot and openssl: exit 77 otherwise.

Usage: mailbox_poll.py --duegate BUILD/duegate --fixtures DIR. Prints "N passed, M failed".
"""
import argparse, json, os, re, shutil, signal, socket, sqlite3, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_util import Duegate, check, free_port, invoice_mail, port_open, run, summary, wait_for, FAILED  # noqa

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MAIL_UID = 8   # Debian's "mail" user owns the Maildirs
N = 8


class KillingProxy:
    """Forwards TCP to Dovecot; when the client's `count`-th line matching `pattern` arrives, it
    SIGKILLs `victim` (the poller) instead of forwarding that line."""

    def __init__(self, target_port, pattern, count):
        self.port, self.target = free_port(), target_port
        self.pattern, self.count, self.seen = re.compile(pattern), count, 0
        self.victim, self.killed, self.armed = None, False, True
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(8)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            s = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pump, args=(s, c, False), daemon=True).start()
            threading.Thread(target=self.pump, args=(c, s, True), daemon=True).start()

    def pump(self, src, dst, from_client):
        buf = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self.armed:
                    buf += data
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        if self.pattern.search(line.decode("latin-1")):
                            self.seen += 1
                            if self.seen == self.count and self.victim:
                                os.kill(self.victim.pid, signal.SIGKILL)
                                self.killed = True
                                self.armed = False
                                return
                        dst.sendall(line + b"\n")
                    continue
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for x in (src, dst):
                try:
                    x.close()
                except OSError:
                    pass


def dovecot_conf(d, pop3, imap, pop3s, imaps, cert, key):
    return f"""base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = pop3 imap
listen = 127.0.0.1
ssl = yes
disable_plaintext_auth = no
ssl_cert = <{cert}
ssl_key = <{key}
auth_failure_delay = 0
auth_mechanisms = plain login
first_valid_uid = {MAIL_UID}
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/passwd
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {pop3s}
    ssl = yes
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


def put_mail(maildir, i, raw):
    path = os.path.join(maildir, "new", "%d.%d.duegate-test" % (int(time.time()), i))
    with open(path, "wb") as f:
        f.write(raw)
    os.chown(path, MAIL_UID, MAIL_UID)


def maildir_count(maildir):
    return sum(len(os.listdir(os.path.join(maildir, sub))) for sub in ("new", "cur"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0 or not os.path.exists(DOVECOT) or not shutil.which("openssl"):
        print("needs root, dovecot and openssl: skipped")
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    work = tempfile.mkdtemp(prefix="duegate-mbox-")
    os.chmod(work, 0o755)
    d = os.path.join(work, "dovecot")
    for sub in ("run", "state"):
        os.makedirs(os.path.join(d, sub))
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    r = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
             "-days", "2", "-subj", "/CN=127.0.0.1"])
    check(r.returncode == 0, "openssl makes a certificate for 127.0.0.1", r.stderr)
    pop_pw, imap_pw = "s3cret-pop-PW", "s3cret-imap-PW"
    homes = {}
    with open(os.path.join(d, "passwd"), "w") as f:
        for user, pw in (("pop", pop_pw), ("imap", imap_pw), ("pops", pop_pw), ("imaps", imap_pw)):
            home = os.path.join(work, "mail", user)
            for sub in ("new", "cur", "tmp"):
                os.makedirs(os.path.join(home, "Maildir", sub))
            homes[user] = home
            f.write(f"{user}:{{PLAIN}}{pw}:{MAIL_UID}:{MAIL_UID}::{home}::\n")
    run(["chown", "-R", "%d:%d" % (MAIL_UID, MAIL_UID), os.path.join(work, "mail")])

    dg = Duegate(args.duegate, work, extra=f"""[mailbox]
poll_seconds = 1
timeout_seconds = 10
ca_file = {cert}
""")
    a = dg.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "boekhouding@voorbeeld.example")
    b = dg.add_creditor("Bakkerij Anders", "facturen@anders.in.test", "boekhouding@anders.example")
    mails = {"pop": [], "imap": [], "pops": [], "imaps": []}
    for user, cred, sender, to, count, series in (
            ("pop", a, "boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test", N, 1),
            ("imap", b, "boekhouding@anders.example", "facturen@anders.in.test", N, 2),
            ("pops", a, "boekhouding@voorbeeld.example", "invoices@voorbeeld.in.test", 1, 3),
            ("imaps", b, "boekhouding@anders.example", "facturen@anders.in.test", 1, 4)):
        for i in range(count):
            number = "F2026-%d%03d" % (series, i)
            m = invoice_mail(sender, to, "Factuur " + number, "<%s@%s.test>" % (number, user),
                             ubl.replace(b"F2026-0042", number.encode()), number + ".xml")
            m["Return-Path"] = "<%s>" % sender
            raw = m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            mails[user].append(raw)
            put_mail(os.path.join(homes[user], "Maildir"), i, raw)

    pop3, imap, pop3s, imaps = free_port(), free_port(), free_port(), free_port()
    conf = os.path.join(d, "dovecot.conf")
    open(conf, "w").write(dovecot_conf(d, pop3, imap, pop3s, imaps, cert, key))
    dovecot_started = False
    try:
        # Dovecot daemonizes; its children keep inherited pipes open, so no capture here.
        r = subprocess.run([DOVECOT, "-c", conf], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=open(os.path.join(work, "dovecot-start.err"), "w"), timeout=60)
        dovecot_started = r.returncode == 0
        check(dovecot_started, "Dovecot starts from its own config file",
              open(os.path.join(work, "dovecot-start.err")).read())
        check(bool(wait_for(lambda: port_open(pop3s) and port_open(imaps), 20)), "Dovecot listens for pop3s and imaps")

        # One of the POP3 mails also arrives by SMTP first: the same mail by two doors is one item.
        dg.start()
        import smtplib
        with smtplib.SMTP("127.0.0.1", dg.smtp, timeout=10) as s:
            s.sendmail("boekhouding@voorbeeld.example", ["invoices@voorbeeld.in.test"], mails["pop"][0])
        dg.stop()

        # The kill test runs in the clear (the proxy reads the commands); TLS has mailboxes of its own.
        pop_proxy = KillingProxy(pop3, r"^RETR ", 4)
        imap_proxy = KillingProxy(imap, r"UID MOVE ", 3)
        pwfile = os.path.join(work, "pop.pw")
        open(pwfile, "w").write(pop_pw + "\n")
        os.chmod(pwfile, 0o600)
        os.environ["DUEGATE_IMAP_PW"] = imap_pw
        env = dict(os.environ)
        r = run([dg.bin, "mailbox", "add", "--config", dg.cfg, "--creditor", str(a["id"]),
                 "--url", "pop3://pop@127.0.0.1:%d" % pop_proxy.port, "--password-file", pwfile])
        check(r.returncode == 0 and "id" in json.loads(r.stdout or "{}"), "mailbox add (POP3, password file)", r.stderr)
        r = run([dg.bin, "mailbox", "add", "--config", dg.cfg, "--creditor", str(b["id"]),
                 "--url", "imap://imap@127.0.0.1:%d/INBOX" % imap_proxy.port, "--password-env", "DUEGATE_IMAP_PW",
                 "--after", "move:Processed"])
        check(r.returncode == 0, "mailbox add (IMAP, password from the environment)", r.stderr)
        r = run([dg.bin, "mailbox", "add", "--config", dg.cfg, "--creditor", str(a["id"]),
                 "--url", "pop3s://pop:%s@127.0.0.1:%d" % (pop_pw, pop3s), "--password-env", "X"])
        check(r.returncode == 2 and "no password in the URL" in r.stderr, "a password in the URL is refused", r.stderr)
        r = run([dg.bin, "mailbox", "list", "--config", dg.cfg], env=env)
        check(r.returncode == 0 and r.stdout.count("\n") == 2 and pop_pw not in r.stdout, "mailbox list shows both, no password",
              r.stdout)
        # Stopped here so the kill test below sees only the two mailboxes in the clear.

        # First poll: the proxy kills the poller in the middle of the POP3 mailbox.
        def poll(label):
            p = subprocess.Popen([dg.bin, "mailbox", "poll", "--config", dg.cfg], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            pop_proxy.victim = imap_proxy.victim = p
            try:
                out, err = p.communicate(timeout=40)
            except subprocess.TimeoutExpired:
                p.kill()
                out, err = p.communicate()
                err += "\n(timed out: killed by the test)"
            with open(os.path.join(work, "poll.log"), "a") as f:
                f.write("---- %s (rc %s)\n%s%s" % (label, p.returncode, out, err))
            return p.returncode, out, err

        rc, out, err = poll("poll 1")
        check(rc == -signal.SIGKILL and pop_proxy.killed, "the first poll is killed while fetching POP3 message 4", (rc, err))
        rc, out, err = poll("poll 2")
        check(rc == -signal.SIGKILL and imap_proxy.killed, "the second poll is killed just before the 3rd IMAP move",
              (rc, err))
        rc, out, err = poll("poll 3")
        check(rc == 0, "the third poll completes", (rc, out, err))
        # TLS: pop3s and imaps with the server's certificate checked against [mailbox] ca_file.
        r = run([dg.bin, "mailbox", "add", "--config", dg.cfg, "--creditor", str(a["id"]),
                 "--url", "pop3s://pops@127.0.0.1:%d" % pop3s, "--password-file", pwfile])
        check(r.returncode == 0, "mailbox add (pop3s)", r.stderr)
        r = run([dg.bin, "mailbox", "add", "--config", dg.cfg, "--creditor", str(b["id"]),
                 "--url", "imaps://imaps@127.0.0.1:%d" % imaps, "--password-env", "DUEGATE_IMAP_PW"])
        check(r.returncode == 0, "mailbox add (imaps, default move:Processed)", r.stderr)
        rc, out, err = poll("poll tls")
        check(rc == 0 and json.loads(out or "{}").get("fetched") == 2, "over TLS, both mailboxes are fetched", (out, err))
        rc, out3, err = poll("poll 4")
        check(rc == 0 and json.loads(out3).get("fetched") == 0, "a fourth poll fetches nothing", out3)

        db = sqlite3.connect(os.path.join(work, "var", "duegate.db"))
        for user, cred in (("pop", a), ("imap", b)):
            items = db.execute("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM inbound_items WHERE creditor_id = ?",
                               (cred["id"],)).fetchone()
            check(items == (N + 1, N + 1), "%s: %d + 1 messages became exactly %d items (one shared with SMTP)"
                  % (user, N, N + 1), items)
            fetched = db.execute("SELECT COUNT(*) FROM mailbox_messages WHERE creditor_id = ?", (cred["id"],)).fetchone()
            check(fetched[0] == N + 1, "%s: every UID is remembered once" % user, fetched)
        for user in ("pops", "imaps"):
            check(maildir_count(os.path.join(homes[user], "Maildir")) == 0, "%s: the mail left the inbox" % user)
        check(maildir_count(os.path.join(homes["pop"], "Maildir")) == 0, "the POP3 mailbox is empty (deleted after commit)",
              maildir_count(os.path.join(homes["pop"], "Maildir")))
        inbox = maildir_count(os.path.join(homes["imap"], "Maildir"))
        processed = maildir_count(os.path.join(homes["imap"], "Maildir", ".Processed")) \
            if os.path.isdir(os.path.join(homes["imap"], "Maildir", ".Processed")) else -1
        check(inbox == 0 and processed == N, "the IMAP INBOX was moved to Processed", (inbox, processed))
        db.close()

        # The pipeline: serve ingests the items, every invoice becomes one dossier.
        dg.start()
        for who, cred in (("pop", a), ("imap", b)):
            ds = wait_for(lambda: (lambda x: x if len(x) >= N + 1 else None)(dg.dossiers(cred["api_key"])), 30) or \
                dg.dossiers(cred["api_key"])
            check(len(ds) == N + 1, "%s: %d dossiers" % (who, N + 1), len(ds))
        dg.stop()
        logs = open(os.path.join(work, "poll.log")).read() + open(os.path.join(work, "serve.log")).read() + \
            open(os.path.join(d, "dovecot.log")).read()
        check(pop_pw not in logs and imap_pw not in logs, "no password appears in any log")
    finally:
        dg.stop()
        if dovecot_started:
            subprocess.run([DOVECOT, "-c", conf, "stop"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        if FAILED:
            for f in (os.path.join(work, "poll.log"), os.path.join(d, "dovecot.log")):
                if os.path.exists(f):
                    print("----", f)
                    print(open(f).read()[-4000:])
            dg.print_log()
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
