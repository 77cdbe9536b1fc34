#!/usr/bin/python3
"""Generates N realistic invoice mails (multipart/mixed: text+HTML alternative, a ~100 KB PDF, a
Peppol UBL file; a quarter are forwarded as message/rfc822) into DIR. Deterministic (seeded)."""
import base64
import os
import random
import sys

out_dir = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
os.makedirs(out_dir, exist_ok=True)
rnd = random.Random(42)


def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def fake_pdf(n):
    # PDF-like: a header, compressible text objects and incompressible "image" bytes.
    body = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    while len(body) < n:
        if rnd.random() < 0.5:
            body += b"BT /F1 10 Tf 72 %d Td (Factuurregel %d) Tj ET\n" % (rnd.randrange(800), rnd.randrange(10 ** 6))
        else:
            body += bytes(rnd.getrandbits(8) for _ in range(512))
    return bytes(body[:n]) + b"\n%%EOF\n"


def ubl(i):
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>2026/%05d</cbc:ID><cbc:IssueDate>2026-01-14</cbc:IssueDate>
</Invoice>
""" % i).encode() * 8


pdfs = [fake_pdf(100 * 1024 + rnd.randrange(4096)) for _ in range(16)]
for i in range(count):
    pdf = pdfs[i % len(pdfs)]
    inner = f"""From: "Drukkerij Janssens NV" <facturatie@janssens.example>
To: =?UTF-8?Q?Garage_Verm=C3=A9ulen?= <info@vermeulen.example>
Subject: =?UTF-8?Q?Factuur_2026/{i:05d}_=E2=80=93_Drukkerij_Janssens?=
Date: Wed, 14 Jan 2026 09:12:03 +0100
Message-ID: <inv-{i}@janssens.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1-{i}"

--b1-{i}
Content-Type: multipart/alternative; boundary="b2-{i}"

--b2-{i}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Beste klant,=0A=0AIn bijlage vindt u factuur 2026/{i:05d} van 1.234,50 EUR, te betalen v=C3=B3=C3=B3r 13/02/2026.
Met vriendelijke groeten,
Drukkerij Janssens

--b2-{i}
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Beste klant,</p><p>In bijlage vindt u factuur 2026/{i:05d} van 1.234,50 EUR, te betalen v=C3=B3=C3=B3r 13/02/2026.</p></body></html>
--b2-{i}--

--b1-{i}
Content-Type: application/pdf; name="Factuur 2026-{i:05d}.pdf"
Content-Disposition: attachment; filename="Factuur 2026-{i:05d}.pdf"
Content-Transfer-Encoding: base64

{b64(pdf)}
--b1-{i}
Content-Type: application/xml; name="2026-{i:05d}.xml"
Content-Disposition: attachment; filename="2026-{i:05d}.xml"
Content-Transfer-Encoding: base64

{b64(ubl(i))}
--b1-{i}--
"""
    received = "".join(f"Received: from mx{k}.example.net (mx{k}.example.net [192.0.2.{k}])\n\tby mx.duegate.example with ESMTPS id {i:08x}{k}\n\tfor <intake@duegate.example>; Thu, 12 Mar 2026 10:01:4{k} +0100\n" for k in range(4))
    if i % 4 == 0:
        mail = f"""{received}From: Boekhouding <boekhouding@vermeulen.example>
To: intake+janssens@duegate.example
Subject: FW: Factuur 2026/{i:05d}
Date: Thu, 12 Mar 2026 10:01:44 +0100
Message-ID: <fw-{i}@vermeulen.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-{i}"

--outer-{i}
Content-Type: text/plain; charset=utf-8

Graag opvolgen.

--outer-{i}
Content-Type: message/rfc822

{inner}
--outer-{i}--
"""
    else:
        mail = received + inner
    with open(os.path.join(out_dir, "%05d.eml" % i), "wb") as f:
        f.write(mail.replace("\r\n", "\n").replace("\n", "\r\n").encode())
print("generated", count, "mails in", out_dir)
