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

    def play(self, answers: dict[str, str | list[str]], max_turns: int = 45,
             max_asks: int = 4) -> dict:
        """Like run(), but never raises: answers until a ticket reference appears, then
        reports what happened: {reference, turns, asks, stuck_at, reason}. `stuck_at` is the
        question the conversation ended on without a ticket (None when a reference came);
        a question asked `max_asks` times counts as stuck there."""
        asks: dict[str, int] = {}
        record = {"reference": None, "turns": 0, "asks": asks, "stuck_at": None, "reason": ""}

        def end(stuck_at: str | None, reason: str) -> dict:
            record.update(stuck_at=stuck_at, reason=reason, state=self.state,
                          turns=sum(1 for who, _ in self.log if who == "user"))
            return record

        for _ in range(max_turns):
            found = REFERENCE.search(self.text)
            if found or self.ticket_reference:
                record["reference"] = self.ticket_reference or found.group(0)
                return end(None, "ticket")
            if self.state != "bot":
                return end(self.question or "(handover)", f"conversation state {self.state}")
            key = self.question
            if key is None:
                return end("(unrecognised)", "no known question in: " + self.text[-300:])
            if key not in answers:
                return end(key, f"the persona has no answer to {key}")
            if asks.get(key, 0) >= max_asks:
                return end(key, f"{key} asked {asks[key]} times")
            answer = answers[key]
            if isinstance(answer, list):
                answer = answer[min(asks.get(key, 0), len(answer) - 1)]
            asks[key] = asks.get(key, 0) + 1
            try:
                self.say(answer)
            except AssertionError as exc:  # the API refused the message
                return end(key, f"the API failed: {str(exc)[:300]}")
        found = REFERENCE.search(self.text)
        if found or self.ticket_reference:
            record["reference"] = self.ticket_reference or found.group(0)
            return end(None, "ticket")
        return end(self.question, f"no ticket after {max_turns} turns")
