#!/usr/bin/python3
"""Python email peer: parse each mail (policy.default), walk every part, decode each leaf."""
import email
import email.policy
import os
import sys
import time

d = sys.argv[1]
files = sorted(os.listdir(d))
mails = attachments = size = 0
t0 = time.monotonic()
for name in files:
    with open(os.path.join(d, name), "rb") as f:
        raw = f.read()
    size += len(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for part in msg.walk():
        if part.is_multipart():
            continue
        part.get_payload(decode=True)
        if part.get_filename():
            attachments += 1
    mails += 1
s = time.monotonic() - t0
print("python mails=%d attachments=%d seconds=%.3f mails_per_s=%.0f MB_per_s=%.1f" % (mails, attachments, s, mails / s, size / s / 1e6))
