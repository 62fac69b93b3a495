"""Questions whose wording depends on what is known (the rest are responses in domain.yml)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.form_order import theme_scores_of
from actions.intake_data import render_summary, themes_of, ticket_payload
from actions.texts import REFERRALS, privacy_url
from bot.corrections import FIELDS
from bot.theme_scores import THEME_LABELS, ranked

YES_NO_BUTTONS = [{"title": "Ja", "payload": "ja"}, {"title": "Nee", "payload": "nee"}]


class AskThemeChoice(Action):
    def name(self) -> str:
        return "action_ask_theme_choice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        order = [item["theme"] for item in ranked(theme_scores_of(tracker.slots))]
        buttons = [{"title": THEME_LABELS[t].capitalize(), "payload": THEME_LABELS[t]}
                   for t in order]
        buttons.append({"title": "Meerdere hiervan", "payload": "meerdere"})
        dispatcher.utter_message(
            text="Dan weet ik bij welke studenten je vraag past. Waar gaat je vraag vooral over?",
            buttons=buttons,
        )
        return []


class AskEligibilityInsist(Action):
    def name(self) -> str:
        return "action_ask_eligibility_insist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        referral = REFERRALS.get(tracker.get_slot("eligibility") or "", "")
        dispatcher.utter_message(
            text=f"{referral}\nWil je toch een aanvraag doen bij de werkplaats?",
            buttons=[{"title": "Ja, toch aanvragen", "payload": "ja"},
                     {"title": "Nee, dank je", "payload": "nee"}],
        )
        return []


class AskContactName(Action):
    """On WhatsApp the profile name is a suggestion: confirm it instead of asking."""

    def name(self) -> str:
        return "action_ask_contact_name"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        suggested = tracker.get_slot("profile_name")
        if suggested:
            dispatcher.utter_message(
                text=f"Mag ik je {suggested} noemen? Of typ hoe we je mogen aanspreken.",
                buttons=[{"title": "Ja", "payload": "ja"},
                         {"title": "Nee, een andere naam", "payload": "nee"}],
            )
        else:
            dispatcher.utter_message(response="utter_ask_contact_name")
        return []


class AskContactPhone(Action):
    def name(self) -> str:
        return "action_ask_contact_phone"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        if tracker.get_slot("contact_email"):
            dispatcher.utter_message(
                text="Wat is je telefoonnummer? Dat mag je ook overslaan.",
                buttons=[{"title": "Overslaan", "payload": "overslaan"}],
            )
        else:
            dispatcher.utter_message(text="Op welk telefoonnummer kunnen we je bereiken?")
        return []


class AskConsentPrivacy(Action):
    def name(self) -> str:
        return "action_ask_consent_privacy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        dispatcher.utter_message(
            text="Mogen we je antwoorden bewaren en delen met de werkplaats en de studenten die je "
            "vraag oppakken? Zonder toestemming kunnen we je niet helpen. We delen niks met "
            f"anderen. Meer lezen: {privacy_url()}",
            buttons=[{"title": "Ja, dat mag", "payload": "ja"},
                     {"title": "Nee", "payload": "nee"}],
        )
        return []


class AskSummaryConfirmed(Action):
    def name(self) -> str:
        return "action_ask_summary_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        if tracker.get_slot("summary_mode") == "which_field":
            dispatcher.utter_message(
                text="Wat klopt er niet? Kies wat je wilt aanpassen, of typ het meteen goed, "
                "bijvoorbeeld: 'mijn mail is jan@bakkerij.nl'.",
                buttons=[{"title": label.capitalize(), "payload": f"wijzig {label}"}
                         for label, _ in FIELDS.values()],
            )
            return []
        payload = ticket_payload(tracker.sender_id, tracker.slots)
        _main, _items, applying = themes_of(tracker.slots)
        dispatcher.utter_message(
            text=render_summary(payload, applying),
            buttons=[{"title": "Klopt, versturen", "payload": "ja klopt"},
                     {"title": "Iets aanpassen", "payload": "nee"}],
        )
        return []
