"""The phone line's answers as TwiML: what to say, and how the call goes on (listen in a
<Gather>, put through with <Dial>, wait for a slow turn with <Redirect>, or hang up).

Where the call is (which question the bot asks, a confirmation or choice the hub asks, the
failures so far) travels in the Gather's action URL. Twilio signs the URL it calls, query
included, so a caller cannot change it; it holds no personal data (no values, no numbers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import Request, Response
from twilio.twiml.voice_response import VoiceResponse

from backend.services import voice_text
from backend.settings import Settings

LANGUAGE = "nl-NL"
VOICE_PATH = "/webhooks/twilio/voice"
GATHER_PATH = VOICE_PATH + "/gather"
PENDING_PATH = VOICE_PATH + "/pending"  # a slow turn's answer (after "Een ogenblikje.")
DIAL_PATH = VOICE_PATH + "/dial"  # the <Dial>'s action: DialCallStatus
STATUS_PATH = VOICE_PATH + "/status"  # the number's call status callback
STEPS = ("", "confirm", "letters", "choice")
_SLOT = re.compile(r"^[a-z_]{1,40}$")


@dataclass(frozen=True)
class Where:
    """ask: the slot the bot's form asks for; step: what the hub itself asks ('' none, confirm
    a spelled-back value, the letters of a postcode, the WhatsApp-or-callback choice); fails:
    silences and answers not understood in a row."""

    ask: str | None = None
    step: str = ""
    fails: int = 0

    def query(self) -> dict[str, str]:
        values = {"ask": self.ask or "", "step": self.step,
                  "fails": str(self.fails) if self.fails else ""}
        return {k: v for k, v in values.items() if v}

    @classmethod
    def of(cls, request: Request) -> Where:
        """From the action URL; anything odd is dropped (the URL is Twilio-signed anyway)."""
        params = request.query_params
        ask = params.get("ask") or None
        step = params.get("step", "")
        raw = params.get("fails") or params.get("silent") or "0"
        fails = int(raw) if raw.isdigit() and len(raw) < 3 else 0
        return cls(ask if ask and _SLOT.match(ask) else None, step if step in STEPS else "",
                   min(fails, 9))


@dataclass
class Answer:
    """What to say, and how the call goes on: gather | dial | hangup | wait."""

    says: list[str] = field(default_factory=list)
    then: str = "gather"
    where: Where = field(default_factory=Where)
    hint_text: str = ""
    buttons: list[dict] = field(default_factory=list)
    keypad: bool = False  # several digits, closed with '#'
    num_digits: int = 0  # one key picks an option
    speech_only: bool = False


def url(settings: Settings, path: str, query: dict[str, str] | None = None) -> str:
    return settings.public_base_url.rstrip("/") + path + (f"?{urlencode(query)}" if query
                                                           else "")


def twiml(settings: Settings, answer: Answer, waited: int = 0) -> Response:
    response = VoiceResponse()
    say = {"voice": settings.twilio_voice, "language": LANGUAGE}
    if answer.then == "gather":
        action = url(settings, GATHER_PATH, answer.where.query())
        options = dict(input="speech" if answer.speech_only else "speech dtmf",
                       language=LANGUAGE, speech_timeout="auto", action=action, method="POST",
                       action_on_empty_result=True)
        slot = answer.where.ask if not answer.where.step else None
        hints = _hints(answer, slot)
        if hints:
            options["hints"] = hints
        if answer.keypad:
            options["finish_on_key"] = "#"
        elif answer.num_digits:
            options["num_digits"] = answer.num_digits
        gather = response.gather(**options)
        for text in answer.says:
            gather.say(text, **say)
        # Twilio goes on here when the Gather ends without calling its action
        response.redirect(action, method="POST")
    elif answer.then == "wait":
        response.say(voice_text.ONE_MOMENT, **say)
        response.redirect(url(settings, PENDING_PATH, {"wait": str(waited + 1)}), method="POST")
    else:
        for text in answer.says:
            response.say(text, **say)
        if answer.then == "dial":
            response.dial(settings.twilio_helpdesk_number, timeout=30,
                          action=url(settings, DIAL_PATH), method="POST")
        else:
            response.hangup()
    return Response(str(response), media_type="text/xml")


def _hints(answer: Answer, slot: str | None) -> str:
    step = answer.where.step
    if step == "confirm":
        return voice_text.HINTS_CONFIRM
    if step == "choice":
        return voice_text.HINTS_CHOICE
    if step == "letters":
        return voice_text.HINTS_LETTERS
    return voice_text.hints(answer.hint_text, answer.buttons, slot)
