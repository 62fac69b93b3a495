"""Opening, stop, restart and the fallback."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import exits
from actions.channel_identity import identity_slots
from actions.handover import hand_over
from actions.submit import SubmitIntake
from actions.texts import greeting


class Greet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        dispatcher.utter_message(text=greeting())
        return identity_slots(tracker)  # WhatsApp: the phone is known, the name is suggested


class StopIntake(Action):
    def name(self) -> str:
        return "action_stop_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        return exits.stop(dispatcher, tracker)


class RestartIntake(Action):
    def name(self) -> str:
        return "action_restart_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        return exits.start_over(dispatcher, tracker)


class DefaultFallback(Action):
    """Messages that no rule covers, e.g. after the intake is done."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        reference = tracker.get_slot("ticket_reference")
        fallbacks = int(tracker.get_slot("fallbacks") or 0) + 1
        if fallbacks >= 2 and tracker.get_slot("intake_outcome") != "handover":
            # the bot failed twice: a student takes over (the reverted turn stays in the hub)
            events = await hand_over(dispatcher, tracker, "bot_failed")
            return [UserUtteranceReverted(), *events, SlotSet("fallbacks", 0)]
        if tracker.get_slot("intake_outcome") == "store_failed":
            return await SubmitIntake().run(dispatcher, tracker, domain)
        if reference:
            text = (
                f"Je aanvraag is al verstuurd (nummer {reference}); de werkplaats neemt "
                "contact met je op. Een nieuwe vraag? Typ 'opnieuw'. Iemand spreken? Typ "
                "'medewerker'."
            )
        elif tracker.get_slot("intake_outcome"):
            text = "Wil je (opnieuw) een aanvraag doen? Typ 'opnieuw'. Of typ 'medewerker'."
        else:
            text = (
                "Sorry, dat begreep ik niet. Typ 'opnieuw' om te beginnen, of 'medewerker' als je "
                "iemand wilt spreken."
            )
        dispatcher.utter_message(text=text)
        return [UserUtteranceReverted(), SlotSet("fallbacks", fallbacks)]
