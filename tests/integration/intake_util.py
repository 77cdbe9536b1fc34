"""Shared pieces of the intake-door integration tests (sftp_drop, smtp_mx, lmtp_postfix, mailbox_poll):
checks, ports, a duegate configuration, `duegate serve` on loopback, the creditor API."""
import json, os, signal, socket, subprocess, sys, time, urllib.error, urllib.request
from email.message import EmailMessage

PASSED, FAILED = [], []


def check(cond, what, detail=""):
    (PASSED if cond else FAILED).append(what)
    print(("ok   " if cond else "FAIL ") + what + ("" if cond or not detail else ": " + str(detail)[:800]), flush=True)
    return cond


def summary():
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 0 if not FAILED else 1


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


def fetch(url, headers=None, data=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def invoice_mail(sender, to, subject, msgid, ubl_bytes=None, filename="F2026-0042.xml"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = sender, to, subject, msgid
    m.set_content("Beste,\n\nIn bijlage onze factuur.\n")
    if ubl_bytes is not None:
        m.add_attachment(ubl_bytes, maintype="application", subtype="xml", filename=filename)
    return m


class Duegate:
    """A duegate configuration in `work`, one creditor, and `serve` on demand."""

    def __init__(self, binary, work, extra="", smtp_in=""):
        self.bin, self.work = binary, work
        self.smtp, self.portal = free_port(), free_port()
        self.cfg = os.path.join(work, "duegate.ini")
        with open(self.cfg, "w") as f:
            f.write(f"""[store]
url = sqlite:{work}/var/duegate.db
blobs = {work}/var/blobs
[smtp_in]
listen = 127.0.0.1:{self.smtp}
{smtp_in}[smtp_out]
host =
outbox_dir = {work}/var/outbox
from = reminders@duegate.test
[portal]
listen = 127.0.0.1:{self.portal}
base_url = http://127.0.0.1:{self.portal}
link_secret_file = {work}/var/link.key
[jobs]
ingest_interval_ms = 200
outbox_interval_ms = 200
""" + extra)
        self.proc = None
        r = run([binary, "migrate", "--config", self.cfg])
        check(r.returncode == 0, "duegate migrate exits 0", r.stderr)

    def add_creditor(self, name, intake, email):
        r = run([self.bin, "creditor", "add", "--config", self.cfg, "--name", name, "--intake", intake,
                 "--email", email, "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB"])
        check(r.returncode == 0, "duegate creditor add exits 0", r.stderr)
        return json.loads(r.stdout)

    def start(self):
        self.log = open(os.path.join(self.work, "serve.log"), "a")
        self.proc = subprocess.Popen([self.bin, "serve", "--config", self.cfg], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        ok = wait_for(lambda: port_open(self.portal) and
                      fetch(f"http://127.0.0.1:{self.portal}/healthz") == (200, "ok"), 30)
        check(bool(ok), "duegate serve starts")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def dossiers(self, api_key):
        status, body = fetch(f"http://127.0.0.1:{self.portal}/api/v1/dossiers",
                             {"Authorization": "Bearer " + api_key})
        return json.loads(body).get("dossiers", []) if status == 200 else []

    def print_log(self):
        path = os.path.join(self.work, "serve.log")
        if os.path.exists(path):
            print("---- duegate serve log ----")
            print(open(path).read()[-6000:])
