"""Contact details, the impact monitor's 0-meting questions and consent."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.entity_prefill import entity_value
from actions.texts import HELPDESK
from actions.validation_base import MAX_TRIES, intent_is, retry, text_of
from bot import parsing

SOURCES = [
    (r"bank|rabo|\bing\b|abn|ondernemersvereniging|ondernemers ?vereniging|mkb|kvk|kamer van "
     r"koophandel|branchevereniging|platform|intermediair", "intermediair (bank, vereniging)"),
    (r"school|hogeschool|\bmbo\b|\bhbo\b|universiteit|student|roc|onderwijs",
     "onderwijsinstelling"),
    (r"gemeente", "gemeente"),
    (r"provincie", "provincie"),
    (r"accountant|adviseur|adviesbureau|expert|consultant", "expertbedrijf"),
    (r"collega|ander bedrijf|klant|leverancier|kennis|vriend|buurman|buurvrouw|ondernemer|"
     r"mond ?tot ?mond", "ander bedrijf"),
    (r"instagram|facebook|linkedin|tiktok|social|twitter|\bx\b", "social media"),
    (r"website|google|internet|online|gezocht|loket|balie", "website / loket"),
]
# "nee, (noem me maar) Piet": the 'no' before another name
OTHER_NAME = re.compile(r"^(nee|neen|nope)\b[\s,.!]*(hoor|dank je)?[\s,.!]*"
                        r"(noem me( maar)?|zeg maar|liever)?\s*", re.I)
SKIP = r"^(geen|nee|heb ik niet|niet|overslaan|sla over|skip|liever niet|-)\b"


def source_category(text: str) -> str:
    t = parsing.normalise(text)
    if parsing.is_dont_know(t):
        return "onbekend"
    for pattern, category in SOURCES:
        if re.search(pattern, t):
            return category
    return f"anders: {text.strip()[:100]}"


class ContactValidators:
    def validate_contact_name(self, value, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain) -> dict:
        text = text_of(value)
        suggested = tracker.get_slot("profile_name")
        if suggested:  # the answer to "Mag ik je <WhatsApp-naam> noemen?"
            answer = self._yes_no(value, tracker)
            if answer is True:
                return {"contact_name": suggested}
            text = OTHER_NAME.sub("", text).strip() if answer is False else text
            if not text or parsing.parse_yes_no(text) is not None:
                return {"contact_name": None, "profile_name": None}  # then ask for the name
        if parsing.looks_like_name(text) and not parsing.is_dont_know(text):
            return {"contact_name": parsing.clean_name(text)}
        dispatcher.utter_message(text="Hoe mogen we je aanspreken? Je voornaam is ook goed.")
        return {"contact_name": None}

    def validate_contact_email(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        email = parsing.parse_email(text) or parsing.parse_email(parsing.spoken_email(text)) or \
            entity_value(tracker, "contact_email")
        if email:
            return {"contact_email": email}
        if re.match(SKIP, parsing.normalise(text)) or parsing.is_dont_know(text):
            return {"contact_email": ""}
        tries, update = retry(tracker, "contact_email")
        if tries >= MAX_TRIES:
            dispatcher.utter_message(text="Het lukt niet met het e-mailadres. Dan vraag ik je "
                                     "telefoonnummer.")
            return {"contact_email": "", **update}
        dispatcher.utter_message(
            text="Dat lijkt geen geldig e-mailadres. Een e-mailadres ziet er zo uit: "
            "naam@bedrijf.nl"
        )
        return {"contact_email": None, **update}

    def validate_contact_phone(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        phone = parsing.parse_phone(text) or entity_value(tracker, "contact_phone")
        if phone:
            return {"contact_phone": phone}
        has_email = bool(tracker.get_slot("contact_email"))
        skipping = re.match(SKIP, parsing.normalise(text)) or parsing.is_dont_know(text)
        if skipping and has_email:
            return {"contact_phone": ""}
        tries, update = retry(tracker, "contact_phone")
        if has_email and tries >= MAX_TRIES:
            return {"contact_phone": "", **update}
        if skipping or tries >= MAX_TRIES:
            dispatcher.utter_message(
                text="We hebben een e-mailadres of telefoonnummer nodig om je te kunnen bereiken. "
                f"Lukt dat niet? Mail of bel dan zelf met de helpdesk: {HELPDESK}."
            )
        else:
            dispatcher.utter_message(
                text="Dat telefoonnummer herken ik niet. Bijvoorbeeld: 06 12345678 of 010 1234567."
            )
        return {"contact_phone": None, **update}

    def validate_source(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        return {"source": source_category(text_of(value))}

    def validate_maturity(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        score = parsing.parse_maturity(text)
        if score is not None:
            return {"maturity": score}
        tries, update = retry(tracker, "maturity")
        if parsing.is_dont_know(text) or tries >= 2:
            return {"maturity": "", **update}
        dispatcher.utter_message(text="Geef een cijfer van 1 tot 10. Gokken mag.")
        return {"maturity": None, **update}

    def validate_consent_privacy(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        answer = self._yes_no(value, tracker)
        if answer is None:
            dispatcher.utter_message(text="Zeg 'ja' als je akkoord bent, of 'nee'.")
        return {"consent_privacy": answer}

    def validate_consent_followup(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        answer = self._yes_no(value, tracker)
        if answer is None and parsing.is_dont_know(text_of(value)):
            answer = False
        if answer is None:
            dispatcher.utter_message(text="Zeg 'ja' of 'nee'.")
        return {"consent_followup": answer}

    @staticmethod
    def _yes_no(value, tracker: Tracker) -> bool | None:
        answer = parsing.parse_yes_no(text_of(value))
        if answer is None and intent_is(tracker, "affirm", 0.7):
            return True
        if answer is None and intent_is(tracker, "deny", 0.7):
            return False
        return answer
