#!/usr/bin/python3
"""Login security from outside (issue 14 item 5), against a real `duegate serve`:

1. throttling: after [portal] login_max_failures_account wrong passwords the account answers 429
   with Retry-After and a page in the browser's language, even for the right password;
2. a flood of 200 wrong-password logins in parallel (from 200 client threads) while a probe
   fetches /login: every flood answer is 401, 429 or 503 (with Retry-After), /metrics shows that
   no more Argon2id hashes ran than there were 401 answers (busy and throttled attempts cost no
   hash), and the probe's p99 stays under BOUND_P99_S;
3. password reset by mail: the same answer for an unknown address, the mail captured by the
   loopback SMTP server (aiosmtpd) carries a one-use link; the new password works, the old one and
   the old session do not, the link a second time is 404.

Usage: login_security.py --duegate BIN --store sqlite|postgresql
"""
import argparse, concurrent.futures, http.cookiejar, os, re, sys, threading, time, urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401

BOUND_P99_S = 1.5      # p99 of GET /login during the flood (2 shared cores, sanitizer builds too; baseline: a few ms)
FLOOD = 200
PASSWORD = "correct-horse-battery"


class Browser:
    """A cookie-keeping client that does not follow redirects (so 303s and Set-Cookie are seen)."""

    def __init__(self, base, lang="en"):
        self.base, self.lang = base, lang
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers={"Accept-Language": self.lang})
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def cookie(self, name):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def login(self, email, password):
        self.request("/login")
        return self.request("/login", {"email": email, "password": password, "csrf": self.cookie("dg_login_csrf")})

    def pre_form(self, get_path, post_path, form):
        self.request(get_path)
        form = dict(form, csrf=self.cookie("dg_pre_csrf"))
        return self.request(post_path, form)


def metric(base, name):
    status, body = fetch(base + "/metrics")
    total = 0
    for line in body.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.split()[-1])
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--store", default="sqlite")
    a = ap.parse_args()
    skip = pg_skip(a.store)
    if skip is not None:
        return skip
    w = World(a.duegate, a.store)
    try:
        run_checks(w)
    finally:
        w.close()
    return finish("login_security_" + a.store)


def run_checks(w):
    cred = w.add_creditor("Acme Tools BV", "invoices@acme.duegate.test", "--email", "billing@acme.example")
    for email in ("alice@acme.example", "bob@acme.example"):
        r = w.cli("user", "add", "--email", email, "--creditor", str(cred["id"]), stdin=PASSWORD + "\n")
        check(r.returncode == 0, "user add " + email, r.stderr)
    env = dict(os.environ, DUEGATE_PORTAL_LOGIN_MAX_FAILURES_ACCOUNT="3",
               DUEGATE_PORTAL_LOGIN_MAX_FAILURES_ADDRESS="100000", DUEGATE_PORTAL_MAX_CONCURRENT_HASHES="2")
    w.start_serve(env=env)

    # 1. Throttling per account, visible from outside, in the browser's language.
    b = Browser(w.base, "nl-BE,nl;q=0.9")
    codes = [b.login("alice@acme.example", "wrong-password-%d" % i)[0] for i in range(3)]
    check(codes == [401, 401, 401], "three wrong passwords: 401 each", codes)
    hashes_before = metric(w.base, "duegate_password_hashes_total")
    status, headers, body = b.login("alice@acme.example", PASSWORD)
    check(status == 429, "the right password after three failures: 429", status)
    check(int(headers.get("Retry-After", "0")) > 0, "429 carries Retry-After", headers.get("Retry-After"))
    check("Te veel pogingen" in body, "the 429 page is in Dutch", body[:300])
    check(metric(w.base, "duegate_password_hashes_total") == hashes_before, "a throttled login runs no hash")
    ok_status, _, _ = Browser(w.base).login("bob@acme.example", PASSWORD)
    check(ok_status == 303, "another account from the same address still logs in", ok_status)

    # 2. The flood: 200 wrong-password logins at once (each for its own unknown e-mail, so the
    # account throttle does not stop them: they reach the hashing gate), while a probe reads /login.
    baseline = []
    for _ in range(20):
        t0 = time.monotonic()
        fetch(w.base + "/login")
        baseline.append(time.monotonic() - t0)
    hashes_before = metric(w.base, "duegate_password_hashes_total")
    csrf_client = Browser(w.base)
    csrf_client.request("/login")
    token = csrf_client.cookie("dg_login_csrf")
    start = threading.Event()
    flood_done = threading.Event()

    def attempt(i):
        start.wait()
        body = urllib.parse.urlencode({"email": "flood%d@x.example" % i, "password": "nope-%d" % i, "csrf": token}).encode()
        req = urllib.request.Request(w.base + "/login", data=body, headers={"Cookie": "dg_login_csrf=" + token})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers.get("Retry-After")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Retry-After")
        except OSError as e:
            return "error: %s" % e, None

    probe = []

    def probe_once():
        # While the flood fills the accept queue, the connection bound (16 threads + 100 queued,
        # PortalServer.h) may close a new connection unread: the probe, like a browser, tries
        # again, and the time it takes counts in its latency.
        for _ in range(5):
            try:
                return fetch(w.base + "/login")[0]
            except OSError:
                time.sleep(0.05)
        return "closed"

    def prober():
        while not flood_done.is_set():
            t0 = time.monotonic()
            status = probe_once()
            probe.append((time.monotonic() - t0, status))
            time.sleep(0.02)

    with concurrent.futures.ThreadPoolExecutor(max_workers=FLOOD) as pool:
        futures = [pool.submit(attempt, i) for i in range(FLOOD)]
        probe_thread = threading.Thread(target=prober)
        probe_thread.start()
        t0 = time.monotonic()
        start.set()
        results = [f.result() for f in futures]
        flood_s = time.monotonic() - t0
    time.sleep(0.5)
    flood_done.set()
    probe_thread.join()

    statuses = [s if isinstance(s, int) else "closed" for s, _ in results]
    count = {str(k): statuses.count(k) for k in set(statuses)}
    print("flood of %d in %.1f s: %s" % (FLOOD, flood_s, count))
    # Connections beyond the portal's threads + accept queue (16 + 100) are closed unread by the
    # server's connection bound (PortalServer.h): "closed" is that bound at work, not a failure.
    check(all(s in (401, 429, 503, "closed") for s in statuses),
          "every flood attempt is answered 401, 429 or 503 (or closed by the connection bound)", count)
    check(statuses.count(401) + statuses.count(503) >= 50, "at least 50 attempts were answered", count)
    check(all(r for s, r in results if s in (429, 503)), "429 and 503 answers carry Retry-After")
    check(statuses.count(503) > 0, "the hashing gate turned some attempts away (503)", count)
    hashes = metric(w.base, "duegate_password_hashes_total") - hashes_before
    check(hashes == statuses.count(401), "hashes run == 401 answers (busy attempts cost no hash)",
          "%d hashes, %d x 401" % (hashes, statuses.count(401)))
    lat = sorted(t for t, _ in probe)
    base_p99 = sorted(baseline)[int(len(baseline) * 0.99) - 1]
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)] if lat else 99
    print("probe GET /login: %d requests during the flood, p50 %.1f ms, p99 %.1f ms (baseline p99 %.1f ms)"
          % (len(lat), 1000 * lat[len(lat) // 2] if lat else -1, 1000 * p99, 1000 * base_p99))
    check(len(lat) >= 3 and all(s == 200 for _, s in probe), "the probe got 200 throughout the flood",
          [s for _, s in probe if s != 200][:5])
    check(p99 <= BOUND_P99_S, "p99 of GET /login during the flood <= %.1f s" % BOUND_P99_S, "%.3f s" % p99)

    # 3. Password reset by mail.
    alice = Browser(w.base)
    status, _, _ = alice.login("bob@acme.example", PASSWORD)
    old_session = alice.cookie("dg_session")
    check(status == 303 and old_session, "bob logs in before the reset", status)
    anon = Browser(w.base)
    unknown = anon.pre_form("/password/forgot", "/password/forgot", {"email": "nobody@acme.example"})
    known = anon.pre_form("/password/forgot", "/password/forgot", {"email": "bob@acme.example"})
    check(unknown[0] == known[0] == 303 and unknown[1].get("Location") == known[1].get("Location"),
          "the same answer for an unknown and a known address", (unknown[0], known[0]))
    mail = wait_for(lambda: [m for m in w.captured() if m[0] == "bob@acme.example"], 20)
    check(bool(mail), "the reset mail reaches the loopback SMTP server", w.captured())
    if not mail:
        return
    time.sleep(1)
    check(not [m for m in w.captured() if "nobody" in m[0]], "no mail for the unknown address")
    link = re.search(r"(http://\S+/password/reset\?token=[0-9a-f]{64})", mail[0][2])
    check(bool(link), "the mail carries the reset link", mail[0][2][:400])
    path = link.group(1)[len(w.base):]
    status, _, page = anon.request(path)
    check(status == 200, "the link opens the reset form", status)
    token_value = path.split("token=")[1]
    status, headers, _ = anon.pre_form(path, "/password/reset",
                                       {"token": token_value, "password": "brand-new-secret-1", "password2": "brand-new-secret-1"})
    check(status == 303 and headers.get("Location") == "/login?done=reset", "the new password is saved", status)
    s = Browser(w.base)
    s.jar.set_cookie(http.cookiejar.Cookie(0, "dg_session", old_session, None, False, "127.0.0.1", False, False, "/",
                                           True, False, None, True, None, None, {}))
    check(s.request("/")[0] == 303, "the session from before the reset is gone")
    check(Browser(w.base).login("bob@acme.example", PASSWORD)[0] == 401, "the old password no longer works")
    check(Browser(w.base).login("bob@acme.example", "brand-new-secret-1")[0] == 303, "the new password works")
    check(anon.request(path)[0] == 404, "the link a second time: 404")


if __name__ == "__main__":
    sys.exit(main())
