#!/usr/bin/python3
"""Kill, restart and overload real processes (issue 13, item 3). One script, one case per run:

  --case kill       kill -9 of `duegate serve` at random moments during a mail load (smtplib
                    sessions in threads), restart, several rounds: every mail that got 250 is in
                    the store exactly once and nothing else is.
  --case pgrestart  PostgreSQL (a throwaway cluster of this test) stopped for a few seconds during
                    the load: 4xx while it is down, serve recovers by itself, nothing acknowledged lost.
  --case multi      two or three `serve` processes (each its own folder and ports) on one PostgreSQL
                    sharing SMTP, ingest and outbox: the capture server receives every message exactly
                    once; a debtor link minted on one host opens on another.
  --case relay      the relay (aiosmtpd capture) down for a while: everything is sent afterwards,
                    nothing twice.
  --case slowloris  64 slow-loris connections (a byte now and then) do not stop a normal client.

Sizes are parameters (--rounds, --mails, --threads, --hosts, --down): the defaults are the short CI
variants (each well under a minute on 2 cores); tests/soak/run.sh runs the long ones.
Usage: resilience.py --duegate BIN --fixtures DIR --case C [--store sqlite|postgresql] [sizes]
PostgreSQL cases need DUEGATE_TEST_PG_URL except pgrestart, which starts its own cluster.
Prints "N passed, M failed"; exit 0 only when all passed, 77 when skipped.
"""
import argparse, os, random, re, signal, smtplib, socket, sqlite3, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTAKE = "invoices@voorbeeld.in.test"
SENDER = "boekhouding@voorbeeld.example"


def pg_bin(tool):
    base = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    return "/usr/lib/postgresql/%s/bin/%s" % (base, tool)


def as_pg(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.getuid() == 0 else cmd


class Load:
    """Threads sending small unique mails to one or more SMTP ports until stopped."""

    def __init__(self, ports, threads, limit=None, tag="m"):
        self.ports, self.limit, self.tag = ports, limit, tag
        self.lock = threading.Lock()
        self.acked, self.attempted, self.temp_failures, self.other_failures = set(), set(), 0, 0
        self.n = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(threads)]

    def next_id(self):
        with self.lock:
            if self.limit is not None and self.n >= self.limit:
                return None
            self.n += 1
            return "<%s%d.%d@load.test>" % (self.tag, self.n, random.randrange(10**9))

    def worker(self, i):
        s = None
        while not self.stop.is_set():
            mid = self.next_id()
            if mid is None:
                break
            body = "From: %s\r\nTo: %s\r\nSubject: load\r\nMessage-ID: %s\r\n\r\nmail %s\r\n" % (
                SENDER, INTAKE, mid, mid)
            with self.lock:
                self.attempted.add(mid)
            try:
                if s is None:
                    s = smtplib.SMTP("127.0.0.1", random.choice(self.ports), timeout=15)
                s.sendmail(SENDER, [INTAKE], body.encode())
                with self.lock:
                    self.acked.add(mid)
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as e:
                code = e.smtp_code if isinstance(e, smtplib.SMTPResponseException) else \
                    min(c for c, _ in e.recipients.values())
                with self.lock:
                    if 400 <= code < 500:
                        self.temp_failures += 1
                    else:
                        self.other_failures += 1
                s = self.drop(s)
                time.sleep(0.05)
            except (OSError, smtplib.SMTPException):
                with self.lock:
                    self.other_failures += 1
                s = self.drop(s)
                time.sleep(0.05)
        self.drop(s)

    @staticmethod
    def drop(s):
        if s is not None:
            try:
                s.close()
            except Exception:
                pass
        return None

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def stored_message_ids(world):
    """message_id -> number of inbound items with it."""
    sql = "SELECT message_id, COUNT(*) FROM inbound_items GROUP BY message_id"
    if world.url.startswith("sqlite:"):
        con = sqlite3.connect(world.url[len("sqlite:"):], timeout=30)
        rows = con.execute(sql).fetchall()
        con.close()
    else:
        r = run(["psql", world.url, "-Atc", sql.replace(", COUNT(*)", " || '|' || COUNT(*)")])
        assert r.returncode == 0, r.stderr
        rows = [(l.rsplit("|", 1)[0], int(l.rsplit("|", 1)[1])) for l in r.stdout.splitlines() if l]
    return {m: int(c) for m, c in rows}


def raw_mails_ok(world):
    """Every inbound item's raw bytes are readable from either blob home and hash to their sha256:
    a file <blobs>/aa/bb/<sha256>, or a row of the `blobs` table (small mails on SQLite are committed
    there with their rows; every blob on PostgreSQL). Returns (items, [bad sha256])."""
    import base64, hashlib
    sql_items = "SELECT DISTINCT sha256 FROM inbound_items"
    # `bytes` (migration 0026): the raw bytes on PostgreSQL (psql shows bytea as \x and hex), NULL on
    # SQLite and for blobs written before it, whose bytes are base64 in `data`.
    sql_blobs = ("SELECT b.sha256, b.data, b.chunks, b.bytes FROM blobs b "
                 "WHERE b.sha256 IN (SELECT sha256 FROM inbound_items)")
    sql_chunks = ("SELECT c.sha256, c.seq, c.data, c.bytes FROM blob_chunks c "
                  "WHERE c.sha256 IN (SELECT sha256 FROM inbound_items) ORDER BY c.sha256, c.seq")
    if world.url.startswith("sqlite:"):
        con = sqlite3.connect(world.url[len("sqlite:"):], timeout=30)
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    else:
        def q(sql):
            r = run(["psql", world.url, "-AtF", "|", "-c", sql])
            assert r.returncode == 0, r.stderr
            return [tuple(l.split("|")) for l in r.stdout.splitlines() if l]
    try:
        # Three queries in all (one psql each on PostgreSQL), not three per mail: thousands of
        # psql runs took minutes.
        shas = [r[0] for r in q(sql_items)]
        def stored(data, raw):
            if isinstance(raw, (bytes, memoryview)):
                return bytes(raw)
            if raw:  # psql: "\x" and hex
                return bytes.fromhex(raw[2:])
            return base64.b64decode(data)
        blobs = {r[0]: (stored(r[1], r[3]), int(r[2])) for r in q(sql_blobs)}
        chunks = {}
        for sha, _seq, data, raw in q(sql_chunks):
            chunks.setdefault(sha, []).append(stored(data, raw))
        bad = []
        for sha in shas:
            p = os.path.join(world.work, "var", "blobs", sha[:2], sha[2:4], sha)
            if os.path.exists(p):
                data = open(p, "rb").read()
            elif sha in blobs:
                parts = [blobs[sha][0]] if blobs[sha][1] == 0 else chunks.get(sha, [])
                data = b"".join(parts)
            else:
                bad.append(sha)
                continue
            if hashlib.sha256(data).hexdigest() != sha:
                bad.append(sha)
        return len(shas), bad
    finally:
        if world.url.startswith("sqlite:"):
            con.close()


def check_exactly_once(world, load, what):
    ids = stored_message_ids(world)
    missing = [m for m in load.acked if ids.get(m, 0) != 1]
    twice = [m for m, c in ids.items() if c > 1]
    strangers = [m for m in ids if m not in load.attempted]
    check(not missing, "%s: every one of %d acknowledged mails is stored exactly once" % (what, len(load.acked)),
          missing[:5])
    check(not twice, "%s: no mail stored twice" % what, twice[:5])
    check(not strangers, "%s: nothing is stored that was not sent" % what, strangers[:5])
    print("   %s: %d attempted, %d acknowledged, %d stored, %d temporary failures, %d dropped connections" % (
        what, len(load.attempted), len(load.acked), len(ids), load.temp_failures, load.other_failures))


def case_kill(args):
    w = World(args.duegate, args.store)
    try:
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER)
        w.start_serve()
        load = Load([w.smtp_in], args.threads, tag="k").start()
        for r in range(args.rounds):
            time.sleep(random.uniform(0.5, args.interval))
            before = len(load.acked)
            w.serve.send_signal(signal.SIGKILL)
            w.serve.wait()
            time.sleep(random.uniform(0.0, 0.5))
            w.start_serve()
            print("   round %d: killed after %d acknowledged mails in all" % (r + 1, before), flush=True)
        time.sleep(1.0)
        load.finish()
        check(len(load.acked) > args.rounds * 5, "the load got mails through between the kills", len(load.acked))
        w.stop_serve()
        check_exactly_once(w, load, "kill -9 x%d" % args.rounds)
        n, bad = raw_mails_ok(w)
        check(n > 0 and not bad, "kill -9: every stored mail's raw bytes are readable and hash to their sha256 (%d)" % n,
              bad[:5])
    finally:
        w.close()


def own_cluster(work):
    """A throwaway cluster this test may stop and start: (dir, port, url, start_fn, stop_fn)."""
    d = os.path.join(work, "pg")
    port = free_port()
    r = run(["bash", os.path.join(ROOT, "scripts", "pg-throwaway.sh"), "start", d, str(port)])
    assert r.returncode == 0, r.stderr + r.stdout
    url = r.stdout.strip().splitlines()[-1]
    opts = "-k %s -h 127.0.0.1 -p %d -c fsync=off -c max_connections=200" % (d, port)

    def stop():
        return run(as_pg([pg_bin("pg_ctl"), "-D", d + "/data", "-m", "fast", "-w", "stop"]))

    def start():
        return run(as_pg([pg_bin("pg_ctl"), "-D", d + "/data", "-l", d + "/server.log", "-w", "-o", opts, "start"]))
    return d, port, url, start, stop


def case_pgrestart(args):
    import tempfile
    work = tempfile.mkdtemp(prefix="duegate-pgr-")
    os.chmod(work, 0o755)
    d, port, url, start, stop = own_cluster(work)
    os.environ["DUEGATE_TEST_PG_URL"] = url
    w = World(args.duegate, "postgresql")
    try:
        # Waiting for a pooled connection is bounded, so a client hears 4xx instead of hanging.
        text = open(w.cfg).read().replace("[store]\n", "[store]\npool_wait_ms = 3000\n", 1)
        open(w.cfg, "w").write(text)
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER)
        w.start_serve()
        load = Load([w.smtp_in], args.threads, tag="p").start()
        for r in range(args.rounds):
            time.sleep(2.0)
            acked_before, temp_before = len(load.acked), load.temp_failures
            check(stop().returncode == 0, "round %d: PostgreSQL stopped" % (r + 1))
            time.sleep(args.down)
            during = len(load.acked) - acked_before
            temp = load.temp_failures - temp_before
            check(start().returncode == 0, "round %d: PostgreSQL started again" % (r + 1))
            check(temp > 0, "round %d: clients got 4xx while PostgreSQL was down" % (r + 1), temp)
            print("   round %d: %d acknowledged while down (in flight before the stop), %d 4xx" % (r + 1, during, temp))
            after = len(load.acked)
            ok = wait_for(lambda: len(load.acked) > after + 20, 30)
            check(bool(ok), "round %d: serve takes mail again by itself after the restart" % (r + 1))
        load.finish()
        check(w.serve.poll() is None, "serve kept running through the outages")
        check(fetch(w.base + "/healthz") == (200, "ok"), "GET /healthz is ok again")
        w.stop_serve()
        check_exactly_once(w, load, "PostgreSQL restarted x%d" % args.rounds)
    finally:
        w.close()
        stop()
        shutil.rmtree(work, ignore_errors=True)


def invoice(ubl, n, smtp_port_hint=""):
    number = "F2026-%05d" % n
    xml = ubl.replace(b"F2026-0042", number.encode())
    return invoice_mail("Boekhouding <%s>" % SENDER, INTAKE, "Factuur " + number,
                        "<inv%d.%d@voorbeeld.example>" % (n, random.randrange(10**9)), xml,
                        filename=number + ".xml")


def extra_host(w, i):
    """A second/third host: its own folder, ports and config, the same store and relay."""
    work = os.path.join(w.work, "host%d" % i)
    os.makedirs(work)
    smtp_in, portal = free_port(), free_port()
    text = open(w.cfg).read()
    text = text.replace("listen = 127.0.0.1:%d" % w.smtp_in, "listen = 127.0.0.1:%d" % smtp_in)
    text = text.replace("127.0.0.1:%d" % w.portal, "127.0.0.1:%d" % portal)
    text = text.replace(w.work + "/var", work + "/var")
    cfg = os.path.join(work, "duegate.ini")
    open(cfg, "w").write(text)
    log = open(os.path.join(w.work, "serve.log"), "a")
    p = subprocess.Popen([w.dg, "serve", "--config", cfg], stdout=log, stderr=subprocess.STDOUT)
    w.procs.append(p)
    base = "http://127.0.0.1:%d" % portal
    if not wait_for(lambda: port_open(portal) and fetch(base + "/healthz") == (200, "ok"), 30):
        raise SystemExit("host %d did not become healthy" % i)
    return {"smtp": smtp_in, "base": base, "proc": p}


def count_by(items, key):
    out = {}
    for it in items:
        out[key(it)] = out.get(key(it), 0) + 1
    return out


def case_multi(args):
    skip = pg_skip("postgresql")
    if skip:
        return skip
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    w = World(args.duegate, "postgresql")
    try:
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER, "--sender", SENDER,
                       "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        w.start_serve()
        hosts = [{"smtp": w.smtp_in, "base": w.base, "proc": w.serve}]
        for i in range(1, args.hosts):
            hosts.append(extra_host(w, i))
        n = args.mails
        acked = 0
        for k in range(n):
            h = hosts[k % len(hosts)]
            with smtplib.SMTP("127.0.0.1", h["smtp"], timeout=15) as s:
                acked += s.send_message(invoice(ubl, k + 1)) == {}
        check(acked == n, "%d invoice mails acknowledged over %d hosts' SMTP ports" % (n, len(hosts)), acked)
        got = wait_for(lambda: len(w.captured()) >= 2 * n and w.captured(), 60, 0.5) or w.captured()
        time.sleep(3)  # anything sent twice would show up now
        got = w.captured()
        notices = [m for m in got if m[0] == "els@dehoek.example"]
        acks = [m for m in got if SENDER in m[0]]
        subjects = count_by(got, lambda m: (m[0], m[1], re.sub(r"\s+", " ", m[2])[:400]))
        check(len(notices) == n, "the capture server got one payment notice per invoice", len(notices))
        check(len(acks) == n, "the capture server got one acknowledgement per invoice", len(acks))
        check(all(c == 1 for c in subjects.values()), "no message was sent twice",
              [k for k, c in subjects.items() if c > 1][:3])
        check(len(got) == 2 * n, "nothing else was sent", len(got))
        # A link minted by whichever host sent the notice opens on every host.
        if notices:
            m = re.search(r"https?://[^/\s]+(/d/\S+)", notices[0][2])
            check(m is not None, "the notice carries a debtor link", notices[0][2][:500])
            if m:
                for h in hosts:
                    status, page = fetch(h["base"] + m.group(1))
                    check(status == 200 and "F2026-" in page, "the link opens on host %s" % h["base"], status)
        # No item was quarantined for missing raw bytes (the blob another host received).
        r = run(["psql", w.url, "-Atc", "SELECT state, COUNT(*) FROM inbound_items GROUP BY state"])
        check(r.stdout.strip() == "applied|%d" % n, "every item applied once, none quarantined", r.stdout)
        for h in hosts:
            check(h["proc"].poll() is None, "host %s still runs" % h["base"])
    finally:
        w.close()


def case_relay(args):
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    # Retries often enough to notice the relay is back soon, few enough to stay under the attempt bound.
    max_backoff = max(3, int(args.down / 30))
    w = World(args.duegate, args.store, "outbox_initial_backoff_s = 1\noutbox_max_backoff_s = %d\n"
              "outbox_max_attempts = 100\n" % max_backoff)
    try:
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER, "--sender", SENDER,
                       "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        capture = w.procs[0]
        capture.kill()
        capture.wait()
        check(not port_open(w.capture_port), "the relay is down")
        w.start_serve()
        n = args.mails
        for k in range(n):
            w.send_mail(invoice(ubl, k + 1))
        time.sleep(args.down)
        check(len(w.captured()) == 0, "nothing was delivered while the relay was down")
        w.procs.append(subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % w.capture_port,
             "-c", "aiosmtpd.handlers.Mailbox", w.maildir],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(w.work, "aiosmtpd.log"), "a")))
        wait_for(lambda: len(w.captured()) >= 2 * n, 60 + 2 * max_backoff, 0.5)
        time.sleep(4)  # a second copy would arrive within the backoff
        got = w.captured()
        dup = [k for k, c in count_by(got, lambda m: (m[0], m[1])).items() if c > 1]
        check(len(got) == 2 * n, "after the relay came back every message was sent (%d)" % (2 * n), len(got))
        check(not dup, "nothing was sent twice", dup[:3])
    finally:
        w.close()


def case_slowloris(args):
    w = World(args.duegate, args.store, "", capture=False)
    try:
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER)
        w.start_serve()
        # The slow clients come from one address (127.0.0.2, loopback too), the normal one from
        # 127.0.0.1: [smtp_in] max_sessions_per_client (default 10) refuses the slow ones past it, and
        # the sessions it lets in do not use up max_connections.
        socks, refused, stop = [], 0, threading.Event()
        for _ in range(64):
            s = socket.socket()
            s.bind(("127.0.0.2", 0))
            s.settimeout(5)
            s.connect(("127.0.0.1", w.smtp_in))
            socks.append(s)
        for s in socks:
            try:
                refused += s.recv(512).startswith(b"421")
            except OSError:
                pass
        check(refused >= 64 - 10, "the per-address limit refuses the slow-loris connections past it (%d of 64)" % refused,
              refused)

        def trickle():
            msg = b"EHLO slow.example\r\nMAIL FROM:<a@slow.example>\r\n"
            i = 0
            while not stop.is_set() and i < len(msg):
                for s in socks:
                    try:
                        s.send(msg[i:i + 1])
                    except OSError:
                        pass
                i += 1
                stop.wait(1.0)
        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        time.sleep(2)
        ok, times = 0, []
        for k in range(5):
            t0 = time.time()
            try:
                with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=10, source_address=("127.0.0.1", 0)) as s:
                    body = "From: %s\r\nTo: %s\r\nSubject: normal\r\nMessage-ID: <n%d@x.test>\r\n\r\nhi\r\n" % (
                        SENDER, INTAKE, k)
                    s.sendmail(SENDER, [INTAKE], body.encode())
                    ok += 1
            except Exception as e:  # noqa: BLE001
                print("   normal client %d: %r" % (k, e))
            times.append(time.time() - t0)
        check(ok == 5, "with 64 slow-loris connections open a normal client delivers 5 of 5 mails", ok)
        check(max(times) < 5, "each normal delivery takes under 5 s", ["%.2f" % x for x in times])
        stop.set()
        for s in socks:
            s.close()
    finally:
        w.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "fixtures"))
    ap.add_argument("--case", required=True, choices=["kill", "pgrestart", "multi", "relay", "slowloris"])
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--interval", type=float, default=3.0, help="kill: most seconds between kills")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--mails", type=int, default=6)
    ap.add_argument("--hosts", type=int, default=3)
    ap.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL / the relay stays down")
    args = ap.parse_args()
    if args.case in ("kill", "relay", "slowloris"):
        skip = pg_skip(args.store)
        if skip:
            return skip
    rc = {"kill": case_kill, "pgrestart": case_pgrestart, "multi": case_multi, "relay": case_relay,
          "slowloris": case_slowloris}[args.case](args)
    if rc is not None:
        return rc
    return finish("resilience " + args.case)


if __name__ == "__main__":
    sys.exit(main())
