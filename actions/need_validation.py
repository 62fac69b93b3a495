"""Vraagarticulatie: the question in the entrepreneur's own words and the follow-ups."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.validation_base import intent_is, retry, text_of
from bot import parsing
from bot.theme_scores import THEME_LABELS, evidence_of_parse

THEME_WORDS = {
    "online_marketing_sales": r"marketing|verkoop|verkopen|website|webshop|klanten|online|sales",
    "data": r"\bdata\b|gegevens|cijfers|inzicht|dashboard|excel",
    "automatisering": r"automatiser|proces|software|administratie|systeem|efficient|efficiënt",
    "overig": r"iets anders|anders|overig|geen van",
}


class NeedValidators:
    def _evidence(self, tracker: Tracker, text: str, weight: float = 1.0) -> dict:
        evidence = list(tracker.get_slot("theme_evidence") or [])
        parse = dict(tracker.latest_message or {}, text=text)
        evidence += [[scores, w] for scores, w in evidence_of_parse(parse, weight)]
        return {"theme_evidence": evidence}

    def validate_need_description(self, value, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if intent_is(tracker, "not_a_business"):
            return {"need_description": text, "eligibility": "private"}
        if parsing.is_dont_know(text) or len(re.sub(r"\W", "", text)) < 3:
            tries, update = retry(tracker, "need_description")
            if tries < 3:
                dispatcher.utter_message(
                    text="Geen probleem, daar zijn we juist voor. Vertel gewoon wat er nu lastig "
                    "is, of wat je beter zou willen doen. Bijvoorbeeld: 'ik wil meer klanten via "
                    "internet' of 'onze planning kost veel te veel tijd'."
                )
                return {"need_description": None, **update}
            return {"need_description": "weet het nog niet precies", **update}
        return {"need_description": text, **self._evidence(tracker, text)}

    def validate_need_problem(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if parsing.is_dont_know(text):
            return {"need_problem": ""}
        return {"need_problem": text, **self._evidence(tracker, text)}

    def validate_need_goal(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if parsing.is_dont_know(text):
            return {"need_goal": "weet ik nog niet"}
        return {"need_goal": text, **self._evidence(tracker, text, weight=0.5)}

    def validate_need_tried(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if parsing.is_dont_know(text) or parsing.parse_yes_no(text) is False:
            return {"need_tried": "nog niks"}
        return {"need_tried": text}

    def validate_need_urgency(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = text_of(value)
        if parsing.is_dont_know(text):
            return {"need_urgency": "weet ik nog niet"}
        return {"need_urgency": parsing.parse_urgency(text)}

    def validate_theme_choice(self, value, dispatcher, tracker: Tracker, domain) -> dict:
        text = parsing.normalise(text_of(value))
        if text in THEME_LABELS:
            return {"theme_choice": text}
        by_label = {parsing.normalise(label): theme for theme, label in THEME_LABELS.items()}
        if text in by_label:
            return {"theme_choice": by_label[text]}
        if re.search(r"meerdere|allebei|beide|alle|weet (ik )?niet|geen idee", text):
            return {"theme_choice": "meerdere"}
        hits = [theme for theme, pattern in THEME_WORDS.items() if re.search(pattern, text)]
        if len(hits) == 1:
            return {"theme_choice": hits[0]}
        tries, update = retry(tracker, "theme_choice")
        if tries >= 2:
            return {"theme_choice": "meerdere", **update}
        dispatcher.utter_message(text="Kies een van de knoppen, of typ 'weet ik niet'.")
        return {"theme_choice": None, **update}
