#!/usr/bin/python3
"""Peer: a plain Python CODA reader that slices the fixed columns of each record, as in-house
import scripts do: statement balances (records 1 and 8, with the balance check), and per movement
the fields duegate also extracts from 2.1 (bank reference, sign, amount, value date, transaction
code, communication, entry date), 2.2 (communication, customer reference, BIC) and 2.3
(counterparty account and name). No IBAN/OGM validation, no charset handling."""
import sys, time
t0 = time.time()
n, total, statements = 0, 0, 0
entries = []
with open(sys.argv[1], encoding='latin-1') as f:
    for line in f:
        t = line[0]
        if t == '2':
            art = line[1]
            if art == '1':
                amount = int(line[32:47]) // 10
                if line[31] == '1':
                    amount = -amount
                m = {'seq': line[2:6], 'detail': line[6:10], 'bank_ref': line[10:31].strip(), 'amount': amount,
                     'value_date': line[47:53], 'code': line[53:61], 'structured': line[61] == '1',
                     'comm': line[62:115], 'entry_date': line[115:121]}
                entries.append(m)
                if m['detail'] == '0000':
                    total += amount
                n += 1
            elif art == '2':
                m = entries[-1]
                m['comm'] += line[10:63]
                m['e2e'] = line[63:98].strip()
                m['bic'] = line[98:109].strip()
            elif art == '3':
                m = entries[-1]
                m['account'] = line[10:47].strip()
                m['name'] = line[47:82].strip()
                m['comm'] = (m['comm'] + line[82:125]).rstrip()
        elif t == '1':
            opening = int(line[43:58]) // 10 * (-1 if line[42] == '1' else 1)
            total = 0
            entries = []  # one statement at a time, like the streaming reader
        elif t == '8':
            closing = int(line[42:57]) // 10 * (-1 if line[41] == '1' else 1)
            if opening + total != closing:
                sys.exit('balance mismatch')
            statements += 1
dt = time.time() - t0
print('coda-slicer movements=%d seconds=%.3f movements/s=%.0f statements=%d' % (n, dt, n / dt, statements))
