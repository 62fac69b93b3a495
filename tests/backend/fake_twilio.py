"""A loopback stand-in for Twilio's Messages API that checks what the real one checks: HTTP
basic auth with the account SID and auth token, the account SID in the path, a form body with
To, From and a Body or ContentSid, the same channel ('whatsapp:') on both numbers, Body at most
1600 characters. It answers 201 with a Message resource, and errors as Twilio's JSON
{code, message, more_info, status}. It can be told to fail (500, 429, 400, ...).
Used by the backend tests and the end-to-end tests."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.parse
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
WHATSAPP_FROM = "whatsapp:+3197010000001"
_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
ERRORS = {  # status -> (code, message) for the failures a test asks for
    400: (21211, "The 'To' number is not a valid phone number."),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


class Refused(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _number(value: str) -> tuple[str, str]:
    """('whatsapp', '+31...') or ('sms', '+31...')."""
    if value.startswith("whatsapp:"):
        return "whatsapp", value[len("whatsapp:"):]
    return "sms", value


class FakeTwilio:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN,
                 port: int = 0) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.sent: list[dict] = []  # accepted messages: the form plus sid and time
        self.refused: list[dict] = []  # refused requests: the form plus status and code
        self._failures: list[int] = []
        self._always: int | None = None
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                try:
                    status, body = 201, fake._accept(self.path, self.headers, form)
                except Refused as exc:
                    fake.refused.append({**form, "status": exc.status, "code": exc.code})
                    status, body = exc.status, {
                        "code": exc.code, "message": exc.message, "status": exc.status,
                        "more_info": f"https://www.twilio.com/docs/errors/{exc.code}"}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- what a test asks for ----
    def fail(self, status: int, times: int | None = None) -> None:
        """Answer `status` the next `times` requests (None: until told otherwise)."""
        with self._lock:
            if times is None:
                self._always = status
            else:
                self._failures += [status] * times

    def recover(self) -> None:
        with self._lock:
            self._always, self._failures = None, []

    def to(self, address: str) -> list[dict]:
        return [m for m in self.sent if m.get("To") == address]

    def wait_for(self, address: str, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.to(address)) >= count:
                return self.to(address)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.to(address))} messages to {address}, want {count}: "
                             f"{[m.get('Body') for m in self.to(address)]}")

    # ---- what the real API checks ----
    def _authenticate(self, path: str, headers) -> None:
        match = _PATH.match(path.split("?", 1)[0])
        if not match:
            raise Refused(404, 20404, "The requested resource was not found")
        auth = headers.get("Authorization") or ""
        try:
            user, _, password = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(
                ":")
        except ValueError:
            user = password = ""
        if not auth.startswith("Basic ") or (user, password) != (self.account_sid,
                                                                 self.auth_token):
            raise Refused(401, 20003, "Authenticate")
        if match.group(1) != self.account_sid:
            raise Refused(403, 20003, "Authenticate: the account SID in the URL is not yours")
        kind = headers.get("Content-Type") or ""
        if not kind.startswith("application/x-www-form-urlencoded"):
            raise Refused(400, 20001, "Content-Type must be application/x-www-form-urlencoded")

    def _check(self, form: dict) -> None:
        if not form.get("To"):
            raise Refused(400, 21604, "A 'To' phone number is required.")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            raise Refused(400, 21603, "A 'From' phone number is required.")
        to_kind, to_number = _number(form["To"])
        if form.get("From"):
            from_kind, from_number = _number(form["From"])
            if to_kind != from_kind:
                raise Refused(400, 21910, "Invalid From and To pair. From and To should be of "
                              "the same channel")
            if not _E164.match(from_number):
                raise Refused(400, 21212, f"The 'From' number {form['From']} is not a valid "
                              "phone number, shortcode, or alphanumeric sender ID.")
        if not _E164.match(to_number):
            raise Refused(400, 21211, f"The 'To' number {form['To']} is not a valid phone "
                          "number.")
        if not (form.get("Body") or form.get("ContentSid") or form.get("MediaUrl")):
            raise Refused(400, 21602, "Message body is required.")
        if len(form.get("Body", "").encode("utf-16-le")) // 2 > 1600:
            raise Refused(400, 21617, "The concatenated message body exceeds the 1600 "
                          "character limit.")
        if form.get("ContentSid") and not _CONTENT_SID.match(form["ContentSid"]):
            raise Refused(400, 21655, "The ContentSid is Invalid.")
        if form.get("ContentVariables"):
            try:
                variables = json.loads(form["ContentVariables"])
            except ValueError:
                variables = None
            if not isinstance(variables, dict) or any(
                "\n" in str(v) or len(str(v)) > 255 for v in variables.values()
            ):
                raise Refused(400, 21656, "The ContentVariables Parameter is invalid.")

    def _accept(self, path: str, headers, form: dict) -> dict:
        self._authenticate(path, headers)
        with self._lock:
            status = self._failures.pop(0) if self._failures else self._always
        if status is not None:
            code, message = ERRORS.get(status, (20001, f"HTTP {status}"))
            raise Refused(status, code, message)
        self._check(form)
        with self._lock:
            sid = f"SM{uuid.uuid4().hex}"  # unique, like Twilio's
            self.sent.append({**form, "sid": sid, "at": time.time()})
        now = formatdate(usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        return {
            "account_sid": self.account_sid, "api_version": "2010-04-01",
            "body": form.get("Body", ""), "date_created": now, "date_sent": None,
            "date_updated": now, "direction": "outbound-api", "error_code": None,
            "error_message": None, "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"), "num_media": "0",
            "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid,
            "status": "queued", "to": form["To"], "uri": uri,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        }
