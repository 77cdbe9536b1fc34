"""Shared pieces of the integration tests: real processes on loopback, checks that count.

Import it from a script in this folder:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from harness import *

World(store, extra_config) makes a temp dir, a store (SQLite file, or a fresh schema in the
PostgreSQL of DUEGATE_TEST_PG_URL), an aiosmtpd capture server for outbound mail, and writes a
duegate.ini with free ports; start_serve()/stop_serve() run `duegate serve` on it; close() kills
what is left and prints the serve log when a check failed. Every script ends with
`finish(name)`, which prints "N passed, M failed" and returns the exit status.
"""
import email, email.policy, json, mailbox, os, random, shutil, signal, smtplib, socket, subprocess
import sys, tempfile, time, urllib.error, urllib.request
from email.message import EmailMessage

PASSED, FAILED = [], []


def check(cond, what, detail=""):
    (PASSED if cond else FAILED).append(what)
    print(("ok   " if cond else "FAIL ") + what + ("" if cond or not detail else ": " + str(detail)[:800]), flush=True)
    return cond


def finish(name):
    print("%s: %d passed, %d failed" % (name, len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        return True
    except OSError:
        return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_for(pred, seconds=30, step=0.1):
    end = time.time() + seconds
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return None


def run(cmd, stdin=None, env=None, timeout=120):
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def invoice_mail(sender, to, subject, msgid, ubl_bytes=None, filename="F2026-0042.xml"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, to, subject, msgid
    m.set_content("Beste,\n\nIn bijlage onze factuur.\n")
    if ubl_bytes is not None:
        m.add_attachment(ubl_bytes, maintype="application", subtype="xml", filename=filename)
    return m


def captured(maildir):
    """(To, Subject, plain body) of every mail the aiosmtpd capture wrote into its Maildir."""
    out = []
    if not os.path.isdir(os.path.join(maildir, "new")):
        return out
    for key, msg in mailbox.Maildir(maildir, factory=None).items():
        parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        out.append((str(parsed["To"]), str(parsed["Subject"]), body.get_content() if body else ""))
    return out


def fetch(url, headers=None, data=None, opener=None, method=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def pg_skip(store):
    """Exit status 77 (skipped) for a PostgreSQL run without DUEGATE_TEST_PG_URL, else None."""
    if store == "postgresql" and not os.environ.get("DUEGATE_TEST_PG_URL"):
        print("DUEGATE_TEST_PG_URL not set: skipped (scripts/test.sh starts a throwaway PostgreSQL)")
        return 77
    return None


class World:
    def __init__(self, duegate, store="sqlite", extra_config="", capture=True, prefix="duegate-it-"):
        self.dg = duegate
        self.store = store
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.procs = []
        self.serve = None
        self.smtp_in, self.portal = free_port(), free_port()
        self.base = "http://127.0.0.1:%d" % self.portal
        self.maildir = os.path.join(self.work, "captured")
        self.capture_port = None
        if capture:
            self.capture_port = free_port()
            self.procs.append(subprocess.Popen(
                ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.capture_port,
                 "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
                stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "aiosmtpd.log"), "w")))
            if not wait_for(lambda: port_open(self.capture_port), 20):
                raise SystemExit("aiosmtpd did not start on port %d" % self.capture_port)
        if store == "sqlite":
            self.url = "sqlite:" + os.path.join(self.work, "var", "duegate.db")
        else:
            base = os.environ["DUEGATE_TEST_PG_URL"]
            schema = "it%d" % random.randrange(10**9)
            r = run(["psql", base, "-q", "-c", "CREATE SCHEMA " + schema])
            assert r.returncode == 0, r.stderr
            self.url = base + "?options=-csearch_path%3D" + schema
        self.cfg = os.path.join(self.work, "duegate.ini")
        smtp_out = ("host = 127.0.0.1\nport = %d\n" % self.capture_port) if capture else \
            "host =\noutbox_dir = %s/var/outbox\n" % self.work
        with open(self.cfg, "w") as f:
            f.write(f"""[store]
url = {self.url}
blobs = {self.work}/var/blobs
[smtp_in]
listen = 127.0.0.1:{self.smtp_in}
[smtp_out]
{smtp_out}from = reminders@duegate.test
[portal]
listen = 127.0.0.1:{self.portal}
base_url = {self.base}
link_secret_file = {self.work}/var/link.key
[jobs]
ingest_interval_ms = 200
outbox_interval_ms = 200
""" + extra_config)

    def cli(self, *args, stdin=None, timeout=120):
        """Runs `duegate WORDS... --config CFG REST...` (the config goes after the command words)."""
        words = list(args)
        n = 2 if words and words[0] in ("creditor", "user", "dunning", "payout", "task", "mailbox") else 1
        return run([self.dg] + words[:n] + ["--config", self.cfg] + words[n:], stdin=stdin, timeout=timeout)

    def add_creditor(self, name, intake, *options):
        r = self.cli("creditor", "add", "--name", name, "--intake", intake, *options)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    def start_serve(self, env=None):
        log = open(os.path.join(self.work, "serve.log"), "a")
        self.serve = subprocess.Popen([self.dg, "serve", "--config", self.cfg], stdout=log, stderr=subprocess.STDOUT,
                                      env=env)
        self.procs.append(self.serve)
        ok = wait_for(lambda: port_open(self.portal) and fetch(self.base + "/healthz") == (200, "ok"), 30)
        if not ok:
            raise SystemExit("duegate serve did not become healthy:\n" + self.serve_log()[-4000:])
        return self.serve

    def stop_serve(self, sig=signal.SIGTERM):
        if self.serve and self.serve.poll() is None:
            self.serve.send_signal(sig)
            try:
                return self.serve.wait(20)
            except subprocess.TimeoutExpired:
                self.serve.kill()
                return self.serve.wait()
        return None

    def api(self, path, key, data=None, method=None, content_type=None):
        headers = {"Authorization": "Bearer " + key}
        if content_type:
            headers["Content-Type"] = content_type
        status, body = fetch(self.base + path, headers, data, method=method)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body

    def send_mail(self, msg):
        with smtplib.SMTP("127.0.0.1", self.smtp_in, timeout=10) as s:
            return s.send_message(msg)

    def captured(self):
        return captured(self.maildir)

    def serve_log(self):
        p = os.path.join(self.work, "serve.log")
        return open(p).read() if os.path.exists(p) else ""

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if FAILED:
            print("---- duegate serve log ----")
            print(self.serve_log()[-6000:])
        shutil.rmtree(self.work, ignore_errors=True)
