"""validate_intake_form: the order of the questions, interruptions, and the validators."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import entity_prefill, exits, form_order
from actions.confirm_validation import ConfirmValidators
from actions.contact_validation import ContactValidators
from actions.detail_validation import DetailValidators
from actions.handover import is_sensitive
from actions.need_validation import NeedValidators
from actions.validation_base import latest_intent
from bot import parsing

# Intents that answer no question: reply, then ask the same question again.
INTERRUPTIONS = {
    "greet": "utter_greet_again",
    "chitchat": "utter_chitchat",
    "insult": "utter_insult",
    "ask_privacy": "utter_privacy",
    "out_of_scope": "utter_out_of_scope",
    "thanks": "utter_thanks",
    "goodbye": "utter_goodbye_midway",
}
INTERRUPTION_CONFIDENCE = 0.75
# Free-text questions where a long answer is an answer, whatever it sounds like.
FREE_TEXT = {"need_description", "need_problem", "need_goal", "need_tried"}
YES_NO = {"consent_privacy", "consent_followup", "eligibility_insist", "summary_confirmed"}
# Questions whose answer can be any short text (a name, a company, a story): what the NLU calls
# out of scope or chit-chat there ("Eetcafé De Gouden Leeuw", "Frank van Os", "via een klant")
# is the answer. Only need_description keeps the out-of-scope check: it decides the intake.
OPEN_ANSWER = {"need_problem", "need_goal", "need_tried", "need_urgency", "company_name",
               "sector", "place", "contact_name", "source"}
NOT_AN_ANSWER_THERE = {"out_of_scope", "chitchat"}
INTERRUPTED = "_interrupted"  # key in the retries slot: {slot: times interrupted}


def interruption(tracker: Tracker, requested: str | None) -> str | None:
    """The response for an off-track message, or None when it answers the question."""
    if not requested or requested not in tracker.slots_to_validate():
        return None
    name, confidence = latest_intent(tracker)
    text = str((tracker.latest_message or {}).get("text") or "")
    if name not in INTERRUPTIONS or confidence < INTERRUPTION_CONFIDENCE:
        return None
    if entity_prefill.answers_requested(tracker):
        return None
    if requested in YES_NO and parsing.parse_yes_no(text) is not None:
        return None
    if requested in FREE_TEXT and len(text.split()) > 8:
        return None
    if requested in OPEN_ANSWER and name == "out_of_scope" and not text.rstrip().endswith("?"):
        return None  # a name or a story the NLU finds odd; a question to the bot still is one
    if name in NOT_AN_ANSWER_THERE and _interrupted_before(tracker, requested):
        # The same question was already answered with "that is not for me" once: never loop;
        # take the text as the answer and let the slot's validator judge it.
        return None
    return INTERRUPTIONS[name]


def _interrupted_before(tracker: Tracker, requested: str) -> bool:
    counts = (tracker.get_slot("retries") or {}).get(INTERRUPTED) or {}
    return int(counts.get(requested, 0)) >= 1


def _count_interruption(tracker: Tracker, requested: str) -> dict:
    retries = dict(tracker.get_slot("retries") or {})
    counts = dict(retries.get(INTERRUPTED) or {})
    counts[requested] = int(counts.get(requested, 0)) + 1
    retries[INTERRUPTED] = counts
    return retries


def exit_request(tracker: Tracker, requested: str | None) -> str | None:
    """An explicit 'stop' or 'opnieuw' instead of an answer (see actions/exits.py)."""
    if not requested or requested not in tracker.slots_to_validate():
        return None
    text = str((tracker.latest_message or {}).get("text") or "")
    if requested in FREE_TEXT and len(text.split()) > 8:
        return None
    return exits.exit_request(*latest_intent(tracker), text)


def _insulted_before(tracker: Tracker) -> bool:
    return bool((tracker.get_slot("retries") or {}).get("_insults"))


def _end_for_a_person(requested: str | None, outcome: str) -> list[EventType]:
    """End the form so that action_submit_intake hands the conversation to a student."""
    events = [SlotSet(requested, None)] if requested else []
    return events + [SlotSet("intake_outcome", outcome), SlotSet("requested_slot", None)]


class ValidateIntakeForm(
    NeedValidators, DetailValidators, ContactValidators, ConfirmValidators, FormValidationAction
):
    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return form_order.required_slots(tracker.slots)

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        """Values mentioned in passing fill the empty slots; the validators then check them
        like any answer, and the form skips those questions."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        return events + entity_prefill.prefill_events(tracker)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        outcome = exit_request(tracker, requested)
        if outcome:  # ends the form; action_submit_intake then stops or starts over
            return [SlotSet(requested, None), SlotSet("intake_outcome", outcome),
                    SlotSet("requested_slot", None)]
        response = interruption(tracker, requested)
        if response == "utter_insult" and _insulted_before(tracker):
            return _end_for_a_person(requested, "frustrated_requested")
        if response:
            dispatcher.utter_message(response=response)
            events = [SlotSet(requested, None), SlotSet("requested_slot", requested)]
            if latest_intent(tracker)[0] in NOT_AN_ANSWER_THERE:
                events.append(SlotSet("retries", _count_interruption(tracker, requested)))
            if response == "utter_insult":
                events.append(SlotSet("retries", {**(tracker.get_slot("retries") or {}),
                                                  "_insults": 1}))
            return events
        events = await super().run(dispatcher, tracker, domain)
        text = str((tracker.latest_message or {}).get("text") or "")
        if requested in FREE_TEXT and is_sensitive(text):
            # keep the answer, then let a student take over (action_submit_intake hands over)
            return [e for e in events if e.get("name") != "requested_slot"] + _end_for_a_person(
                None, "sensitive_requested")
        return events
