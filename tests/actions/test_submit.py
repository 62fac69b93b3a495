"""action_submit_intake with a fake backend, and the fallback that retries a failed store."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import handover, submit
from actions.clients.backend import BackendError
from actions.conversation import DefaultFallback, RestartIntake, StopIntake
from actions.submit import SubmitIntake
from actions.texts import HELPDESK
from tests.actions.helpers import build_tracker, slot_events, texts

TICKET = {"reference": "DW-2025-00042", "werkplaats": "Digitale Werkplaats Regio Zwolle",
          "status": "nieuw"}


class FakeBackend:
    """Stands in for BackendClient: records each payload, answers (a ticket) or fails."""

    def __init__(self, error: Exception | None = None, ticket: dict | None = None) -> None:
        self.payloads: list[dict] = []
        self.error = error
        self.ticket = ticket or TICKET

    async def create_ticket(self, payload: dict) -> dict:
        self.payloads.append(payload)
        if self.error:
            raise self.error
        return dict(self.ticket)


def after_form(**slots):
    """A tracker right after the form: the summary was confirmed."""
    return build_tracker("summary", slots={"summary_confirmed": True, "summary_mode": None,
                                           **slots},
                         requested_slot=None)


async def _submit(tracker, domain, client):
    dispatcher = CollectingDispatcher()
    events = await SubmitIntake(client=client).run(dispatcher, tracker, domain)
    return events, dispatcher


def test_name():
    assert SubmitIntake(client=FakeBackend()).name() == "action_submit_intake"


async def test_payload_shape(domain):
    backend = FakeBackend()
    await _submit(after_form(), domain, backend)
    [payload] = backend.payloads
    assert payload["conversation_id"] == "web-5d1e88b0"
    assert payload["question"].startswith("Onze planning gaat nog helemaal met papier")
    assert payload["theme"] == "automatisering"
    assert [t["theme"] for t in payload["themes"]][0] == "automatisering"
    # only the themes that apply (here one), each with its share; all four scores in details
    assert [t["theme"] for t in payload["themes"]] == ["automatisering"]
    assert payload["details"]["theme_scores"].startswith("automatisering ")
    assert all(theme in payload["details"]["theme_scores"]
               for theme in ("online_marketing_sales", "data", "overig"))
    assert all(0 <= t["confidence"] <= 1 for t in payload["themes"])
    assert payload["company"] == {"name": "Schildersbedrijf Van Dijk", "sector": "schilders",
                                  "employees": 6, "postcode": "8011 AB", "place": "Zwolle",
                                  "kvk_number": None}
    assert payload["contact"] == {"name": "Kees", "email": "kees@vandijkschilders.nl",
                                  "phone": None}
    assert payload["consent"] == {"privacy": True, "followup": False}
    assert payload["intake"] == {"source": "intermediair (bank, vereniging)", "maturity": 4}
    assert payload["details"]["problem"] is None
    assert payload["details"]["goal"] == "dat iedereen op zijn telefoon ziet waar hij moet zijn"
    assert payload["details"]["urgency"] == "binnen 3 maanden"
    assert payload["details"]["eligibility"] == "ok"
    assert payload["details"]["applicable_themes"] == "automatisering"
    assert all(isinstance(v, str | int | float | bool | type(None))
               for v in payload["details"].values())
    assert payload["summary"].startswith("Je vraag:")
    assert "Klopt dit?" not in payload["summary"]
    assert "Ik heb dit genoteerd" not in payload["summary"]


async def test_payload_types_for_unknown_answers(domain):
    backend = FakeBackend()
    await _submit(after_form(employees="", maturity="", contact_phone="+31612345678",
                             contact_email="", kvk_number="12345678", need_problem="",
                             consent_followup=True), domain, backend)
    [payload] = backend.payloads
    assert payload["company"]["employees"] is None
    assert payload["company"]["kvk_number"] == "12345678"
    assert payload["intake"]["maturity"] is None
    assert payload["contact"] == {"name": "Kees", "email": None, "phone": "+31612345678"}
    assert payload["consent"] == {"privacy": True, "followup": True}


async def test_chosen_theme_wins(domain):
    backend = FakeBackend()
    await _submit(after_form(theme_choice="data"), domain, backend)
    [payload] = backend.payloads
    assert payload["theme"] == "data"
    assert payload["themes"][0] == {"theme": "data", "confidence": 1.0}


async def test_reply_contains_reference_and_werkplaats(domain):
    events, dispatcher = await _submit(after_form(), domain, FakeBackend())
    [text] = texts(dispatcher)
    assert "DW-2025-00042" in text
    assert "Digitale Werkplaats Regio Zwolle pakt je vraag op" in text
    # a backend without routing: the general next steps, no promises about offers or students
    assert "Samen kijken jullie wat past" in text and "geen studenten" not in text
    assert events == [SlotSet("ticket_reference", "DW-2025-00042"),
                      SlotSet("werkplaats", "Digitale Werkplaats Regio Zwolle"),
                      SlotSet("intake_outcome", "ticket")]


@pytest.mark.parametrize("eligibility", ["zzp", "large", "private"])
async def test_ineligible_without_insisting_makes_no_ticket(domain, eligibility):
    backend = FakeBackend()
    tracker = after_form(eligibility=eligibility, eligibility_insist=False,
                         summary_confirmed=None, consent_privacy=None)
    events, dispatcher = await _submit(tracker, domain, backend)
    assert backend.payloads == []
    assert events == [SlotSet("intake_outcome", "referred")]
    assert "geen aanvraag" in texts(dispatcher)[0]
    assert "ticket_reference" not in slot_events(events)


async def test_ineligible_but_insisting_makes_a_ticket(domain):
    backend = FakeBackend()
    events, _dispatcher = await _submit(
        after_form(employees=1, eligibility="zzp", eligibility_insist=True), domain, backend)
    [payload] = backend.payloads
    assert payload["company"]["employees"] == 1
    assert payload["details"]["eligibility"] == "zzp"
    assert slot_events(events)["intake_outcome"] == "ticket"


@pytest.mark.parametrize("consent", [False, None])
async def test_no_consent_makes_no_ticket(domain, consent):
    backend = FakeBackend()
    events, dispatcher = await _submit(after_form(consent_privacy=consent), domain, backend)
    assert backend.payloads == []
    assert events == [SlotSet("intake_outcome", "no_consent")]
    assert HELPDESK in texts(dispatcher)[0]


async def test_backend_error_is_polite_and_marks_store_failed(domain):
    backend = FakeBackend(error=BackendError("backend unreachable: 503"))
    events, dispatcher = await _submit(after_form(), domain, backend)
    assert len(backend.payloads) == 1
    assert events == [SlotSet("intake_outcome", "store_failed")]
    [text] = texts(dispatcher)
    assert text.startswith("Sorry")
    assert HELPDESK in text
    assert "503" not in text  # no technical details for the entrepreneur


async def test_fallback_after_store_failed_retries_the_submit(domain, monkeypatch):
    backend = FakeBackend()
    monkeypatch.setattr(submit, "BackendClient", lambda: backend)
    dispatcher = CollectingDispatcher()
    events = await DefaultFallback().run(dispatcher, build_tracker("store_failed"), domain)
    [payload] = backend.payloads
    assert payload["conversation_id"] == "web-5d1e88b0"
    assert slot_events(events) == {"ticket_reference": "DW-2025-00042",
                                   "werkplaats": "Digitale Werkplaats Regio Zwolle",
                                   "intake_outcome": "ticket"}
    assert "DW-2025-00042" in texts(dispatcher)[0]


async def test_fallback_after_store_failed_can_fail_again(domain, monkeypatch):
    backend = FakeBackend(error=BackendError("still down"))
    monkeypatch.setattr(submit, "BackendClient", lambda: backend)
    dispatcher = CollectingDispatcher()
    events = await DefaultFallback().run(dispatcher, build_tracker("store_failed"), domain)
    assert events == [SlotSet("intake_outcome", "store_failed")]
    assert len(backend.payloads) == 1


@pytest.mark.parametrize(
    ("slots", "needle"),
    [({"ticket_reference": "DW-2025-00042", "intake_outcome": "ticket"}, "DW-2025-00042"),
     ({"intake_outcome": "referred"}, "opnieuw"),
     ({"intake_outcome": None}, "begreep ik niet")],
)
async def test_fallback_otherwise_reverts_the_message(domain, monkeypatch, slots, needle):
    def no_backend():
        raise AssertionError("no ticket expected")

    monkeypatch.setattr(submit, "BackendClient", no_backend)
    dispatcher = CollectingDispatcher()
    events = await DefaultFallback().run(dispatcher, build_tracker("store_failed", slots=slots),
                                         domain)
    assert events == [UserUtteranceReverted(), SlotSet("fallbacks", 1)]
    assert needle in texts(dispatcher)[0]


async def test_the_second_fallback_hands_over_to_a_student(domain, monkeypatch):
    asked = []

    class Backend:
        async def request_handover(self, conversation_id, reason):
            asked.append((conversation_id, reason))
            return {"state": "waiting_for_human", "open": True, "expected_wait_minutes": 10}

    monkeypatch.setattr(handover, "BackendClient", Backend)
    dispatcher = CollectingDispatcher()
    tracker = build_tracker("store_failed", slots={"intake_outcome": None, "fallbacks": 1})
    events = await DefaultFallback().run(dispatcher, tracker, domain)
    assert asked == [(tracker.sender_id, "bot_failed")]
    assert "student van de helpdesk" in texts(dispatcher)[0]
    assert events[0] == UserUtteranceReverted() and SlotSet("fallbacks", 0) in events
    assert SlotSet("intake_outcome", "handover") in events


async def test_stop_without_ticket_resets_and_keeps_the_outcome(domain):
    dispatcher = CollectingDispatcher()
    events = await StopIntake().run(dispatcher, build_tracker("contact"), domain)
    assert [e["event"] for e in events] == ["active_loop", "reset_slots", "slot"]
    assert events[-1] == SlotSet("intake_outcome", "stopped")
    assert "geen aanvraag verstuurd" in texts(dispatcher)[0]


async def test_stop_after_ticket_keeps_everything(domain):
    dispatcher = CollectingDispatcher()
    tracker = build_tracker("store_failed", slots={"ticket_reference": "DW-2025-00042"})
    assert await StopIntake().run(dispatcher, tracker, domain) == []
    assert "DW-2025-00042" in texts(dispatcher)[0]


async def test_restart(domain):
    dispatcher = CollectingDispatcher()
    events = await RestartIntake().run(dispatcher, build_tracker("contact"), domain)
    assert [e["event"] for e in events] == ["active_loop", "reset_slots"]
