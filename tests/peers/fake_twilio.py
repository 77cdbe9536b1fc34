#!/usr/bin/python3
"""A loopback fake of Twilio's Messages API (2010-04-01), for duegate's channel tests.

It serves only  POST /2010-04-01/Accounts/{AccountSid}/Messages.json  and holds the request to the
spec: HTTP basic auth (AccountSid:AuthToken), application/x-www-form-urlencoded body, only the
parameter names the OpenAPI document lists (when --spec is given, the list is read from it: the
request our client sends is checked against the spec, not against our own idea of it), To
required, one of From/MessagingServiceSid, one of Body/MediaUrl/ContentSid. Success is HTTP 201
with the documented message JSON (the spec's "create" example, filled in).

Failures on demand, by the To number (Twilio's own magic test numbers where they exist):
  +15005550001  400, code 21211 "Invalid 'To' Phone Number"
  +15005550429  429, code 20429, Retry-After: 7
  +15005550500  500, code 20500
  +15005550999  answers after 5 seconds (for client timeouts)

Status callbacks, as Twilio sends them (with --post-callbacks): when a created message names a
StatusCallback, the fake POSTs to it after --callback-delay seconds (default 0.5), form-encoded and signed with
X-Twilio-Signature (base64 HMAC-SHA1 with the auth token over the URL followed by the sorted
name+value pairs, WEBHOOK_SIGNATURE.md in the corpus): first MessageStatus=sent, then delivered.
  +15005550003  ends undelivered with ErrorCode 30003 (unreachable handset)
  +15005550610  ends failed with ErrorCode 21610 (the recipient replied STOP)
Every callback and the status our server answered are logged as {"callback": URL, "params", "answer"}.

Every request is appended to --log as one JSON line: method, path, auth_ok, content_type, params.
Usage: fake_twilio.py --port P --account-sid AC... --auth-token T [--spec FILE] [--log FILE]
                      [--post-callbacks] [--callback-delay S]
"""
import argparse
import base64
import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
import secrets
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
BUILTIN_PARAMS = ["To", "StatusCallback", "ApplicationSid", "MaxPrice", "ProvideFeedback", "Attempt",
                  "ValidityPeriod", "ForceDelivery", "ContentRetention", "AddressRetention", "SmartEncoded",
                  "PersistentAction", "TrafficType", "ShortenUrls", "ScheduleType", "SendAt", "SendAsMms",
                  "ContentVariables", "RiskCheck", "From", "FallbackFrom", "MessagingServiceSid", "Body",
                  "MediaUrl", "ContentSid"]
MAX_BODY = 64 * 1024


def load_spec(path):
    if not path:
        return BUILTIN_PARAMS, None
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    post = spec["paths"][MESSAGES_PATH]["post"]
    schema = post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    example = post["responses"]["201"]["content"]["application/json"]["examples"]["create"]["value"]
    return list(schema["properties"].keys()), example


def twilio_signature(token, url, params):
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode("utf-8"), hashlib.sha1).digest()).decode()


def post_callbacks(server, url, sid, to, sender):
    time.sleep(server.callback_delay)
    final = [("MessageStatus", "delivered")]
    if to == "+15005550003":
        final = [("MessageStatus", "undelivered"), ("ErrorCode", "30003")]
    elif to == "+15005550610":
        final = [("MessageStatus", "failed"), ("ErrorCode", "21610")]
    for extra in ([("MessageStatus", "sent")], final):
        params = [("AccountSid", server.account_sid), ("ApiVersion", "2010-04-01"), ("From", sender or ""),
                  ("MessageSid", sid), ("SmsSid", sid), ("To", to)] + extra
        params.append(("SmsStatus", dict(extra)["MessageStatus"]))
        body = urllib.parse.urlencode(params).encode()
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature(server.auth_token, url, params),
            "User-Agent": "TwilioProxy/1.1"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                answer = r.status
        except urllib.error.HTTPError as e:
            answer = e.code
        except OSError as e:
            answer = str(e)
        if server.log_path:
            with open(server.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"callback": url, "params": params, "answer": answer}) + "\n")
        time.sleep(0.1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-twilio/1"

    def log_message(self, fmt, *args):  # quiet: the test reads --log instead
        pass

    def reply(self, status, obj, headers=None):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message, headers=None):
        self.reply(status, {"code": code, "message": message,
                            "more_info": "https://www.twilio.com/docs/errors/%d" % code, "status": status},
                   headers)

    def record(self, entry):
        if self.server.log_path:
            with open(self.server.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def auth_ok(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except Exception:
            return False
        return user == self.server.account_sid and password == self.server.auth_token

    def do_GET(self):
        self.error(405, 20004, "Method not allowed")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length > MAX_BODY:
            self.error(413, 20001, "Request too large")
            return
        raw = self.rfile.read(length).decode("utf-8", "replace")
        ctype = self.headers.get("Content-Type", "")
        params = urllib.parse.parse_qsl(raw, keep_blank_values=True)
        authorized = self.auth_ok()
        self.record({"method": "POST", "path": self.path, "auth_ok": authorized, "content_type": ctype,
                     "params": params})

        expected = MESSAGES_PATH.replace("{AccountSid}", self.server.account_sid)
        if self.path != expected:
            self.error(404, 20404, "The requested resource %s was not found" % self.path)
            return
        if not authorized:
            self.error(401, 20003, "Authenticate")
            return
        if ctype.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            self.error(400, 21000, "Content-Type must be application/x-www-form-urlencoded")
            return
        names = [k for k, _ in params]
        unknown = [k for k in names if k not in self.server.allowed]
        if unknown:
            self.error(400, 21000, "Parameter not in the Messages API spec: %s" % unknown[0])
            return
        values = dict(params)
        to = values.get("To", "")
        if not to:
            self.error(400, 21604, "A 'To' phone number is required.")
            return
        if not values.get("From") and not values.get("MessagingServiceSid"):
            self.error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.")
            return
        if not values.get("Body") and not values.get("MediaUrl") and not values.get("ContentSid"):
            self.error(400, 21602, "Message body is required.")
            return
        if to == "+15005550001":
            self.error(400, 21211, "Invalid 'To' Phone Number: %s" % to)
            return
        if to == "+15005550429":
            self.error(429, 20429, "Too Many Requests", {"Retry-After": "7"})
            return
        if to == "+15005550500":
            self.error(500, 20500, "Internal Server Error")
            return
        if to == "+15005550999":
            time.sleep(5)

        sid = "SM" + secrets.token_hex(16)
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        msg = dict(self.server.example or {})
        acct = self.server.account_sid
        msg.update({
            "account_sid": acct, "api_version": "2010-04-01", "body": values.get("Body", ""),
            "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
            "error_code": None, "error_message": None, "from": values.get("From"),
            "messaging_service_sid": values.get("MessagingServiceSid"), "num_media": "0", "num_segments": "1",
            "price": None, "price_unit": "USD", "sid": sid, "status": "queued", "to": to,
            "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json" % (acct, sid)},
            "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (acct, sid),
        })
        self.reply(201, msg)
        if values.get("StatusCallback") and self.server.post_callbacks:
            threading.Thread(target=post_callbacks, daemon=True,
                             args=(self.server, values["StatusCallback"], sid, to,
                                   values.get("From") or values.get("MessagingServiceSid"))).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--account-sid", required=True)
    ap.add_argument("--auth-token", required=True)
    ap.add_argument("--spec")
    ap.add_argument("--log")
    ap.add_argument("--post-callbacks", action="store_true")
    ap.add_argument("--callback-delay", type=float, default=0.5)
    a = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    server.account_sid, server.auth_token, server.log_path = a.account_sid, a.auth_token, a.log
    server.allowed, server.example = load_spec(a.spec)
    server.callback_delay, server.post_callbacks = a.callback_delay, a.post_callbacks
    if a.log is None:   # interactive use; the tests read --log and want a quiet stdout
        print("fake twilio on 127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
