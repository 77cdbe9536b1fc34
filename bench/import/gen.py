#!/usr/bin/python3
"""Data for bench/import/run.sh: a CAMT.053 file of N entries on the agency's account, the open
dossiers some of its lines pay, and the same lines as CSV for the raw bulk-insert floor.

Usage: gen.py OUTDIR ENTRIES PAID_FRACTION
  OUTDIR/bench.camt.xml   N entries in statements of 2,000: 90 % credits, 10 % debits; a
                          PAID_FRACTION of the entries pays one open dossier each by its OGM (exact
                          amount), the other credits carry OGMs no dossier has, or free text
  OUTDIR/dossiers.csv     id,creditor_id,debtor_id,reference,status,currency,open_minor,ogm,created_at,
                          updated_at,payee_iban,payment_reference (the dossiers those lines pay)
  OUTDIR/debtors.csv      id,creditor_id,match_key,name,email,kind,created_at (every debtor has an
                          e-mail address, so each booked match queues the debtor's thank-you)
  OUTDIR/reminders.csv    a planned reminder in the outbox for every 10th dossier, which paying it
                          cancels: id,creditor_id,dossier_id,dedupe_key,channel,purpose,recipient,
                          subject,body,state,attempts,next_attempt_at,created_at,updated_at
  OUTDIR/lines.csv        the statement_lines rows the import will store (floor input)
"""
import os, random, sys

AGENCY = "BE62539007540061"
out, n, paid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rnd = random.Random(9)
os.makedirs(out, exist_ok=True)


def iban(n):
    """A valid Belgian IBAN for account number n (bank check mod 97, IBAN check digits)."""
    acct = "%010d" % (n % 10**10)
    bban = acct + "%02d" % (int(acct) % 97 or 97)
    return "BE%02d%s" % (98 - int(bban + "111400") % 97, bban)


# Who pays: a debtor pays from an account of its own (the same one each time), any other line comes
# from one of 50,000 other accounts. (Until 2026-11-29 every entry came from one IBAN, which no
# statement looks like and which made the matcher's payer_iban rule scan every earlier payment.)
ibans = random.Random(53)


def ogm(base):
    c = base % 97 or 97
    d = "%010d%02d" % (base, c)
    return d, "+++%s/%s/%s+++" % (d[:3], d[3:7], d[7:])


NAMES = ["Brasserie De Klok BV", "Cafe Zenith SRL", "Immo Verhuur NV", "Jan Peeters", "Drukkerij Janssens",
         "Sportclub Zuid vzw", "De Vries en Zonen", "Bakkerij Het Gouden Korenaar"]
NOW = "2026-01-05T09:00:00.000000Z"
npaid = int(n * paid)
paid_at = set(rnd.sample(range(n), npaid))
debtors = 1000
with open(os.path.join(out, "debtors.csv"), "w") as f:
    for i in range(1, debtors + 1):
        f.write("%d,1,name:Debtor %d,Debtor %d,debtor%d@example.test,business,%s\n" % (i, i, i, i, NOW))
dos = open(os.path.join(out, "dossiers.csv"), "w")
rem = open(os.path.join(out, "reminders.csv"), "w")
lines = open(os.path.join(out, "lines.csv"), "w")
with open(os.path.join(out, "bench.camt.xml"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">'
            '<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-01-05T18:00:00</CreDtTm></GrpHdr>\n')
    k, stmt, dossier, balance = 0, 0, 0, 0
    while k < n:
        stmt += 1
        body, opening = [], balance
        for i in range(min(2000, n - k)):
            amt = rnd.randint(100, 10**6)
            credit = rnd.random() < 0.9 or k in paid_at
            name = NAMES[rnd.randrange(len(NAMES))]
            if k in paid_at:
                dossier += 1
                digits, ref = ogm(2000000000 + dossier)
                dos.write("%d,1,%d,D2026-%07d,active,EUR,%d,%s,%s,%s,%s,%s\n"
                          % (dossier, 1 + dossier % debtors, dossier, amt, digits, NOW, NOW, AGENCY, ref))
                if dossier % 10 == 0:
                    rem.write("%d,1,%d,reminder:%d,email,reminder,debtor%d@example.test,Reminder,Please pay,planned,0,"
                              "2026-01-06T09:00:00.000000Z,%s,%s\n" % (dossier // 10, dossier, dossier,
                                                                      1 + dossier % debtors, NOW, NOW))
                rmt = ('<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>%s</Ref></CdtrRefInf></Strd>' % ref)
            elif credit and rnd.random() < 0.7:
                digits, ref = ogm(3000000000 + rnd.randrange(10**8))
                rmt = ('<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>%s</Ref></CdtrRefInf></Strd>' % ref)
            else:
                ref = ""
                rmt = "<Ustrd>order %d thank you</Ustrd>" % rnd.randrange(10**6)
            balance += amt if credit else -amt
            svcr = "%d-%d" % (stmt, i)
            payer = iban(7000000000 + 1 + dossier % debtors) if k in paid_at else iban(8000000000 + ibans.randrange(50000))
            party = ('<Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>' if credit else
                     '<Cdtr><Pty><Nm>%s</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct>') % (name, payer)
            body.append('<Ntry><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>%s</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                        '<BookgDt><Dt>2026-01-05</Dt></BookgDt><ValDt><Dt>2026-01-05</Dt></ValDt><AcctSvcrRef>%s</AcctSvcrRef>'
                        '<NtryDtls><TxDtls><Refs><EndToEndId>E2E-%d</EndToEndId></Refs><RltdPties>%s</RltdPties>'
                        '<RmtInf>%s</RmtInf></TxDtls></NtryDtls></Ntry>\n'
                        % (amt // 100, amt % 100, "CRDT" if credit else "DBIT", svcr, k, party, rmt))
            lines.write("%d,agency,,%s,ref:%s:EUR:%de2,2026-01-05,2026-01-05,%d,EUR,2,%s,%s,,%s,\"%s\",\"%s\",%s,E2E-%d,0,,%s\n"
                        % (stmt, AGENCY, svcr, amt if credit else -amt, amt if credit else -amt, name, payer,
                           "ogm" if ref else "", ref, "" if ref else "order", svcr, k, NOW))
            k += 1

        def bal(code, x, day):
            return ('<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>%s</CdtDbtInd>'
                    '<Dt><Dt>%s</Dt></Dt></Bal>' % (code, abs(x) // 100, abs(x) % 100, "CRDT" if x >= 0 else "DBIT", day))
        f.write('<Stmt><Id>BENCH-%d</Id><ElctrncSeqNb>%d</ElctrncSeqNb><CreDtTm>2026-01-05T18:00:00</CreDtTm>'
                '<Acct><Id><IBAN>%s</IBAN></Id><Ccy>EUR</Ccy></Acct>%s%s\n' % (stmt, stmt, AGENCY, bal("PRCD", opening, "2026-01-04"),
                                                                           bal("CLBD", balance, "2026-01-05")))
        f.write("".join(body))
        f.write("</Stmt>\n")
    f.write("</BkToCstmrStmt></Document>\n")
dos.close()
rem.close()
lines.close()
print("entries=%d statements=%d dossiers=%d" % (n, stmt, dossier))
