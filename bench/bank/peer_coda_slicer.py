#!/usr/bin/python3
"""Peer: a plain Python CODA reader that slices the fixed columns of each record (what most
in-house scripts do): movements from record 2.1 (sign, amount, value date, communication),
counterparty from 2.3."""
import sys, time
t0 = time.time()
n, total = 0, 0
moves = []
with open(sys.argv[1], encoding='latin-1') as f:
    for line in f:
        t = line[:2]
        if t == '21':
            amount = int(line[32:47]) // 10
            if line[31] == '1':
                amount = -amount
            moves.append({'amount': amount, 'value_date': line[47:53], 'comm': line[62:115].rstrip()})
            total += amount
            n += 1
        elif t == '23' and moves:
            moves[-1]['iban'] = line[10:44].strip()
            moves[-1]['name'] = line[47:82].strip()
dt = time.time() - t0
print('coda-slicer movements=%d seconds=%.3f movements/s=%.0f checksum=%d' % (n, dt, n / dt, total))
