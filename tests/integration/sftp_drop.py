#!/usr/bin/python3
"""The SFTP drop door (issue 11 item 1) with the real OpenSSH server and client on loopback.

scripts/sftp-setup.sh opens the door for a creditor (a chrooted internal-sftp account with a key,
in/ done/ failed/ under /srv/duegate-test-...), a private `sshd` runs with its own config file on a
loopback port, and `sftp -b` (batch mode, key auth) uploads: a Peppol UBL invoice, a second one as
NAME.part renamed when complete, the first again under another name, a CSV bulk template, a CODA
statement for the creditor's account and a broken XML file. duegate serve ([drop]) must make the
dossiers (API), move the good files to done/ and the broken one to failed/ with NAME.error.txt,
readable by the creditor over sftp. Needs root and sshd: exit 77 otherwise.

Usage: sftp_drop.py --duegate BUILD/duegate --fixtures DIR. Prints "N passed, M failed".
"""
import argparse, json, os, random, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_util import Duegate, check, free_port, port_open, run, summary, wait_for, FAILED  # noqa: E402

SSHD = "/usr/sbin/sshd"
HERE = os.path.dirname(os.path.abspath(__file__))
SETUP = os.path.join(HERE, "..", "..", "scripts", "sftp-setup.sh")

TEMPLATE = ("creditor_reference;debtor_name;debtor_email;debtor_phone;debtor_street;debtor_postcode;debtor_city;"
            "debtor_country;language;vat_number;invoice_number;issue_date;due_date;amount;currency;ogm\n"
            "K-7001;Drukkerij Zeven NV;boekhouding@zeven.example;;Markt 7;9000;Gent;BE;nl;;F2026-7001;"
            "2026-01-15;2026-02-14;250,00;EUR;\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0 or not os.path.exists(SSHD) or not shutil.which("sftp"):
        print("needs root, %s and sftp: skipped" % SSHD)
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()
    coda = open(os.path.join(args.fixtures, "bank", "coda_v2_structured_globalised.cod"), "rb").read()
    work = tempfile.mkdtemp(prefix="duegate-sftp-")
    # sshd wants the chroot and the key file on root-owned paths no one else may write: not /tmp.
    srv = "/srv/duegate-test-%d" % random.randrange(10**9)
    os.makedirs(srv, mode=0o755)
    os.chmod(srv, 0o755)
    user = "dgdrop%d" % random.randrange(10**6)
    sshd = None
    dg = None
    try:
        dg = Duegate(args.duegate, work, extra=f"""[drop]
dir = {srv}/drop
rescan_seconds = 2
stable_seconds = 2
""")
        c = dg.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "boekhouding@voorbeeld.example")
        cid = c["id"]
        key = os.path.join(work, "id_ed25519")
        r = run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
        check(r.returncode == 0, "ssh-keygen makes the creditor's key", r.stderr)
        os.makedirs(os.path.join(srv, "drop"), mode=0o755)
        r = run(["sh", SETUP, str(cid), user, "--pubkey", key + ".pub", "--drop-dir", os.path.join(srv, "drop"),
                 "--keys-dir", os.path.join(srv, "keys")])
        check(r.returncode == 0 and "Match User " + user in r.stdout and "ChrootDirectory" in r.stdout,
              "sftp-setup.sh creates the account and prints the Match block", r.stdout + r.stderr)
        block = r.stdout
        chroot = os.path.join(srv, "drop", str(cid))
        st = os.stat(chroot)
        check(st.st_uid == 0 and not st.st_mode & 0o022, "the chroot is root-owned and not writable by others")
        check(all(os.path.isdir(os.path.join(chroot, d)) for d in ("in", "done", "failed")), "in/ done/ failed/ exist")
        r = run(["sh", SETUP, str(cid), user, "--pubkey", key + ".pub", "--drop-dir", os.path.join(srv, "drop"),
                 "--keys-dir", os.path.join(srv, "keys")])
        check(r.returncode == 0, "sftp-setup.sh run again changes nothing and succeeds", r.stderr)

        port = free_port()
        hostkey = os.path.join(srv, "hostkey")
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostkey])
        conf = os.path.join(srv, "sshd_config")
        with open(conf, "w") as f:
            f.write(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {hostkey}
PidFile {srv}/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
LogLevel VERBOSE
Subsystem sftp internal-sftp
""" + block)
        os.makedirs("/run/sshd", exist_ok=True)
        r = run([SSHD, "-t", "-f", conf])
        check(r.returncode == 0, "sshd -t accepts the config with the printed block", r.stderr)
        sshd = subprocess.Popen([SSHD, "-D", "-f", conf, "-E", os.path.join(work, "sshd.log")])
        check(bool(wait_for(lambda: port_open(port), 20)), "sshd listens on loopback")
        dg.start()

        def sftp(batch):
            path = os.path.join(work, "batch")
            open(path, "w").write(batch)
            return run(["sftp", "-b", path, "-i", key, "-P", str(port), "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", user + "@127.0.0.1"], timeout=60)

        files = {
            "F2026-0042.xml": ubl,
            "F2026-0043.xml": ubl.replace(b"F2026-0042", b"F2026-0043"),
            "again.xml": ubl,
            "bulk.csv": TEMPLATE.encode("utf-8"),
            "statement.cod": coda,
            "broken.xml": b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
                          b"<cbc:ID>",
        }
        for name, data in files.items():
            open(os.path.join(work, name), "wb").write(data)
        os.chdir(work)
        r = sftp("put F2026-0042.xml\nput F2026-0043.xml F2026-0043.xml.part\nrename F2026-0043.xml.part F2026-0043.xml\n"
                 "put bulk.csv\nput statement.cod\nput broken.xml\n")
        check(r.returncode == 0, "sftp -b uploads the files into in/ (chrooted, key auth)", r.stdout + r.stderr)

        def listing(sub):
            d = os.path.join(chroot, sub)
            return sorted(os.listdir(d)) if os.path.isdir(d) else []
        want_done = ["F2026-0042.xml", "F2026-0043.xml", "bulk.csv", "statement.cod"]
        done = wait_for(lambda: all(n in listing("done") for n in want_done) and "broken.xml" in listing("failed"), 30)
        check(bool(done), "the good files land in done/, the broken one in failed/",
              (listing("in"), listing("done"), listing("failed")))
        check(listing("in") == [], "in/ is empty afterwards", listing("in"))
        check("broken.xml.error.txt" in listing("failed"), "failed/ has broken.xml.error.txt", listing("failed"))

        # The same file again, under another name: the same item, done/, no second dossier.
        r = sftp("put again.xml\n")
        check(r.returncode == 0, "the same UBL is uploaded again as again.xml", r.stderr)
        check(bool(wait_for(lambda: "again.xml" in listing("done"), 20)), "again.xml lands in done/",
              (listing("in"), listing("done"), listing("failed")))

        def numbers():
            return sorted(i["number"] for d in dg.dossiers(c["api_key"]) for i in d["invoices"])
        got = wait_for(lambda: (lambda n: n if len(n) >= 3 else None)(numbers()), 30) or numbers()
        check(got == ["F2026-0042", "F2026-0043", "F2026-7001"],
              "the dossiers appear: two UBL invoices and the template row, each once", got)

        # The creditor reads the reason over sftp.
        r = sftp("get /failed/broken.xml.error.txt reason.txt\nls /done\n")
        reason = open(os.path.join(work, "reason.txt")).read() if os.path.exists("reason.txt") else ""
        check(r.returncode == 0 and reason.startswith("broken.xml: ") and len(reason) > 20,
              "the creditor reads why broken.xml failed over sftp", (reason, r.stderr))
        check("F2026-0042.xml" in r.stdout, "the creditor sees done/ over sftp", r.stdout)
        db = os.path.join(work, "var", "duegate.db")
        import sqlite3
        con = sqlite3.connect(db)
        rows = con.execute("SELECT kind, COUNT(*), COUNT(DISTINCT sha256) FROM inbound_items WHERE creditor_id = ? "
                           "GROUP BY kind", (cid,)).fetchall()
        con.close()
        check(rows == [("file", 5, 5)], "five distinct files are five 'file' items (again.xml is the same item)", rows)
        log = open(os.path.join(work, "serve.log")).read()
        flat = log.replace('\\"', '"').replace(": ", ":")
        check(any("statement.cod" in l and '"kind":"statement"' in l for l in flat.splitlines()),
              "the statement went to the payments import", log[-2000:])
    finally:
        if dg:
            dg.stop()
        if sshd:
            sshd.terminate()
            sshd.wait(10)
        run(["userdel", user])
        if FAILED:
            for f in (os.path.join(work, "sshd.log"),):
                if os.path.exists(f):
                    print("----", f)
                    print(open(f).read()[-3000:])
            if dg:
                dg.print_log()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(srv, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
