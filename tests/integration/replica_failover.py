#!/usr/bin/python3
"""The two-site mirror, on loopback (issue 13, item 4): PostgreSQL with a synchronous streaming
replica (pg_basebackup -R, synchronous_standby_names = '*', synchronous_commit = on), an intake
load against `duegate serve` on the primary, kill -9 of every primary process at a random moment,
`pg_ctl promote` of the replica, serve restarted against it: every mail that got 250 is there
exactly once, and serve takes mail on the promoted replica.

Usage: replica_failover.py --duegate BIN [--seconds S] [--threads N] [--rounds R]
(defaults: the short CI variant, about 30 s; tests/soak/run.sh runs longer loads). Each round
builds a fresh primary + replica pair. Needs the postgresql package (initdb, pg_basebackup) and
root or the postgres user. Prints "N passed, M failed".
"""
import argparse, os, random, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401
from resilience import Load, INTAKE, SENDER, check_exactly_once, pg_bin, as_pg  # noqa: E402


def pg(cmd, **kw):
    return run(as_pg(cmd), **kw)


def children_of(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/status" % d) as f:
                    if any(l.startswith("PPid:") and int(l.split()[1]) == pid for l in f):
                        out.append(int(d))
            except OSError:
                pass
    return out


class Pair:
    """A primary and its synchronous streaming replica in `work`, owned by the postgres user."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        os.makedirs(self.dir)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.p1, self.p2 = free_port(), free_port()
        self.primary, self.replica = self.dir + "/primary", self.dir + "/replica"
        r = pg([pg_bin("initdb"), "-D", self.primary, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                "--locale=C.UTF-8"])
        assert r.returncode == 0, r.stderr
        with open(self.primary + "/postgresql.auto.conf", "a") as f:
            # Synchronous replication: a COMMIT returns only when the replica has the WAL.
            f.write("synchronous_commit = on\nmax_wal_senders = 5\nwal_level = replica\nmax_connections = 200\n")
        self.start(self.primary, self.p1)
        r = pg([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.p1), "-U", "postgres", "-q",
                "-c", "CREATE ROLE duegate LOGIN PASSWORD 'duegate' SUPERUSER",
                "-c", "CREATE DATABASE duegate OWNER duegate"])
        assert r.returncode == 0, r.stderr
        r = pg([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.p1), "-U", "postgres",
                "-D", self.replica, "-R", "-X", "stream", "-c", "fast"])
        assert r.returncode == 0, r.stderr
        self.start(self.replica, self.p2)
        # Synchronous from now on: a COMMIT returns only when the replica has flushed the WAL.
        r = pg([pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.p1), "-U", "postgres", "-q",
                "-c", "ALTER SYSTEM SET synchronous_standby_names = '*'", "-c", "SELECT pg_reload_conf()"])
        assert r.returncode == 0, r.stderr
        self.url1 = "postgresql://duegate:duegate@127.0.0.1:%d/duegate" % self.p1
        self.url2 = "postgresql://duegate:duegate@127.0.0.1:%d/duegate" % self.p2

    def start(self, data, port):
        r = pg([pg_bin("pg_ctl"), "-D", data, "-l", data + ".log", "-w", "-o",
                "-k %s -h 127.0.0.1 -p %d" % (self.dir, port), "start"])
        assert r.returncode == 0, r.stderr + open(data + ".log").read()[-2000:]

    def sync_state(self):
        r = run(["psql", self.url1, "-Atc", "SELECT sync_state FROM pg_stat_replication"])
        return r.stdout.strip()

    def kill_primary(self):
        pid = int(open(self.primary + "/postmaster.pid").readline())
        victims = [pid] + children_of(pid)
        for p in victims:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(victims)

    def promote(self):
        return pg([pg_bin("pg_ctl"), "-D", self.replica, "-w", "promote"])

    def stop(self):
        for d in (self.replica, self.primary):
            if os.path.exists(d + "/postmaster.pid"):
                pg([pg_bin("pg_ctl"), "-D", d, "-m", "immediate", "-w", "stop"])


def round_(args, n):
    work = tempfile.mkdtemp(prefix="duegate-repl-")
    os.chmod(work, 0o755)
    pair = Pair(work)
    w = None
    try:
        check(bool(wait_for(lambda: pair.sync_state() == "sync", 30)), "round %d: the replica streams synchronously" % n,
              pair.sync_state())
        os.environ["DUEGATE_TEST_PG_URL"] = pair.url1
        w = World(args.duegate, "postgresql", capture=False)
        text = open(w.cfg).read().replace("[store]\n", "[store]\npool_wait_ms = 3000\n", 1)
        open(w.cfg, "w").write(text)
        w.add_creditor("Brouwerij Voorbeeld", INTAKE, "--email", SENDER)
        w.start_serve()
        load = Load([w.smtp_in], args.threads, tag="r%d-" % n).start()
        time.sleep(random.uniform(args.seconds * 0.5, args.seconds))
        acked_at_kill = len(load.acked)
        killed = pair.kill_primary()
        time.sleep(1.0)
        load.finish()
        w.stop_serve(signal.SIGKILL)
        check(acked_at_kill > 20, "round %d: mails were acknowledged before the primary died (%d processes killed)" % (
            n, killed), acked_at_kill)
        r = pair.promote()
        check(r.returncode == 0, "round %d: pg_ctl promote of the replica" % n, r.stderr)
        # serve, restarted against the promoted replica (same schema, other port).
        text = open(w.cfg).read().replace("127.0.0.1:%d/" % pair.p1, "127.0.0.1:%d/" % pair.p2)
        open(w.cfg, "w").write(text)
        w.url = w.url.replace("127.0.0.1:%d/" % pair.p1, "127.0.0.1:%d/" % pair.p2)
        w.start_serve()
        check_exactly_once(w, load, "round %d, after failover" % n)
        with smtplib.SMTP("127.0.0.1", w.smtp_in, timeout=15) as s:
            body = "From: %s\r\nTo: %s\r\nSubject: after\r\nMessage-ID: <after%d@x.test>\r\n\r\nhi\r\n" % (
                SENDER, INTAKE, n)
            check(s.sendmail(SENDER, [INTAKE], body.encode()) == {}, "round %d: serve takes mail on the promoted replica" % n)
    finally:
        if w:
            w.close()
        pair.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--seconds", type=float, default=6.0, help="most seconds of load before the kill")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    if not os.path.isdir("/usr/lib/postgresql"):
        print("postgresql not installed: skipped")
        return 77
    for n in range(1, args.rounds + 1):
        round_(args, n)
    return finish("replica failover")


if __name__ == "__main__":
    sys.exit(main())
