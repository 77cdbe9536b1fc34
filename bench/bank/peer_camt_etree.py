#!/usr/bin/python3
"""Peer: Python's xml.etree iterparse over CAMT.053, counting entries and summing amounts
(elements cleared as it goes, so memory stays flat)."""
import sys, time
import xml.etree.ElementTree as ET
t0 = time.time()
n, total = 0, 0
ns = None
for ev, el in ET.iterparse(sys.argv[1], events=('end',)):
    tag = el.tag
    if tag.endswith('}Ntry'):
        ns = ns or tag[:tag.index('}') + 1]
        amt = el.find(ns + 'Amt').text
        whole, _, frac = amt.partition('.')
        cents = int(whole) * 100 + int((frac + '00')[:2])
        total += cents if el.find(ns + 'CdtDbtInd').text == 'CRDT' else -cents
        n += 1
        el.clear()
    elif tag.endswith('}Stmt'):
        el.clear()
dt = time.time() - t0
print('etree entries=%d seconds=%.3f entries/s=%.0f checksum=%d' % (n, dt, n / dt, total))
