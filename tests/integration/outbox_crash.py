#!/usr/bin/python3
"""The outbox under crashes and several processes (issue 13): at most once, unknown outcomes parked.

  --case kill   one `duegate serve` sends ~2 messages per invoice mail to a relay of this test that
                records every message the moment it has the final dot, then answers at once, late,
                or (every 7th) never within [jobs] outbox_reply_timeout_s. serve is killed with -9 at
                random moments during the sends and restarted, several rounds. Then: the relay has
                every message at most once; each message is 'sent' (and the relay has it) or parked
                'unknown' with an open review task; `duegate outbox list` and /metrics show the
                parked ones. A person then marks sent what the relay has and releases the rest: in
                the end the relay has every message exactly once.
  --case multi  two `serve` processes on one PostgreSQL (each its own folder and ports) share the
                outbox: the relay receives every message exactly once and both processes sent.

Usage: outbox_crash.py --duegate BIN --fixtures DIR --case kill|multi [--store sqlite|postgresql]
PostgreSQL needs DUEGATE_TEST_PG_URL (multi always). Prints "N passed, M failed"; exit 0 only when
all passed, 77 when skipped.
"""
import argparse, json, os, random, re, signal, smtplib, socket, sqlite3, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401
from resilience import extra_host, invoice, INTAKE, SENDER  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Relay:
    """A small SMTP relay on loopback. It records a message as soon as the final dot is in (from then
    on the relay 'has' it, whatever happens to the connection), then replies 250 after a delay that
    the chaos rule picks: most at once, some late but in time, every `silent_every`-th never in time."""

    def __init__(self, silent_after=4.0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.lock = threading.Lock()
        self.got = []          # Message-ID of every message received, in order (duplicates included)
        self.chaos = False
        self.silent_every = 7
        self.silent_after = silent_after
        self.n = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        f = c.makefile("rb")
        try:
            c.sendall(b"220 relay.test ESMTP\r\n")
            while True:
                line = f.readline()
                if not line:
                    return
                verb = line.split(b" ")[0].strip().upper()
                if verb in (b"EHLO", b"HELO"):
                    c.sendall(b"250 relay.test\r\n")
                elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    if verb == b"RCPT" and self.chaos:
                        time.sleep(random.choice([0.0, 0.0, 0.4]))   # a kill may land before the data
                    c.sendall(b"250 ok\r\n")
                elif verb == b"DATA":
                    c.sendall(b"354 go ahead\r\n")
                    data = []
                    while True:
                        l = f.readline()
                        if not l or l == b".\r\n":
                            break
                        data.append(l)
                    text = b"".join(data).decode("utf-8", "replace")
                    m = re.search(r"^Message-ID:\s*(\S+)", text, re.M | re.I)
                    with self.lock:
                        self.got.append(m.group(1) if m else "?")
                        self.n += 1
                        n = self.n
                    delay = 0.0
                    if self.chaos:
                        delay = self.silent_after if n % self.silent_every == 0 else random.choice(
                            [0.0, 0.0, 0.0, 0.05, 0.3, 0.8])
                    time.sleep(delay)
                    c.sendall(b"250 2.0.0 queued as R%d\r\n" % n)
                elif verb == b"QUIT":
                    c.sendall(b"221 bye\r\n")
                    return
                else:
                    c.sendall(b"500 what\r\n")
        except OSError:
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass

    def ids(self):
        with self.lock:
            return list(self.got)


def sql(w, text):
    """Rows of a query on the world's store, as lists of strings."""
    if w.url.startswith("sqlite:"):
        con = sqlite3.connect(w.url[len("sqlite:"):], timeout=30)
        try:
            return [[("" if v is None else str(v)) for v in r] for r in con.execute(text).fetchall()]
        finally:
            con.close()
    r = run(["psql", w.url, "-AtF", "\t", "-c", text])
    assert r.returncode == 0, r.stderr
    return [l.split("\t") for l in r.stdout.splitlines() if l]


def messages(w):
    """id -> (state, message_id, attempts)."""
    return {int(r[0]): (r[1], r[2], int(r[3]))
            for r in sql(w, "SELECT id, state, message_id, attempts FROM outbound_messages")}


def outbox_cli(w, *words):
    return run([w.dg, "outbox", words[0], "--config", w.cfg] + list(words[1:]))


def make_world(args, store, relay, extra=""):
    w = World(args.duegate, store, "outbox_lease_s = 5\noutbox_reply_timeout_s = 2\noutbox_initial_backoff_s = 1\n"
              "outbox_max_attempts = 50\n" + extra, capture=False, prefix="duegate-outbox-")
    text = open(w.cfg).read()
    text = re.sub(r"\[smtp_out\]\nhost =\noutbox_dir = [^\n]*\n",
                  "[smtp_out]\nhost = 127.0.0.1\nport = %d\n" % relay.port, text)
    open(w.cfg, "w").write(text)
    w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER, "--sender", SENDER,
                   "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
    return w


def settled(w):
    states = [s for s, _, _ in messages(w).values()]
    return states and not any(s in ("planned", "sending") for s in states)


def case_kill(args):
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    relay = Relay()
    w = make_world(args, args.store, relay)
    try:
        relay.chaos = True
        w.start_serve()
        n = args.mails
        for k in range(n):
            w.send_mail(invoice(ubl, k + 1))
        check(bool(wait_for(lambda: len(relay.ids()) >= 2, 30)), "the outbox started sending")
        for r in range(args.rounds):
            time.sleep(random.uniform(0.3, args.interval))
            w.serve.send_signal(signal.SIGKILL)
            w.serve.wait()
            print("   round %d: killed with %d messages at the relay" % (r + 1, len(relay.ids())), flush=True)
            w.start_serve()
        ok = wait_for(lambda: settled(w) and len(messages(w)) >= 2 * n, 90, 0.5)
        check(bool(ok), "every message is decided: nothing left planned or sending",
              sorted(set(s for s, _, _ in messages(w).values())))
        got = relay.ids()
        msgs = messages(w)
        twice = sorted(m for m in set(got) if got.count(m) > 1)
        # An acknowledgement and a payment notice per invoice, and the dunning run's first reminders.
        check(len(msgs) >= 2 * n, "at least two messages per invoice were queued (%d)" % (2 * n), len(msgs))
        check(not twice, "the relay has no message twice (%d messages, %d kills)" % (len(got), args.rounds), twice[:5])
        by_mid = {mid: (i, s) for i, (s, mid, _) in msgs.items()}
        check(all(m in by_mid for m in got), "the relay has only messages of the outbox")
        sent = [i for i, (s, _, _) in msgs.items() if s == "sent"]
        unknown = [i for i, (s, _, _) in msgs.items() if s == "unknown"]
        other = [(i, s) for i, (s, _, _) in msgs.items() if s not in ("sent", "unknown")]
        check(not other, "every message is sent or parked as unknown (none failed, none resent blindly)", other[:5])
        check(all(msgs[i][1] in got for i in sent), "every message marked sent is at the relay")
        check(len(unknown) >= 1, "sends without a reply in time and sends cut by kill -9 are parked", len(unknown))
        tasks = sql(w, "SELECT dedupe_key FROM tasks WHERE kind = 'outbox_review' AND state = 'open'")
        keys = set(t[0].rsplit(":", 1)[0] for t in tasks)
        check(all("outbox_unknown:%d" % i in keys for i in unknown),
              "each parked message has an open review task (%d parked)" % len(unknown), (unknown, sorted(keys)[:5]))
        at_relay = [i for i in unknown if msgs[i][1] in got]
        print("   %d sent, %d parked (%d of them at the relay, %d never got there), relay has %d" % (
            len(sent), len(unknown), len(at_relay), len(unknown) - len(at_relay), len(got)))
        listed = outbox_cli(w, "list")
        rows = [json.loads(l) for l in listed.stdout.splitlines() if l.strip()]
        listed_ids = sorted(r["id"] for r in rows)
        check(all(r["message_id"] == msgs[r["id"]][1] for r in rows), "the listing names each one's Message-ID")
        check(listed.returncode == 0 and listed_ids == sorted(unknown), "`duegate outbox list` shows the parked ones",
              listed.stdout[:300] + listed.stderr)
        status, metrics = fetch(w.base + "/metrics")
        check(status == 200 and ("duegate_outbox_parked %d" % len(unknown)) in metrics,
              "/metrics duegate_outbox_parked = %d" % len(unknown),
              [l for l in metrics.splitlines() if "parked" in l][:4])
        # A person decides with the relay's log: what it has went out, the rest is sent again.
        relay.chaos = False
        for i in unknown:
            r = outbox_cli(w, "mark-sent" if msgs[i][1] in got else "release", "--id", str(i),
                           "--by", "staff@agency.test", "--note", "checked the relay log")
            check(r.returncode == 0, "decision on parked message %d recorded" % i, r.stderr)
        bad = outbox_cli(w, "release", "--id", str(sent[0]), "--by", "staff@agency.test") if sent else None
        check(bad is None or bad.returncode == 2, "a message that is not parked cannot be released (exit 2)",
              bad.stderr if bad else "")
        ok = wait_for(lambda: all(s == "sent" for s, _, _ in messages(w).values()), 60, 0.5)
        check(bool(ok), "after the review every message is sent", sorted(set(s for s, _, _ in messages(w).values())))
        time.sleep(1.5)
        got = relay.ids()
        mids = [mid for _, mid, _ in messages(w).values()]
        check(sorted(got) == sorted(mids), "in the end the relay has every message exactly once (%d)" % len(mids),
              (len(got), len(mids), sorted(m for m in set(got) if got.count(m) > 1)[:3]))
        open_tasks = sql(w, "SELECT COUNT(*) FROM tasks WHERE kind = 'outbox_review' AND state = 'open'")
        check(open_tasks[0][0] == "0", "the review tasks are closed", open_tasks)
    finally:
        w.close()


def case_multi(args):
    skip = pg_skip("postgresql")
    if skip:
        return skip
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    relay = Relay()
    w = make_world(args, "postgresql", relay)
    try:
        # Both processes are up before any message is due, so they race for every one.
        w.start_serve()
        other = extra_host(w, 1)
        n = args.mails
        for k in range(n):
            with smtplib.SMTP("127.0.0.1", (w.smtp_in, other["smtp"])[k % 2], timeout=15) as s:
                s.send_message(invoice(ubl, k + 1))
        ok = wait_for(lambda: len(messages(w)) >= 2 * n and all(s == "sent" for s, _, _ in messages(w).values()),
                      60, 0.5)
        check(bool(ok), "two serve processes sent all %d messages" % (2 * n),
              sorted(set(s for s, _, _ in messages(w).values())))
        time.sleep(2)
        got = relay.ids()
        mids = [mid for _, mid, _ in messages(w).values()]
        check(sorted(got) == sorted(mids), "the relay has every message exactly once (%d)" % len(mids),
              (len(got), len(mids), sorted(m for m in set(got) if got.count(m) > 1)[:3]))
        check(all(a == 1 for _, _, a in messages(w).values()), "each message was claimed once (attempts = 1)")
        log = w.serve_log()   # both processes log into it
        check(w.serve.poll() is None and other["proc"].poll() is None, "both processes still run")
        check("claim lost" not in log, "no claim was lost between the two processes")
    finally:
        w.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "fixtures"))
    ap.add_argument("--case", required=True, choices=["kill", "multi"])
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--interval", type=float, default=2.0, help="most seconds between kills")
    ap.add_argument("--mails", type=int, default=20)
    args = ap.parse_args()
    skip = pg_skip(args.store)
    if skip:
        return skip
    rc = {"kill": case_kill, "multi": case_multi}[args.case](args)
    if rc is not None:
        return rc
    return finish("outbox " + args.case)


if __name__ == "__main__":
    sys.exit(main())
