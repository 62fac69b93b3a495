"""The summary read back for confirmation, and corrections of any field."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.validation_base import intent_is, text_of
from bot import corrections, parsing

# Slots cleared when the entrepreneur wants to redo a field (the form then asks them again).
REDO = {
    "postcode": ["postcode", "place"],
    "need_description": ["need_description", "need_problem", "theme_evidence", "theme_choice"],
    "contact_name": ["contact_name", "profile_name"],  # ask the name itself, not 'Mag ik je..'
}


class ConfirmValidators:
    def validate_summary_confirmed(self, value, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain) -> dict:
        text = text_of(value)
        answer = parsing.parse_yes_no(text)
        found = corrections.detect(text)
        if found:
            dispatcher.utter_message(text="Aangepast, dank je.")
            if "employees" in found:
                count = found["employees"]
                found["eligibility"] = "zzp" if count <= 1 else "large" if count > 250 else "ok"
            return {**found, "summary_confirmed": None, "summary_mode": "summary"}
        if answer is True or (answer is None and intent_is(tracker, "affirm", 0.7)):
            return {"summary_confirmed": True, "summary_mode": None}
        field = corrections.field_for(text)
        if field:
            cleared = {slot: None for slot in REDO.get(field, [field])}
            return {**cleared, "summary_confirmed": None, "summary_mode": "summary"}
        # 'nee' or something unclear: ask which part is wrong.
        return {"summary_confirmed": None, "summary_mode": "which_field"}
