"""Company details and eligibility: name, sector, size, location, KvK-nummer."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.entity_prefill import entity_value
from actions.validation_base import MAX_TRIES, intent_is, retry, text_of
from bot import parsing


def _sector(text: str) -> str:
    t = re.sub(r"^(we zitten in( de)?|wij zitten in( de)?|ik zit in( de)?|in de|de|het|"
               r"we zijn een|wij zijn een|ik heb een|we hebben een|branche:?|sector:?)\s+", "",
               text.strip(), flags=re.I)
    return t.strip(" .,!?")[:120]


class DetailValidators:
    def validate_company_name(self, value, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain) -> dict:
        text = text_of(value)
        if intent_is(tracker, "not_a_business"):
            if tracker.get_slot("eligibility_insist") is True:
                return {"company_name": "particulier"}
            return {"company_name": None, "eligibility": "private"}
        if parsing.is_dont_know(text) or not parsing.looks_like_name(text):
            tries, update = retry(tracker, "company_name")
            if tries < 2:
                dispatcher.utter_message(
                    text="Heeft je bedrijf nog geen officiële naam? Typ dan de naam die je "
                    "gebruikt, of je eigen naam."
                )
                return {"company_name": None, **update}
            return {"company_name": "onbekend", **update}
        return {"company_name": parsing.clean_name(text)}

    def validate_sector(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if intent_is(tracker, "not_a_business") and tracker.get_slot("eligibility_insist") is None:
            return {"sector": None, "eligibility": "private"}
        if parsing.is_dont_know(text):
            tries, update = retry(tracker, "sector")
            if tries < 2:
                dispatcher.utter_message(
                    text="Zeg het in een paar woorden: wat doet je bedrijf? Bijvoorbeeld "
                    "'kapsalon' of 'we repareren auto's'."
                )
                return {"sector": None, **update}
            return {"sector": "onbekend", **update}
        # the normalised sector when the answer names one ('kapper' -> 'kapsalon')
        return {"sector": entity_value(tracker, "sector") or _sector(text) or text[:120]}

    def validate_employees(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        count = parsing.parse_employees(text)
        if count is None:
            count = entity_value(tracker, "employees")
        if count is None:
            tries, update = retry(tracker, "employees")
            if tries >= MAX_TRIES:
                return {"employees": "", **update}
            if parsing.is_dont_know(text):
                dispatcher.utter_message(text="Een schatting is ook goed. Ongeveer hoeveel mensen?")
            else:
                dispatcher.utter_message(
                    text="Dat aantal begreep ik niet. Typ een getal, bijvoorbeeld 4."
                )
            return {"employees": None, **update}
        eligibility = "zzp" if count <= 1 else "large" if count > 250 else "ok"
        if tracker.get_slot("eligibility") == "private":
            eligibility = "private"
        return {"employees": count, "eligibility": eligibility}

    def validate_eligibility_insist(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        answer = parsing.parse_yes_no(text_of(value))
        if answer is None:
            answer = True if intent_is(tracker, "affirm") else (
                False if intent_is(tracker, "deny") or intent_is(tracker, "goodbye") else None
            )
        if answer is None:
            dispatcher.utter_message(text="Zeg 'ja' als je toch een aanvraag wilt doen, of 'nee'.")
        return {"eligibility_insist": answer}

    def validate_postcode(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        found = parsing.parse_postcode(text)
        if not found and entity_value(tracker, "postcode"):  # spoken: 'drie vijf een een a b'
            found = (entity_value(tracker, "postcode"), entity_value(tracker, "place") or "")
        if found:
            postcode, place = found
            return {"postcode": postcode, "place": place or tracker.get_slot("place")}
        tries, update = retry(tracker, "postcode")
        place = parsing.clean_place(text) if not parsing.is_dont_know(text) else ""
        if tries >= MAX_TRIES:
            return {"postcode": "", "place": place or tracker.get_slot("place"), **update}
        dispatcher.utter_message(
            text="Een postcode heeft 4 cijfers en 2 letters, zoals 3511 AB. Die staat bijvoorbeeld "
            "op je factuur of website."
        )
        return {"postcode": None, "place": place or tracker.get_slot("place"), **update}

    def validate_place(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        place = entity_value(tracker, "place") or parsing.clean_place(text)
        if place:
            return {"place": place}
        tries, update = retry(tracker, "place")
        if tries >= 2:
            return {"place": text[:120] or "onbekend", **update}
        dispatcher.utter_message(text="Typ alleen de plaatsnaam, bijvoorbeeld Zwolle.")
        return {"place": None, **update}

    def validate_kvk_number(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        kvk = parsing.parse_kvk(text) or entity_value(tracker, "kvk_number")
        if kvk:
            return {"kvk_number": kvk}
        if parsing.is_dont_know(text) or parsing.parse_yes_no(text) is False or re.search(
            r"\b(geen|heb ik niet|nog niet)\b", text.lower()
        ):
            return {"kvk_number": ""}
        tries, update = retry(tracker, "kvk_number")
        if tries >= 2:
            dispatcher.utter_message(text="Geen probleem, dat zoeken we later samen op.")
            return {"kvk_number": "", **update}
        dispatcher.utter_message(
            text="Een KvK-nummer heeft precies 8 cijfers. Weet je het niet? Typ 'weet ik niet'."
        )
        return {"kvk_number": None, **update}
