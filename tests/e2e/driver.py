"""Drive a conversation through the hub's public API like an entrepreneur would: read the
bot's last question, answer it from a persona. Used by the end-to-end tests and `make bench`."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

# Which question the bot is asking, recognised by its wording (last match in the reply wins).
QUESTIONS = [
    ("need_description", r"waar loop je tegenaan"),
    ("need_problem", r"iets meer over vertellen"),
    ("need_goal", r"wat wil je bereiken"),
    ("need_tried", r"zelf al geprobeerd"),
    ("need_urgency", r"hoe snel wil je"),
    ("theme_choice", r"waar gaat je vraag vooral over"),
    ("company_name", r"hoe heet je bedrijf"),
    ("sector", r"in welke branche"),
    ("employees", r"met hoeveel mensen"),
    ("eligibility_insist", r"wil je toch een aanvraag"),
    ("postcode", r"postcode en plaats"),
    ("place", r"in welke plaats"),
    ("kvk_number", r"kvk-nummer"),
    ("contact_name", r"wat is jouw naam"),
    ("contact_email", r"op welk e-mailadres"),
    ("contact_phone", r"telefoonnummer"),
    ("source", r"hoe heb je van de digitale werkplaats gehoord"),
    ("maturity", r"schaal van 1 tot 10"),
    ("consent_privacy", r"mogen we je antwoorden bewaren"),
    ("consent_followup", r"korte vragenlijst"),
    ("summary_confirmed", r"klopt dit\?"),
    ("summary_which", r"wat klopt er niet"),
]
REFERENCE = re.compile(r"DW-\d{4}-\d{5}")


def question_in(text: str) -> str | None:
    found, at = None, -1
    for key, pattern in QUESTIONS:
        for m in re.finditer(pattern, text.lower()):
            if m.start() > at:
                found, at = key, m.start()
    return found


def api(base: str, method: str, path: str, body=None, token=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


@dataclass
class Chat:
    base_url: str
    conversation_id: str = ""
    token: str = ""
    last: list[dict] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)
    state: str = "bot"
    ticket_reference: str | None = None

    def start(self) -> Chat:
        status, body = api(self.base_url, "POST", "/api/v1/conversations", {})
        assert status == 201, body
        self.conversation_id, self.token = body["conversation_id"], body["token"]
        self._got(body["messages"])
        return self

    def _got(self, messages: list[dict]) -> None:
        self.last = messages
        self.log += [("bot", m["text"]) for m in messages]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.last)

    @property
    def question(self) -> str | None:
        return question_in(self.text)

    def say(self, text: str) -> list[dict]:
        self.log.append(("user", text))
        status, body = api(self.base_url, "POST",
                           f"/api/v1/conversations/{self.conversation_id}/messages",
                           {"text": text}, self.token)
        assert status == 200, (status, body, self.transcript())
        self.state, self.ticket_reference = body["state"], body["ticket_reference"]
        self._got(body["messages"])
        return body["messages"]

    def transcript(self) -> str:
        return "\n".join(f"{who}: {text}" for who, text in self.log)

    def run(self, answers: dict[str, str | list[str]], max_turns: int = 40) -> Chat:
        """Answer each question from `answers` (a list answers repeated asks in order) until
        the bot asks nothing we know or gives a reference."""
        asked: dict[str, int] = {}
        for _ in range(max_turns):
            if REFERENCE.search(self.text):
                return self
            key = self.question
            if key is None or key not in answers:
                return self
            answer = answers[key]
            if isinstance(answer, list):
                i = asked.get(key, 0)
                answer = answer[min(i, len(answer) - 1)]
            asked[key] = asked.get(key, 0) + 1
            self.say(answer)
        raise AssertionError("conversation did not finish:\n" + self.transcript())
