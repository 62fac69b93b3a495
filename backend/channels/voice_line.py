"""What a phone turn works with: the app's parts (Line), Rasa's metadata for a call, the
question the bot's form asks (its tracker's requested_slot), and an answer that listens
(prompt)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backend.channels.voice_twiml import Answer, Where
from backend.rasa_client import BotMessage, RasaClient, RasaUnavailable
from backend.services import voice_text

if TYPE_CHECKING:
    from backend.channels.whatsapp import WhatsAppChannel
    from backend.db import Database
    from backend.services.helpdesk_hours import OfficeHours
    from backend.services.turns import TurnService
    from backend.settings import Settings

log = logging.getLogger("backend.channels")
NO_REPLY = "Sorry, daar ging iets mis. Kun je het nog eens zeggen?"
TRACKER_SECONDS = 2.0


@dataclass
class Line:
    """What a phone turn needs from the app."""

    settings: Settings
    db: Database
    rasa: RasaClient
    hours: OfficeHours
    turns: TurnService
    whatsapp: WhatsAppChannel | None

    @classmethod
    def of(cls, state) -> Line:
        return cls(state.settings, state.db, state.rasa, state.office_hours, state.turns,
                   getattr(state, "whatsapp", None))

    @property
    def whatsapp_ready(self) -> bool:
        return bool(self.whatsapp is not None and self.whatsapp.sender.configured)


def metadata(phone: str | None) -> dict:
    return {"channel": "voice", "phone": phone} if phone else {"channel": "voice"}


def prompt(messages: list[BotMessage], where: Where, prefix: str = "") -> Answer:
    """An answer that listens: the bot's messages (buttons read as 'zeg 1 ...', a keypad
    prompt for numbers) or the hub's own question (said as is, one key or speech answers)."""
    if where.step:
        says = [voice_text.for_ear(m.text) for m in messages if m.text]
        says = [prefix, *says] if prefix else says
        letters = where.step == "letters"
        return Answer(says or [NO_REPLY], where=where, num_digits=0 if letters else 1,
                      speech_only=letters)
    says = [s for s in (voice_text.speak(m.text, m.buttons) for m in messages) if s]
    keypad = voice_text.keypad_prompt(where.ask) if says else ""
    if keypad:
        says[-1] = f"{says[-1]} {keypad}"
    says = [prefix, *says] if prefix else says
    buttons = next((m.buttons for m in reversed(messages) if m.buttons), [])
    last = messages[-1].text if messages else ""
    return Answer(says or [NO_REPLY], where=where, hint_text=last, buttons=buttons,
                  keypad=bool(keypad), num_digits=1 if 0 < len(buttons) <= 9 else 0)


async def asked(line: Line, conversation_id: str) -> str | None:
    """The slot the bot's form asks for now (None when Rasa cannot tell)."""
    try:
        return await line.rasa.requested_slot(conversation_id, timeout=TRACKER_SECONDS)
    except RasaUnavailable as exc:
        log.info("no requested_slot for %s: %s", conversation_id, exc)
        return None
