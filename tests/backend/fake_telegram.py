"""A loopback fake of the Telegram Bot API (ThreadingHTTPServer on 127.0.0.1), faithful in what the
hub relies on and in what the real one refuses:

- methods live at /bot<token>/<method>; a wrong token is 401 Unauthorized, an unknown method 404;
- parameters come as a query string, a form (what python-telegram-bot sends; objects as JSON
  strings), multipart or JSON, like the real API accepts;
- every answer is {"ok": true, "result": ...} or {"ok": false, "error_code": ..., "description":
  ...} (429 with parameters.retry_after), with real-shaped Message objects (message_id per chat,
  from, chat, date, text, reply_markup, reply_to_message, edit_date);
- sendMessage/editMessageText check chat_id (present, known), text (non-empty, <= 4096), the
  reply_markup's shape (callback_data 1-64 bytes), the message to reply to or edit;
  answerCallbackQuery checks the query id (known, answered once) and the text (<= 200);
  getUpdates honours offset (confirming earlier updates), limit and long-poll timeout, and is a
  409 while a webhook is set; setWebhook wants an HTTPS URL and a well-formed secret_token.

Tests act as Telegram's users through message()/callback() (which build real-shaped updates),
read what the bot did from `calls`, and make the API fail with fail() or `down`."""

from __future__ import annotations

import json
import re
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "123456789:AAH-fake-telegram-token_0123456789abc"
HELPDESK_CHAT = -1005550001111
OTHER_CHAT = -1005550002222
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Werkplaats Helpdesk",
            "username": "werkplaats_helpdesk_bot"}
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
BUTTON_KINDS = {"callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
                "web_app", "login_url", "callback_game", "pay", "copy_text"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def user(first_name: str, user_id: int, **extra) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "nl",
            **extra}


class FakeTelegram:
    # Like the real ones, message ids (per chat) and update ids never repeat, also not across
    # fakes: the test database outlives each fake and remembers them.
    _ids: dict = {"update": 500000, "query": 880000}
    _message_ids: dict[int, int] = {}
    _id_lock = threading.Lock()

    def __init__(self, token: str = TOKEN, chats: tuple[int, ...] = (HELPDESK_CHAT, OTHER_CHAT)):
        self.token = token
        self.chats = {c: {"id": c, "title": f"Groep {i}", "type": "supergroup"}
                      for i, c in enumerate(chats, 1)}
        self.messages: dict[tuple[int, int], dict] = {}
        self.calls: list[dict] = []  # {"method", "params", "ok", "status"} in arrival order
        self.updates: list[dict] = []  # waiting for getUpdates
        self.queries: dict[str, dict] = {}  # callback query id -> {"answered": bool}
        self.webhook: dict | None = None
        self.down = False  # every call answers 500
        self._failures: list[tuple[str | None, int, int | None]] = []
        self._cond = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- test controls -----------------------------------------------------------------------

    def fail(self, status: int = 500, times: int = 1, retry_after: int | None = None,
             method: str | None = None) -> None:
        """The next `times` calls (of `method`, or any) fail with `status`."""
        with self._cond:
            self._failures.extend([(method, status, retry_after)] * times)

    def sent(self, method: str) -> list[dict]:
        """Parameters of the successful calls of one method, oldest first."""
        with self._cond:
            return [c["params"] for c in self.calls if c["method"] == method and c["ok"]]

    def attempts(self, method: str) -> int:
        with self._cond:
            return sum(1 for c in self.calls if c["method"] == method)

    def message(self, sender: dict, text: str | None = None, *, reply_to: int | None = None,
                chat_id: int = HELPDESK_CHAT, queue: bool = False, **extra) -> dict:
        """A user writes in a chat (optionally as a reply): returns the Update."""
        with self._cond:
            msg = self._new_message(chat_id, sender, text, reply_to, **extra)
            return self._update({"message": msg}, queue)

    def callback(self, sender: dict, message_id: int, data: str, *,
                 chat_id: int = HELPDESK_CHAT, queue: bool = False) -> dict:
        """A user presses an inline button under one of the chat's messages."""
        with self._cond:
            query_id = str(self._next("query"))
            self.queries[query_id] = {"answered": False}
            query = {"id": query_id, "from": sender, "chat_instance": f"ci{chat_id}",
                     "message": dict(self.messages[(chat_id, message_id)]), "data": data}
            return self._update({"callback_query": query}, queue)

    def answer_to(self, update: dict) -> dict | None:
        """The answerCallbackQuery call for a callback update, if any."""
        query_id = update["callback_query"]["id"]
        found = [p for p in self.sent("answerCallbackQuery") if p["callback_query_id"] == query_id]
        return found[-1] if found else None

    @classmethod
    def _next(cls, key: str | int) -> int:
        with cls._id_lock:
            counters = cls._message_ids if isinstance(key, int) else cls._ids
            counters[key] = counters.get(key, 0) + 1
            return counters[key]

    def _update(self, body: dict, queue: bool) -> dict:
        update = {"update_id": self._next("update"), **body}
        if queue:
            self.updates.append(update)
            self._cond.notify_all()
        return update

    def _new_message(self, chat_id: int, sender: dict, text: str | None, reply_to: int | None,
                     **extra) -> dict:
        msg = {"message_id": self._next(chat_id), "from": sender,
               "chat": self.chats[chat_id], "date": int(time.time()), **extra}
        if text is not None:
            msg["text"] = text
        if reply_to is not None:
            target = dict(self.messages[(chat_id, reply_to)])
            target.pop("reply_to_message", None)  # Telegram nests one level only
            msg["reply_to_message"] = target
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    # --- the API ---------------------------------------------------------------------------

    def _call(self, method: str, params: dict):
        fn = getattr(self, f"_api_{method}", None)
        if fn is None:
            raise ApiError(404, "Not Found")
        return fn(params)

    def _chat(self, params: dict) -> dict:
        if params.get("chat_id") in (None, ""):
            raise bad("chat_id is empty")
        try:
            return self.chats[int(params["chat_id"])]
        except (KeyError, ValueError):
            raise bad("chat not found") from None

    @staticmethod
    def _text(params: dict) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad("message text is empty")
        if len(text) > 4096:
            raise bad("message is too long")
        if params.get("parse_mode") not in (None, "HTML", "Markdown", "MarkdownV2"):
            raise bad(f"unsupported parse_mode {params['parse_mode']}")
        return text

    @staticmethod
    def _object(params: dict, name: str):
        value = params.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad(f"can't parse {name} JSON object") from None
        return value

    def _markup(self, params: dict) -> dict | None:
        markup = self._object(params, "reply_markup")
        if markup is None:
            return None
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad("can't parse inline keyboard button: InlineKeyboardMarkup expected")
        for button in (b for row in rows for b in row):
            kinds = set(button) & BUTTON_KINDS if isinstance(button, dict) else set()
            if not isinstance(button, dict) or not str(button.get("text") or "").strip():
                raise bad("can't parse inline keyboard button: Text buttons are unallowed in "
                          "the inline keyboard")
            if len(kinds) != 1:
                raise bad("can't parse inline keyboard button: exactly one optional field "
                          "must be used")
            data = button.get("callback_data")
            if "callback_data" in kinds and not 1 <= len(str(data).encode()) <= 64:
                raise bad("BUTTON_DATA_INVALID")
        return markup

    def _api_getMe(self, params: dict) -> dict:  # noqa: N802
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    def _api_sendMessage(self, params: dict) -> dict:  # noqa: N802
        chat, text, markup = self._chat(params), self._text(params), self._markup(params)
        reply = self._object(params, "reply_parameters") or {}
        target = reply.get("message_id") or params.get("reply_to_message_id")
        if target is not None and (chat["id"], int(target)) not in self.messages:
            if not (reply.get("allow_sending_without_reply")
                    or str(params.get("allow_sending_without_reply")).lower() == "true"):
                raise bad("message to be replied not found")
            target = None
        msg = self._new_message(chat["id"], BOT_USER, text,
                                int(target) if target is not None else None)
        if markup:
            msg["reply_markup"] = markup
        return msg

    def _api_editMessageText(self, params: dict) -> dict:  # noqa: N802
        chat = self._chat(params)
        if params.get("message_id") in (None, ""):
            raise bad("message identifier is not specified")
        msg = self.messages.get((chat["id"], int(params["message_id"])))
        if msg is None:
            raise bad("message to edit not found")
        if msg["from"]["id"] != BOT_USER["id"]:
            raise bad("message can't be edited")
        text, markup = self._text(params), self._markup(params)
        if text == msg.get("text") and markup == msg.get("reply_markup"):
            raise bad("message is not modified: specified new message content and reply markup "
                      "are exactly the same as a current content and reply markup of the message")
        msg.update(text=text, edit_date=int(time.time()))
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        return msg

    def _api_answerCallbackQuery(self, params: dict) -> bool:  # noqa: N802
        query = self.queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query["answered"]:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        return True

    def _api_getUpdates(self, params: dict) -> list:  # noqa: N802
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]  # confirmed
        while not self.updates and time.monotonic() < deadline:
            self._cond.wait(deadline - time.monotonic())
        return list(self.updates[:limit])

    def _api_setWebhook(self, params: dict) -> bool:  # noqa: N802
        url = params.get("url")
        if url is None:
            raise bad("parameter \"url\" is required")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_RE.match(secret):
            raise bad("secret token contains unallowed characters")
        if url and not url.startswith("https://"):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": self._object(params, "allowed_updates")} if url else None
        return True

    def _api_deleteWebhook(self, params: dict) -> bool:  # noqa: N802
        self.webhook = None
        if str(params.get("drop_pending_updates")).lower() == "true":
            self.updates.clear()
        return True

    # --- HTTP ------------------------------------------------------------------------------

    def _handle(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        params = parse_params(query, content_type, body)
        method = parts[1]
        with self._cond:
            call = {"method": method, "params": params, "ok": False, "status": 200}
            self.calls.append(call)
            try:
                if parts[0] != f"bot{self.token}":
                    raise ApiError(401, "Unauthorized")
                failure = next((f for f in self._failures if f[0] in (None, method)), None)
                if failure:
                    self._failures.remove(failure)
                if self.down or failure:
                    status = failure[1] if failure else 500
                    retry_after = failure[2] if failure else None
                    if status == 429:
                        raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                                       {"retry_after": retry_after})
                    raise ApiError(status, "Internal Server Error")
                result = self._call(method, params)
            except ApiError as exc:
                call["status"] = exc.code
                error = {"ok": False, "error_code": exc.code, "description": exc.description}
                if exc.parameters:
                    error["parameters"] = exc.parameters
                return exc.code, error
            call["ok"] = True
            return 200, {"ok": True, "result": json.loads(json.dumps(result))}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                status, payload = fake._handle(url.path, url.query,
                                               self.headers.get("Content-Type", ""), body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the client gave up (e.g. a cancelled long poll)
                    pass

            do_GET = do_POST = _serve  # noqa: N815

            def log_message(self, *args):
                pass

        return Handler


def parse_params(query: str, content_type: str, body: bytes) -> dict:
    """Parameters the way the Bot API reads them: query string, then the body (urlencoded form,
    multipart form or JSON). Form values stay strings; objects inside are JSON strings."""
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        params.update(json.loads(body))
    elif kind == "application/x-www-form-urlencoded":
        params.update({k: v[-1] for k, v in
                       parse_qs(body.decode(), keep_blank_values=True).items()})
    elif kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                params[name] = part.get_content()
    return params
