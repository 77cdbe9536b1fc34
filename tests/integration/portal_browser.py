#!/usr/bin/python3
"""The debtor's journey in a real browser (issue 14, item 6): headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium) against a real `duegate serve`.

A creditor's invoice mail comes in over SMTP; the payment notice is written as an .eml into the
outbox folder; the debtor opens the link from it on a 360x740 phone viewport, switches to French,
promises a date and sees the confirmation (and the French confirmation mail lands in the outbox).
Then the other answers: accept in the browser, contact / paid / dispute with an attachment over
urllib with the page's CSRF token; a foreign CSRF token gets 403; the invoice copy downloads.

Usage: portal_browser.py --duegate BUILD/duegate --fixtures DIR [--store sqlite|postgresql]
Exit 77 (skipped) when chromium, chromedriver or selenium is missing, or for PostgreSQL without
DUEGATE_TEST_PG_URL. A failed check saves a screenshot (path printed).
"""
import argparse, datetime, email, email.policy, glob, os, re, shutil, sys, tempfile, time, urllib.parse
import urllib.request, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import *  # noqa: E402,F401

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def browser(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + profile, "--window-size=360,740", "--lang=en-GB"):
        o.add_argument(a)
    # A phone: headless windows are at least 500 px wide, so the 360x740 viewport is emulated.
    o.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}})
    o.binary_location = CHROMIUM
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=o)


def outbox_mails(outbox):
    out = []
    for p in sorted(glob.glob(os.path.join(outbox, "*.eml"))):
        m = email.message_from_bytes(open(p, "rb").read(), policy=email.policy.default)
        body = m.get_body(preferencelist=("plain",))
        out.append((str(m["To"]), str(m["Subject"]), body.get_content() if body else ""))
    return out


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def no_redirect():
    return urllib.request.build_opener(NoRedirect)


def post_multipart(url, fields, filename, data):
    boundary = uuid.uuid4().hex
    body = b""
    for k, v in fields.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
    body += ("--%s\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"%s\"\r\n"
             "Content-Type: application/pdf\r\n\r\n" % (boundary, filename)).encode() + data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
    try:
        with no_redirect().open(req, timeout=10) as r:
            return r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")


def redirect_of(url, fields):
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with no_redirect().open(req, timeout=10) as r:
            return r.status, r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", "")


def csrf_of(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    return m.group(1) if m else ""


def login(driver, w, address):
    from selenium.webdriver.common.by import By
    driver.delete_all_cookies()
    driver.get(w.base + "/login")
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.ID, "password").send_keys("correct horse battery")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(lambda: not driver.current_url.endswith("/login"), 10)


def with_session(driver, url):
    """GET url with the browser's cookies (downloads are read over urllib, not saved by Chromium)."""
    cookie = "; ".join("%s=%s" % (c["name"], c["value"]) for c in driver.get_cookies())
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def creditor_journey(driver, w):
    import io, zipfile, hashlib
    from selenium.webdriver.common.by import By
    login(driver, w, "els@voorbeeld.example")
    driver.get(w.base + "/dashboard")
    check(len(driver.find_elements(By.CSS_SELECTOR, "svg.bars")) == 2, "the creditor reads the dashboard with its charts")
    driver.get(w.base + "/")
    box = driver.find_element(By.ID, "q")
    box.send_keys("de hoek")
    box.submit()
    links = driver.find_elements(By.CSS_SELECTOR, "a[href^='/dossiers/']")
    check(len(links) == 1, "the creditor searches and finds the dossier", driver.page_source[:1500])
    links[0].click()
    check("Vaten lekten." in driver.page_source and "F2026-0042" in driver.page_source,
          "the creditor opens the dossier with the debtor's dispute")
    href = driver.find_element(By.ID, "legal-file").get_attribute("href")
    status, ctype, data = with_session(driver, href)
    names = []
    ok = False
    if status == 200 and ctype == "application/zip":
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
        manifest = z.read("manifest.sha256").decode()
        ok = all(hashlib.sha256(z.read(n)).hexdigest() + "  " + n in manifest for n in names if n != "manifest.sha256")
        ok = ok and any(n.startswith("messages/") and n.endswith(".eml") for n in names)
        ok = ok and any(n.startswith("documents/") and n.endswith("proof.pdf") for n in names)
    check(ok, "the creditor downloads the legal file: documents, messages, manifest with sha256", names)
    driver.get(w.base + "/tasks")
    check("403" in driver.title or "Interdit" in driver.page_source or "Forbidden" in driver.page_source,
          "the creditor cannot open the case managers' task list")


def staff_journey(driver, w):
    from selenium.webdriver.common.by import By
    login(driver, w, "case@agency.example")
    driver.get(w.base + "/tasks")
    rows = driver.find_elements(By.CSS_SELECTOR, "tr.task")
    check(len(rows) >= 1 and "Dispute" in driver.page_source, "the case manager sees the dispute task", len(rows))
    driver.find_element(By.CSS_SELECTOR, "tr.task a[href^='/dossiers/']").click()
    driver.find_element(By.CSS_SELECTOR, "#call summary").click()
    driver.find_element(By.ID, "call-subject").send_keys("Called Els about the leaking barrels")
    driver.find_element(By.ID, "call-outcome").send_keys("Credit note for one barrel; rest will be paid.")
    driver.find_element(By.ID, "call-next").send_keys("Wait for the credit note")
    driver.find_element(By.CSS_SELECTOR, "#call button[type=submit]").click()
    wait_for(lambda: "ok=call" in driver.current_url, 10)
    status = driver.find_elements(By.CSS_SELECTOR, "[role=status]")
    check(bool(status) and "call_logged" in driver.page_source and "Called Els" in driver.page_source,
          "the case manager logs a call; it is on the timeline and the task is closed", driver.current_url)
    driver.get(w.base + "/tasks")
    check(len(driver.find_elements(By.CSS_SELECTOR, "tr.task")) == len(rows) - 1, "the worked task left the list")


def camt_statement(iban, entries, day):
    """A CAMT.053 built in the test: entries are (cents, payer name, payer IBAN, remittance text)."""
    def amt(c):
        return "%d.%02d" % (c // 100, c % 100)
    total = sum(e[0] for e in entries)
    x = ['<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>',
         '<GrpHdr><MsgId>BROWSER-%s</MsgId><CreDtTm>%sT18:00:00</CreDtTm></GrpHdr>' % (day, day),
         '<Stmt><Id>BROWSER-%s</Id><CreDtTm>%sT18:00:00</CreDtTm><Acct><Id><IBAN>%s</IBAN></Id><Ccy>EUR</Ccy></Acct>'
         % (day, day, iban),
         '<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
         '<Dt><Dt>%s</Dt></Dt></Bal>' % day,
         '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
         '<Dt><Dt>%s</Dt></Dt></Bal>' % (amt(total), day)]
    for cents, name, payer, text in entries:
        x.append('<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>%s</Dt>'
                 '</BookgDt><ValDt><Dt>%s</Dt></ValDt><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr>'
                 '<DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>%s</Ustrd></RmtInf>'
                 '</TxDtls></NtryDtls></Ntry>' % (amt(cents), day, day, name, payer, text))
    x.append('</Stmt></BkToCstmrStmt></Document>')
    return "".join(x)


def finance_journey(driver, w, creditor, work):
    """Issue 9, item 5: the creditor's finance user uploads a CAMT built here, confirms the suggested
    line, matches the other by hand via the dossier search, and sees the dossier paid."""
    from selenium.webdriver.common.by import By
    _, dossier = w.api("/api/v1/dossiers/1", creditor["api_key"])
    open_text = dossier.get("open_amount", "0") if isinstance(dossier, dict) else "0"
    whole, _, frac = open_text.partition(".")
    open_cents = int(whole) * 100 + int((frac + "00")[:2])
    check(open_cents > 23450, "the dossier has an amount open before the payments", open_text)
    first, rest = 23450, open_cents - 23450
    day = datetime.datetime.utcnow().date().isoformat()
    path = os.path.join(work, "statement-%s.xml" % day)
    with open(path, "w") as f:
        f.write(camt_statement("BE68539007547034", [(first, "Cafe De Hoek BV", "BE71096123456769", "factuur"),
                                                    (rest, "J. Janssens", "BE43068999999501", "betaling")], day))

    driver.get_log("browser")  # drain: the earlier journeys' 403 on /tasks is theirs
    login(driver, w, "els@voorbeeld.example")
    driver.get(w.base + "/")
    driver.find_element(By.CSS_SELECTOR, "header a[href='/payments']").click()
    wait_for(lambda: "/payments" in driver.current_url, 10)
    driver.find_element(By.ID, "upload-link").click()
    driver.find_element(By.ID, "statement-file").send_keys(path)
    driver.find_element(By.ID, "upload-button").click()
    wait_for(lambda: driver.find_elements(By.ID, "result"), 20)
    added = driver.find_elements(By.ID, "up-added")
    check(bool(added) and added[0].text == "2" and driver.find_element(By.ID, "up-suggested").text == "1",
          "the finance user uploads the statement: 2 lines added, 1 suggested", driver.page_source[:2000])

    driver.get(w.base + "/payments")
    confirm = driver.find_elements(By.CSS_SELECTOR, "form.suggestion button.confirm")
    check(len(confirm) == 1 and "Cafe De Hoek BV" in driver.page_source,
          "the queue shows the suggested line with its dossier", driver.page_source[:2000])
    if confirm:
        confirm[0].click()
        wait_for(lambda: "ok=confirmed" in driver.current_url, 10)
    check("ok=confirmed" in driver.current_url and driver.find_elements(By.CSS_SELECTOR, "[role=status]"),
          "confirming the suggestion comes back (303) to the line with the result", driver.current_url)

    driver.get(w.base + "/payments?state=unmatched")
    work_links = driver.find_elements(By.CSS_SELECTOR, "tr.line td a[href^='/payments/']")
    check(bool(work_links), "the unmatched line is in the queue", driver.page_source[:2000])
    if not work_links:
        return
    work_links[0].click()
    box = driver.find_element(By.ID, "dossier-q")
    box.send_keys("F2026-0042")
    driver.find_element(By.ID, "search-button").click()
    amounts = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "input[id^='amount-']"), 10) or []
    check(len(amounts) == 1, "the dossier search finds the dossier by its invoice number", driver.page_source[:2000])
    if not amounts:
        return
    # Too much first: refused with a clear message, nothing applied.
    amounts[0].send_keys("%d.%02d" % ((rest + 100) // 100, (rest + 100) % 100))
    driver.find_element(By.ID, "match-button").click()
    wait_for(lambda: "error=" in driver.current_url, 10)
    alert = driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
    check(bool(alert) and alert[0].text.strip() != "", "more than the line or the open amount is refused with a message",
          driver.current_url)
    _, unchanged = w.api("/api/v1/dossiers/1", creditor["api_key"])
    check(isinstance(unchanged, dict) and unchanged.get("status") != "paid", "the refused match applied nothing", unchanged)
    driver.find_element(By.ID, "dossier-q").send_keys("F2026-0042")
    driver.find_element(By.ID, "search-button").click()
    amounts = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "input[id^='amount-']"), 10) or []
    if amounts:
        amounts[0].send_keys("%d,%02d" % (rest // 100, rest % 100))
        driver.find_element(By.ID, "match-button").click()
        wait_for(lambda: "ok=matched" in driver.current_url, 10)
    check("ok=matched" in driver.current_url, "matching by hand via the search comes back with the result",
          driver.current_url)
    _, dossier = w.api("/api/v1/dossiers/1", creditor["api_key"])
    check(isinstance(dossier, dict) and dossier.get("status") == "paid" and dossier.get("open_amount") == "0.00",
          "the dossier is paid after the two payments", dossier)
    driver.get(w.base + "/dossiers/1")
    check(driver.find_element(By.ID, "status").text in ("Paid", "Betaald", "Payé")
          and driver.find_elements(By.CSS_SELECTOR, "#payments a"),
          "the dossier page shows it paid and links to its payments", driver.find_element(By.ID, "status").text)
    driver.find_element(By.CSS_SELECTOR, "#payments a").click()
    check(len(driver.find_elements(By.CSS_SELECTOR, "tr.line")) == 2, "the dossier's payments are both lines",
          driver.page_source[:1500])
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    check(not errors, "no console errors on the finance pages", errors)
def second_dossier(w, outbox, ubl):
    """A second invoice of the same debtor makes dossier 2 (the finance journey has paid dossier 1);
    returns the personal link of its notice, or None."""
    w.send_mail(invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                             "Factuur F2026-0077", "<f2026-0077-browser@voorbeeld.example>",
                             ubl.replace(b"F2026-0042", b"F2026-0077")))
    notice = wait_for(lambda: [m for m in outbox_mails(outbox) if m[0] == "els@dehoek.example" and "F2026-0077" in m[2]
                               and re.search(r"/d/\S+", m[2])], 30)
    check(bool(notice), "a second invoice makes a second dossier with its notice", [m[:2] for m in outbox_mails(outbox)])
    if not notice:
        return None
    found = re.search(r"(%s/d/\S+)" % re.escape(w.base), notice[0][2])
    return found.group(1) if found else None


def staff_decisions(driver, w, link, outbox, dossier_id):
    """The case manager assigns the dossier, writes to the debtor and closes it; the link then says closed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    login(driver, w, "case@agency.example")
    driver.get(w.base + "/dossiers/%d" % dossier_id)
    Select(driver.find_element(By.ID, "assign-user")).select_by_visible_text("Casey Manager (case@agency.example)")
    driver.find_element(By.ID, "assign-button").click()
    wait_for(lambda: "ok=assigned" in driver.current_url, 10)
    check("Casey Manager" in driver.find_element(By.ID, "case-manager").text and "dossier_assigned" in driver.page_source,
          "the case manager assigns the dossier to themselves", driver.current_url)
    driver.find_element(By.CSS_SELECTOR, "#write summary").click()
    driver.find_element(By.ID, "write-to-debtor").click()
    driver.find_element(By.ID, "write-subject").send_keys("Your credit note")
    driver.find_element(By.ID, "write-body").send_keys("Dear Els, the credit note for one barrel is on its way.")
    driver.find_element(By.ID, "write-button").click()
    wait_for(lambda: "ok=message" in driver.current_url, 10)
    check("message_written" in driver.page_source and "the credit note for one barrel is on its way" in driver.page_source,
          "the message to the debtor is on the timeline with its text", driver.current_url)
    mail = wait_for(lambda: [m for m in outbox_mails(outbox) if m[1] == "Your credit note"], 30)
    check(bool(mail) and mail[0][0] == "els@dehoek.example" and "one barrel is on its way" in mail[0][2],
          "the message goes out through the outbox to the debtor", [m[:2] for m in outbox_mails(outbox)])
    driver.find_element(By.CSS_SELECTOR, "#close summary").click()
    Select(driver.find_element(By.ID, "close-outcome")).select_by_value("written_off")
    driver.find_element(By.ID, "close-reason").send_keys("Settled with a credit note; rest written off")
    driver.find_element(By.ID, "close-button").click()
    wait_for(lambda: "ok=dossier_closed" in driver.current_url, 10)
    check(driver.find_element(By.ID, "status").text == "Closed" and "dossier_closed" in driver.page_source,
          "the case manager closes the dossier (written off)", driver.find_element(By.ID, "status").text)
    driver.delete_all_cookies()
    driver.get(link)
    check(len(driver.find_elements(By.ID, "dossier-closed")) == 1 and not driver.find_elements(By.ID, "promise-submit"),
          "the debtor's link now shows the dossier closed, without the answers", driver.page_source[:800])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duegate", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    skip = pg_skip(args.store)
    if skip:
        return skip
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("python3-selenium missing: skipped")
        return 77
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        print("chromium or chromium-driver missing: skipped")
        return 77
    ubl = open(os.path.join(args.fixtures, "intake", "peppol-invoice-F2026-0042.xml"), "rb").read()

    w = World(args.duegate, args.store, capture=False, prefix="duegate-browser-")
    outbox = os.path.join(w.work, "var", "outbox")
    shots = tempfile.mkdtemp(prefix="duegate-browser-shots-")
    profile = tempfile.mkdtemp(prefix="duegate-chromium-")
    driver = None
    try:
        check(w.cli("migrate").returncode == 0, "duegate migrate")
        creditor = w.add_creditor("Brouwerij Voorbeeld", "invoices@voorbeeld.in.test", "--email", "boekhouding@voorbeeld.example",
                       "--iban", "BE68 5390 0754 7034", "--bic", "GKCCBEBB")
        w.start_serve()
        w.send_mail(invoice_mail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.test",
                                 "Factuur F2026-0042", "<f2026-0042-browser@voorbeeld.example>", ubl))
        notice = wait_for(lambda: [m for m in outbox_mails(outbox) if m[0] == "els@dehoek.example"], 30)
        check(bool(notice), "the payment notice is written into the outbox folder", outbox_mails(outbox))
        if not notice:
            return finish("portal_browser")
        found = re.search(r"(%s/d/\S+)" % re.escape(w.base), notice[0][2])
        check(found is not None, "the notice carries the personal link", notice[0][2])
        link = found.group(1)
        token = link.rsplit("/", 1)[1]

        driver = browser(profile)
        driver.set_page_load_timeout(20)
        try:
            from selenium.webdriver.common.by import By
            from selenium.webdriver.common.keys import Keys
            driver.get(link)
            check("F2026-0042" in driver.page_source, "the debtor opens the link from the notice in Chromium")
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            check(inner <= 360 and width <= inner, "the page fits a 360 px phone without sideways scrolling",
                  (width, inner))
            check(driver.find_element(By.ID, "iban").text == "BE68539007547034", "the page shows the payee IBAN")
            check("+++" in driver.find_element(By.ID, "reference").text, "the page shows the structured reference")
            check(len(driver.find_elements(By.CSS_SELECTOR, ".qr svg")) == 1, "the page shows the EPC QR code")
            # Keyboard: the first Tab reaches the skip link.
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
            check(driver.switch_to.active_element.get_attribute("class") == "skip", "the first Tab focuses 'skip to content'")

            driver.find_element(By.CSS_SELECTOR, "a[hreflang=fr]").click()
            check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr",
                  "the debtor switches to French")
            check("Demande de paiement" in driver.find_element(By.TAG_NAME, "h1").text, "the heading is French")

            promised = (datetime.datetime.utcnow().date() + datetime.timedelta(days=7)).isoformat()
            date_input = driver.find_element(By.ID, "promise-date")
            driver.execute_script("arguments[0].value = arguments[1]", date_input, promised)
            driver.find_element(By.ID, "promise-submit").send_keys(Keys.ENTER)  # the keyboard submits
            wait_for(lambda: "ok=ok_promise" in driver.current_url, 10)
            check("ok=ok_promise" in driver.current_url, "the promise posts and comes back (303) to the page",
                  driver.current_url)
            status = driver.find_elements(By.CSS_SELECTOR, "[role=status]")
            check(bool(status) and promised in status[0].text and "Votre promesse" in status[0].text,
                  "the page confirms the promise in French", status[0].text if status else driver.page_source[:1500])
            check(driver.find_element(By.ID, "status").text == "Paiement promis", "the dossier shows 'promised'")
            fr_date = "/".join(reversed(promised.split("-")))  # 2026-12-06 -> 06/12/2026
            mail = wait_for(lambda: [m for m in outbox_mails(outbox) if "Confirmation : vous payez" in m[1]], 20)
            check(bool(mail) and fr_date in mail[0][1] and mail[0][0] == "els@dehoek.example",
                  "a French confirmation mail is queued and written to the outbox", outbox_mails(outbox))

            driver.find_element(By.ID, "accept-submit").click()
            wait_for(lambda: "ok=ok_accept" in driver.current_url, 10)
            check(len(driver.find_elements(By.ID, "accepted")) == 1, "accepting the invoice is confirmed on the page")
            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            check(not errors, "no console errors (no CSP violation, no missing resource)", errors)
        except Exception as e:  # a crash of the browser part is a failed check with a screenshot
            check(False, "browser journey ran to the end", repr(e))

        # The other answers over plain HTTP with the page's CSRF token.
        status, page = fetch(link)
        csrf = csrf_of(page)
        check(status == 200 and len(csrf) == 32, "the page carries the link's CSRF token")
        check("lang=\"fr\"" in page, "the French choice is remembered without ?lang=")
        s, loc = redirect_of(link + "/contact", {"csrf": csrf, "phone": "+32 470 99 88 77", "postcode": "9000",
                                                "country": "BE"})
        check(s == 303 and loc.endswith("?ok=ok_contact"), "contact details update (303 ok_contact)", (s, loc))
        s, loc = redirect_of(link + "/contact", {"csrf": csrf, "phone": "12"})
        check(s == 303 and "error=err_phone" in loc, "a bad phone number is refused", (s, loc))
        s, loc = redirect_of(link + "/paid", {"csrf": csrf, "date": datetime.datetime.utcnow().date().isoformat(),
                                             "amount": "100,00"})
        check(s == 303 and loc.endswith("?ok=ok_paid"), "'I paid on' is recorded", (s, loc))
        s, loc = post_multipart(link + "/dispute", {"csrf": csrf, "reason": "quality", "message": "Vaten lekten."},
                                "../proof.pdf", b"%PDF-1.4\n%%EOF\n")
        check(s == 303 and loc.endswith("?ok=ok_dispute"), "a dispute with a PDF attachment is recorded", (s, loc))
        s, loc = redirect_of(link + "/promise", {"csrf": "0" * 32, "date": "2030-01-01"})
        check(s == 403, "a wrong CSRF token gets 403", s)
        status, page = fetch(link)
        check("Contesté" in page and "id=\"dispute-open\"" in page, "the page shows the dispute under review")
        status, copy = fetch(link + "/invoice")
        check(status == 200 and "F2026-0042" in copy, "the invoice copy (rendering of the UBL) opens", copy[:500])
        status, _ = fetch(w.base + "/d/" + token[:-2] + "xx")
        check(status == 404, "a tampered token gets 404")
        status, events = w.api("/api/v1/dossiers/1/events", creditor["api_key"])
        kinds = [e["kind"] for e in events.get("events", [])] if isinstance(events, dict) else []
        for k in ("link_opened", "promise_recorded", "invoice_accepted", "contact_updated", "paid_reported",
                  "dispute_opened"):
            check(k in kinds, "the timeline has " + k, kinds)

        # The creditor and the case manager in the browser (phone viewport too).
        r = w.cli("user", "add", "--email", "els@voorbeeld.example", "--creditor", str(creditor["id"]), "--name",
                  "Els Voorbeeld", stdin="correct horse battery\n")
        check(r.returncode == 0, "a creditor user is added", r.stderr)
        r = w.cli("user", "add", "--email", "case@agency.example", "--staff", "--name", "Casey Manager",
                  stdin="correct horse battery\n")
        check(r.returncode == 0, "a case manager is added", r.stderr)
        if driver is not None:
            try:
                creditor_journey(driver, w)
                staff_journey(driver, w)
                finance_journey(driver, w, creditor, w.work)
                link2 = second_dossier(w, outbox, ubl)
                if link2:
                    staff_decisions(driver, w, link2, outbox, 2)
            except Exception as e:  # noqa: BLE001
                check(False, "creditor and staff journeys ran to the end", repr(e))
    finally:
        if FAILED and driver is not None:
            shot = os.path.join(shots, "failure.png")
            try:
                driver.save_screenshot(shot)
                print("screenshot of the failure: " + shot)
            except Exception as e:  # noqa: BLE001
                print("no screenshot: %r" % e)
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        if not FAILED:
            shutil.rmtree(shots, ignore_errors=True)
        w.close()
    return finish("portal_browser")


if __name__ == "__main__":
    sys.exit(main())
