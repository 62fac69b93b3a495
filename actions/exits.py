"""Leaving the intake: stop, or start over. Used by the rules outside the form and by the form
itself (an explicit request while a question is open ends the form, then the submit step lands
here), so a misunderstood answer never wipes an intake."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.channel_identity import identity_slots
from bot import parsing

STOP_WORDS = re.compile(
    r"\b(stop|stoppen|stoppe|hou (maar )?op|ophouden|kap|kappen|laat maar|annuleer|annuleren|"
    r"cancel|geen zin meer|hoeft niet meer|niet meer verder|afbreken)\b"
)
START_OVER_WORDS = re.compile(
    r"\b(opnieuw|overnieuw|over ?nieuw|reset|herstart|van voren af aan|nieuwe vraag|"
    r"nieuwe aanvraag|opnieuw beginnen|begin (weer )?(opnieuw|overnieuw))\b"
)
EXITS = {
    "stop": (STOP_WORDS, "stop_requested"),
    "start_over": (START_OVER_WORDS, "restart_requested"),
}


def exit_request(intent: str, confidence: float, text: str) -> str | None:
    """'stop_requested' / 'restart_requested' only when the NLU and the words agree."""
    if intent not in EXITS or confidence < 0.5:
        return None
    words, outcome = EXITS[intent]
    return outcome if words.search(parsing.normalise(text)) else None


def stop(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    reference = tracker.get_slot("ticket_reference")
    if reference:
        dispatcher.utter_message(
            text=f"Oké. Je aanvraag {reference} blijft gewoon staan. Tot ziens!"
        )
        return []
    dispatcher.utter_message(
        text="Oké, ik stop. Er is geen aanvraag verstuurd. Wil je later toch verder? Typ dan "
        "'opnieuw'."
    )
    return [ActiveLoop(None), AllSlotsReset(), SlotSet("intake_outcome", "stopped"),
            *identity_slots(tracker)]


def start_over(dispatcher: CollectingDispatcher, tracker: Tracker | None = None) -> list[EventType]:
    """Forget the answers; what the channel tells (the WhatsApp number) stays known."""
    dispatcher.utter_message(text="Goed, we beginnen opnieuw.")
    return [ActiveLoop(None), AllSlotsReset(), *identity_slots(tracker)]
