#!/usr/bin/python3
"""Generates the bank-parser benchmark inputs, deterministic (seeded), balances consistent:
   bench.camt.xml (CAMT.053.001.08, ~MB_CAMT MB), bench.cod (CODA 2, ~MB_CODA MB),
   bench.sta (MT940, ~MB_MT940 MB). Usage: gen.py OUTDIR [camt_mb coda_mb mt940_mb]."""
import os, random, sys

out = sys.argv[1]
camt_mb, coda_mb, mt_mb = (int(x) for x in (sys.argv[2:5] if len(sys.argv) >= 5 else (200, 100, 100)))
rnd = random.Random(20251121)
os.makedirs(out, exist_ok=True)

def v(s): return int(''.join(str(int(c, 36)) for c in s))
def be_iban(n):
    bban10 = '%010d' % n
    bban = bban10 + '%02d' % (int(bban10) % 97 or 97)
    return 'BE%02d%s' % (98 - v(bban + 'BE00') % 97, bban)
def ogm(n):
    b = '%010d' % n
    return b + '%02d' % (int(b) % 97 or 97)
NAMES = ['Brasserie De Klok BV', 'Café Zénith SRL', 'Immo Verhuur NV', 'Jan Peeters', 'Drukkerij Janssens',
         'Sportclub Zuid vzw', 'De Vries & Zonen', 'Bakkerij Het Gouden Korenaar']

def camt(path, target):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n<BkToCstmrStmt>\n'
                '<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2025-11-21T18:00:00</CreDtTm></GrpHdr>\n')
        size, stmt, entries = 0, 0, 0
        while size < target:
            stmt += 1
            opening = rnd.randint(0, 10**8)
            body, bal = [], opening
            for i in range(2000):
                amt = rnd.randint(1, 10**6)
                credit = rnd.random() < 0.6
                bal += amt if credit else -amt
                n = rnd.randint(0, 10**9)
                name = NAMES[n % len(NAMES)].replace('&', '&amp;')
                party = ('<Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>' if credit else
                         '<Cdtr><Pty><Nm>%s</Nm></Pty></Cdtr><CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct>') % (name, be_iban(n))
                body.append(
                    '<Ntry><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>%s</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
                    '<BookgDt><Dt>2025-11-21</Dt></BookgDt><ValDt><Dt>2025-11-21</Dt></ValDt><AcctSvcrRef>%d-%d</AcctSvcrRef>'
                    '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>%s</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>'
                    '<NtryDtls><TxDtls><Refs><EndToEndId>E2E-%d</EndToEndId></Refs><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>%s</CdtDbtInd>'
                    '<RltdPties>%s</RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>'
                    '<Ref>%s</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>\n'
                    % (amt // 100, amt % 100, 'CRDT' if credit else 'DBIT', stmt, i, 'RCDT' if credit else 'ICDT', n,
                       amt // 100, amt % 100, 'CRDT' if credit else 'DBIT', party, ogm(n)))
            entries += len(body)
            def b(code, x):
                return ('<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%d.%02d</Amt><CdtDbtInd>%s</CdtDbtInd>'
                        '<Dt><Dt>2025-11-21</Dt></Dt></Bal>\n' % (code, abs(x) // 100, abs(x) % 100, 'CRDT' if x >= 0 else 'DBIT'))
            chunk = ('<Stmt><Id>BENCH-%d</Id><ElctrncSeqNb>%d</ElctrncSeqNb><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>\n'
                     % (stmt, stmt)) + b('OPBD', opening) + b('CLBD', bal) + ''.join(body) + '</Stmt>\n'
            f.write(chunk)
            size += len(chunk.encode('utf-8'))
        f.write('</BkToCstmrStmt>\n</Document>\n')
    return entries

def rec(*fields):
    line = [' '] * 128
    for pos, text in fields:
        line[pos - 1:pos - 1 + len(text)] = text
    return ''.join(line[:128])

def coda(path, target):
    amt = lambda x: '%015d' % (abs(x) * 10)
    sign = lambda x: '1' if x < 0 else '0'
    size, moves, stmt = 0, 0, 0
    with open(path, 'w', encoding='latin-1', newline='') as f:
        while size < target:
            stmt += 1
            opening = rnd.randint(0, 10**8)
            recs = [rec((1, '00000'), (6, '211125'), (12, '539'), (15, '05'), (35, 'DUEGATE BENCH'), (61, 'BBRUBEBB'), (128, '2')),
                    rec((1, '12'), (3, '%03d' % (stmt % 1000)), (6, 'BE68539007547034'), (40, 'EUR'), (43, sign(opening)), (44, amt(opening)),
                        (59, '201125'), (65, 'DUEGATE BENCH'), (126, '%03d' % (stmt % 1000)))]
            bal, debit, credit = opening, 0, 0
            for i in range(1, 2001):
                a = rnd.randint(1, 10**6) * (1 if rnd.random() < 0.6 else -1)
                bal += a
                if a < 0: debit -= a
                else: credit += a
                n = rnd.randint(0, 10**9)
                seq = '%04d' % i
                recs.append(rec((1, '21'), (3, seq), (7, '0000'), (11, 'REF%018d' % n), (32, sign(a)), (33, amt(a)), (48, '211125'),
                                (54, '00150000'), (62, '1'), (63, '101' + ogm(n)), (116, '211125'), (122, '045'), (125, '0'), (126, '1'), (128, '0')))
                recs.append(rec((1, '22'), (3, seq), (7, '0000'), (64, 'E2E-%d' % n), (99, 'GEBABEBB'), (126, '1')))
                recs.append(rec((1, '23'), (3, seq), (7, '0000'), (11, be_iban(n) + '                  EUR'), (48, NAMES[n % len(NAMES)]), (126, '0'), (128, '0')))
            recs.append(rec((1, '8'), (2, '%03d' % (stmt % 1000)), (5, 'BE68539007547034'), (40, 'EUR'), (42, sign(bal)), (43, amt(bal)), (58, '211125')))
            recs.append(rec((1, '9'), (17, '%06d' % (len(recs) - 1)), (23, amt(debit)), (38, amt(credit)), (128, '2')))
            text = '\n'.join(recs) + '\n'
            f.write(text)
            size += len(text)
            moves += 2000
    return moves

def mt940(path, target):
    size, entries, stmt = 0, 0, 0
    money = lambda x: '%d,%02d' % (abs(x) // 100, abs(x) % 100)
    with open(path, 'w', encoding='ascii', newline='') as f:
        while size < target:
            stmt += 1
            opening = rnd.randint(0, 10**8)
            lines = [':20:BENCH%d' % stmt, ':25:NL91ABNA0417164300', ':28C:%05d/1' % stmt,
                     ':60F:%s251120EUR%s' % ('C' if opening >= 0 else 'D', money(opening))]
            bal = opening
            for i in range(2000):
                a = rnd.randint(1, 10**6) * (1 if rnd.random() < 0.6 else -1)
                bal += a
                n = rnd.randint(0, 10**9)
                lines.append(':61:2511211121%s%sNTRFE2E%d//B%d' % ('C' if a > 0 else 'D', money(a), n % 10**8, n))
                lines.append(':86:/EREF/E2E-%d/IBAN/%s/BIC/GEBABEBB/NAME/%s/REMI/USTD//Factuur %d' % (n, be_iban(n), NAMES[n % 8].replace('é', 'e'), n))
                lines.append(' betaling +++%s/%s/%s+++/' % (ogm(n)[:3], ogm(n)[3:7], ogm(n)[7:]))
            lines.append(':62F:%s251121EUR%s' % ('C' if bal >= 0 else 'D', money(bal)))
            lines.append('-')
            text = '\r\n'.join(lines) + '\r\n'
            f.write(text)
            size += len(text)
            entries += 2000
    return entries

which = set(sys.argv[5:]) or {'camt', 'coda', 'mt940'}
if 'camt' in which: print('camt entries', camt(os.path.join(out, 'bench.camt.xml'), camt_mb << 20))
if 'coda' in which: print('coda movements', coda(os.path.join(out, 'bench.cod'), coda_mb << 20))
if 'mt940' in which: print('mt940 entries', mt940(os.path.join(out, 'bench.sta'), mt_mb << 20))
