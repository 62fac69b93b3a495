"""After the form: write the ticket through the backend, or close politely without one."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import exits
from actions.clients.backend import BackendClient, BackendError
from actions.form_order import INELIGIBLE
from actions.handover import hand_over
from actions.intake_data import ticket_payload
from actions.next_steps import ticket_message
from actions.texts import HELPDESK

log = logging.getLogger(__name__)
# Set by the form when it stops for a person (see actions/intake_form.py).
HANDOVER_OUTCOMES = {"frustrated_requested": "frustrated", "sensitive_requested": "sensitive"}


class SubmitIntake(Action):
    def __init__(self, client: BackendClient | None = None) -> None:
        self.client = client or BackendClient()

    def name(self) -> str:
        return "action_submit_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> list:
        slots = tracker.slots
        if slots.get("intake_outcome") == "stop_requested":
            return exits.stop(dispatcher, tracker)
        if slots.get("intake_outcome") == "restart_requested":
            return [*exits.start_over(dispatcher, tracker), FollowupAction("intake_form")]
        if slots.get("intake_outcome") in HANDOVER_OUTCOMES:
            reason = HANDOVER_OUTCOMES[slots["intake_outcome"]]
            return await hand_over(dispatcher, tracker, reason, self.client)
        if slots.get("eligibility") in INELIGIBLE and slots.get("eligibility_insist") is False:
            dispatcher.utter_message(
                text="Helder. Ik maak geen aanvraag aan. Veel succes, en wie weet tot later! "
                "Typ 'opnieuw' als je toch een vraag voor je bedrijf hebt."
            )
            return [SlotSet("intake_outcome", "referred")]
        if slots.get("consent_privacy") is not True:
            dispatcher.utter_message(
                text="Dat begrijp ik. Zonder toestemming maak ik geen aanvraag aan en bewaren we "
                "je antwoorden niet als aanvraag. Wil je toch hulp? Mail of bel de helpdesk: "
                f"{HELPDESK}. Of typ 'opnieuw' om opnieuw te beginnen."
            )
            return [SlotSet("intake_outcome", "no_consent")]
        try:
            ticket = await self.client.create_ticket(ticket_payload(tracker.sender_id, slots))
        except BackendError as exc:
            log.error("ticket for %s not stored: %s", tracker.sender_id, exc)
            dispatcher.utter_message(
                text="Sorry, het opslaan van je aanvraag lukt nu even niet. Je antwoorden staan in "
                "dit gesprek. Typ zo 'versturen' om het nog eens te proberen, of mail de helpdesk: "
                f"{HELPDESK}."
            )
            return [SlotSet("intake_outcome", "store_failed")]
        # who picks it up, what fits, and whether students are there now (actions/next_steps.py)
        dispatcher.utter_message(text=ticket_message(ticket))
        return [
            SlotSet("ticket_reference", ticket["reference"]),
            SlotSet("werkplaats", ticket["werkplaats"]),
            SlotSet("intake_outcome", "ticket"),
        ]
