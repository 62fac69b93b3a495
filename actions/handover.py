"""Asking for a person, and picking up the intake again after the person hands it back."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.backend import BackendClient, BackendError
from actions.texts import HELPDESK
from bot import parsing

log = logging.getLogger(__name__)
# Topics a student should handle, not a bot.
# Not the everyday "neemt veel tijd in beslag" or "scheiding tussen zakelijk en privé".
SENSITIVE = re.compile(
    r"\b(faillissement|failliet|bankroet|schuld(en)?|deurwaarder|(?<!\bin )beslag|"
    r"burn[- ]?out|overspannen|depressie(f)?|overleden|overlijden|"
    # the entrepreneur's own illness, not "vervanging bij ziekte" or "een koe wordt ziek"
    r"(ik ben|ben ik|was ik|ik was|ik werd|werd ik|ben) (al \w+ |erg |heel |ernstig |"
    r"langdurig )?ziek|ziek geworden|ernstig ziek|langdurig ziek|mijn ziekte|kanker|"
    r"(echt)?scheiding(?! tussen)|fraude|afgeperst|chantage|"
    r"zelfmoord|su[iï]cid(e|aal|ale)|ransomware|gegijzeld)\b"
)


# How an intake ended; a hand-over afterwards does not change it.
FINAL_OUTCOMES = ("ticket", "referred", "stopped", "no_consent")


def is_sensitive(text: str) -> bool:
    return bool(SENSITIVE.search(parsing.normalise(text)))


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                    client: BackendClient | None = None) -> list[EventType]:
    """Ask the backend for a person and tell the entrepreneur honestly what happens next."""
    try:
        status = await (client or BackendClient()).request_handover(tracker.sender_id, reason)
    except BackendError as exc:
        log.error("hand-over for %s failed: %s", tracker.sender_id, exc)
        dispatcher.utter_message(
            text=f"Het lukt me nu niet om je door te zetten. Mail of bel de helpdesk: {HELPDESK}."
        )
        return []
    lead = {
        "frustrated": "Ik merk dat het niet lekker loopt. ",
        "bot_failed": "Ik begrijp je niet goed genoeg. ",
        "sensitive": "Dit bespreek je liever met een mens. ",
    }.get(reason, "")
    if status.get("open"):
        dispatcher.utter_message(
            text=f"{lead}Ik zet je door naar een student van de helpdesk. Die neemt het gesprek "
            f"hier over, meestal binnen {status.get('expected_wait_minutes', 10)} minuten. Je kunt "
            "gewoon blijven typen; er gaat niks verloren."
        )
    else:
        dispatcher.utter_message(
            text=f"{lead}De helpdesk is nu gesloten. Er is weer iemand "
            f"{status.get('next_opening') or 'op de eerstvolgende werkdag'}. Je vraag is veilig "
            "bewaard: een student neemt dan contact met je op. Je kunt hier alvast typen wat je "
            "wilt vragen."
        )
    if tracker.get_slot("intake_outcome") in FINAL_OUTCOMES:
        return [ActiveLoop(None)]  # keep it: resuming must not restart a finished intake
    return [ActiveLoop(None), SlotSet("intake_outcome", "handover")]


class RequestHandover(Action):
    def name(self) -> str:
        return "action_request_handover"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        return await hand_over(dispatcher, tracker, "asked")


class ResumeIntake(Action):
    """The hub sends /resume_intake when a person hands the conversation back."""

    def name(self) -> str:
        return "action_resume_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        if tracker.get_slot("ticket_reference") or tracker.get_slot("intake_outcome") in (
            FINAL_OUTCOMES
        ):
            dispatcher.utter_message(
                text="Je praat weer met de digitale assistent. Kan ik nog iets voor je doen? Typ "
                "'opnieuw' voor een nieuwe vraag."
            )
            return []
        dispatcher.utter_message(
            text="Je praat weer met de digitale assistent. We gaan verder waar we gebleven waren."
        )
        return [SlotSet("intake_outcome", None), FollowupAction("intake_form")]
