"""Whole intakes through validate_intake_form, simulating Rasa's form loop in Python.

Each step: the form asks the first empty slot of form_order.required_slots; the user's answer
becomes the candidate value of that slot (from_text); validate_intake_form runs; its SlotSet
events are applied. The script lists (question we expect, what the user says).
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions import ask_actions, form_order
from actions.intake_data import ticket_payload
from actions.submit import SubmitIntake
from tests.actions.helpers import build_tracker, message, run_form

CUSTOM_ASK = {a().name(): a for a in (ask_actions.AskThemeChoice, ask_actions.AskEligibilityInsist,
                                      ask_actions.AskContactPhone, ask_actions.AskConsentPrivacy,
                                      ask_actions.AskSummaryConfirmed)}


def need(text, marketing=0.0, data=0.0, automation=0.0, other=0.0):
    ranking = sorted(
        [{"name": "describe_need_online_marketing_sales", "confidence": marketing},
         {"name": "describe_need_data", "confidence": data},
         {"name": "describe_need_automatisering", "confidence": automation},
         {"name": "describe_need_overig", "confidence": other}],
        key=lambda i: -i["confidence"])
    return message(text, ranking[0]["name"], ranking[0]["confidence"], ranking)


def say(text, intent="inform", confidence=0.9):
    return message(text, intent, confidence)


def next_question(slots: dict) -> str | None:
    return next((s for s in form_order.required_slots(slots) if slots.get(s) is None), None)


async def ask(slot: str, sender: str, slots: dict, domain: dict) -> str:
    """What the bot says to ask `slot` (a custom ask action or the domain's utter_ask_)."""
    action = CUSTOM_ASK.get(f"action_ask_{slot}")
    if action is None:
        return domain["responses"][f"utter_ask_{slot}"][0]["text"]
    dispatcher = CollectingDispatcher()
    tracker = build_tracker({"sender_id": sender, "slots": slots, "requested_slot": slot},
                            domain=domain)
    await action().run(dispatcher, tracker, domain)
    return dispatcher.messages[0]["text"]


async def converse(script, domain, sender="web-3c9d7e21"):
    """Run the script; returns (slots, transcript of (speaker, text))."""
    slots: dict = {}
    transcript: list[tuple[str, str]] = []
    for step, (expected, user) in enumerate(script):
        requested = next_question(slots)
        assert requested == expected, f"step {step}: asked {requested}, script expects {expected}"
        transcript.append(("bot", await ask(requested, sender, slots, domain)))
        transcript.append(("user", user["text"]))
        tracker = build_tracker({"sender_id": sender, "slots": slots, "requested_slot": requested,
                                 "latest_message": user}, domain=domain)
        _events, dispatcher, changed = await run_form(tracker, domain)
        transcript += [("bot", m.get("text") or m.get("response")) for m in dispatcher.messages]
        slots.update(changed)
        assert changed["requested_slot"] == next_question(slots)
        if slots.get("summary_confirmed") is True or changed["requested_slot"] is None:
            assert step == len(script) - 1, "the form ended before the script did"
    return slots, transcript


class RecordingBackend:
    def __init__(self):
        self.payloads = []

    async def create_ticket(self, payload):
        self.payloads.append(payload)
        return {"reference": "DW-2025-00107", "werkplaats": "Digitale Werkplaats Utrecht"}


async def submit(slots, domain, sender="web-3c9d7e21"):
    backend = RecordingBackend()
    dispatcher = CollectingDispatcher()
    tracker = build_tracker({"sender_id": sender, "slots": slots, "requested_slot": None},
                            domain=domain)
    events = await SubmitIntake(client=backend).run(dispatcher, tracker, domain)
    return backend.payloads, events, dispatcher.messages


def assert_backend_accepts(payload):
    """The backend's TicketIn rules (backend/api/schemas.py), checked without pydantic v2."""
    assert 1 <= len(payload["conversation_id"]) <= 40
    assert payload["question"]
    assert 1 <= len(payload["themes"]) <= 4
    assert payload["theme"] in {t["theme"] for t in payload["themes"]}
    company, contact = payload["company"], payload["contact"]
    assert 1 <= len(company["name"]) <= 200 and len(company["sector"]) <= 120
    assert company["postcode"] == "" or re.fullmatch(r"[1-9]\d{3} ?[A-Z]{2}", company["postcode"])
    assert company["kvk_number"] is None or re.fullmatch(r"\d{8}", company["kvk_number"])
    assert contact["email"] or contact["phone"]
    assert contact["email"] is None or re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}",
                                                    contact["email"])
    assert contact["phone"] is None or re.fullmatch(r"\+?\d{9,15}", contact["phone"])
    assert payload["consent"]["privacy"] is True
    assert payload["intake"]["maturity"] is None or 1 <= payload["intake"]["maturity"] <= 10
    assert len(payload["intake"]["source"] or "") <= 120


BAKERY = [
    ("need_description", need("Hoi! We hebben een bakkerij met 2 winkels en willen dat klanten "
                              "online taarten kunnen bestellen, nu loopt alles via de telefoon",
                              marketing=0.81, automation=0.12, data=0.04, other=0.03)),
    ("need_goal", need("dat de helft vd bestellingen via de site binnenkomt", marketing=0.7,
                       data=0.2, automation=0.05, other=0.05)),
    ("need_tried", say("nog niks eigenlijk")),
    ("need_urgency", say("liefst voor de zomer")),
    ("company_name", say("Bakkerij De Korenschoof")),
    ("sector", say("bakkerij")),
    ("employees", say("we zijn met z'n achten")),
    ("postcode", say("3511ab utrecht")),
    ("kvk_number", say("1234 5678")),
    ("contact_name", say("ik ben Anne de Vries")),
    ("contact_email", say("Anne@Korenschoof.nl")),
    ("contact_phone", say("06-12345678")),
    ("source", say("via de bank of een ondernemersvereniging")),
    ("maturity", say("een 6")),
    ("consent_privacy", say("ja hoor", "affirm", 0.95)),
    ("consent_followup", say("ja", "affirm", 0.97)),
    ("summary_confirmed", say("nee, het zijn er 12", "deny", 0.7)),
    ("summary_confirmed", say("ja klopt", "affirm", 0.98)),
]


async def test_smooth_intake_of_a_bakery(domain):
    slots, transcript = await converse(BAKERY, domain)
    assert slots["summary_confirmed"] is True
    summaries = [text for who, text in transcript if who == "bot" and "Klopt dit?" in text]
    assert len(summaries) == 2
    assert "Aantal mensen: 8" in summaries[0] and "Aantal mensen: 12" in summaries[1]
    assert "Onderwerp: online marketing en verkoop" in summaries[1]

    payload = ticket_payload("web-3c9d7e21", slots)
    assert_backend_accepts(payload)
    assert payload["conversation_id"] == "web-3c9d7e21"
    assert payload["question"].startswith("Hoi! We hebben een bakkerij")
    assert payload["theme"] == "online_marketing_sales"
    assert payload["company"] == {"name": "Bakkerij De Korenschoof", "sector": "bakkerij",
                                  "employees": 12, "postcode": "3511 AB", "place": "Utrecht",
                                  "kvk_number": "12345678"}
    assert payload["contact"] == {"name": "Anne de Vries", "email": "anne@korenschoof.nl",
                                  "phone": "+31612345678"}
    assert payload["consent"] == {"privacy": True, "followup": True}
    assert payload["intake"] == {"source": "intermediair (bank, vereniging)", "maturity": 6}
    assert payload["details"]["urgency"] == "binnen 3 maanden"
    assert payload["details"]["tried"] == "nog niks eigenlijk"
    assert payload["details"]["eligibility"] == "ok"

    sent, events, messages = await submit(slots, domain)
    assert sent == [payload]
    assert {e["name"]: e["value"] for e in events}["intake_outcome"] == "ticket"
    assert "DW-2025-00107" in messages[0]["text"]


HAIRDRESSER = [
    ("need_description", need("website", marketing=0.45, automation=0.35, data=0.15,
                              other=0.05)),
    ("need_problem", need("ik wil dat mensen online kunnen boeken en dat mn agenda automatisch "
                          "bijgewerkt wordt", automation=0.5, marketing=0.42, data=0.05,
                          other=0.03)),
    ("need_goal", need("minder bellen", automation=0.4, marketing=0.4, other=0.2)),
    ("need_tried", say("nee", "deny", 0.8)),
    ("need_urgency", say("geen spoed, na de zomer")),
    ("theme_choice", say("automatisering van je werk")),
    ("company_name", say("Kapsalon Anna")),
    ("sector", say("kapper")),
    ("employees", say("ik ben zzp'er")),
    ("eligibility_insist", say("ja, toch aanvragen", "affirm", 0.9)),
    ("postcode", say("1234 AB")),
    ("place", say("in zwolle")),
    ("kvk_number", say("weet ik niet", "dont_know", 0.96)),
    ("contact_name", say("Anna")),
    ("contact_email", say("anna@")),
    ("contact_email", say("anna punt jansen apenstaartje gmail punt com")),
    ("contact_phone", say("overslaan")),
    ("source", say("instagram")),
    ("maturity", say("11")),
    ("maturity", say("7 van de 10")),
    ("consent_privacy", say("wat doen jullie eigenlijk met mijn gegevens?", "ask_privacy", 0.91)),
    ("consent_privacy", say("ja hoor", "affirm", 0.95)),
    ("consent_followup", say("nee", "deny", 0.95)),
    ("summary_confirmed", say("nee", "deny", 0.96)),
    ("summary_confirmed", say("wijzig e-mail")),
    ("contact_email", say("anna@kapsalonanna.nl")),
    ("summary_confirmed", say("ja klopt", "affirm", 0.98)),
]


async def test_messy_whatsapp_intake_of_a_self_employed_hairdresser(domain):
    slots, transcript = await converse(HAIRDRESSER, domain, sender="wa-31687654321")
    bot = [text for who, text in transcript if who == "bot"]
    assert any("Voor zzp'ers heeft KVK" in text for text in bot)
    assert any("naam@bedrijf.nl" in text for text in bot)  # the e-mail retry
    assert "utter_privacy" in bot  # the interruption was answered
    assert sum("Mogen we je antwoorden bewaren" in text for text in bot) == 2
    assert any("Wat klopt er niet?" in text for text in bot)

    payload = ticket_payload("wa-31687654321", slots)
    assert_backend_accepts(payload)
    assert payload["question"] == ("website ik wil dat mensen online kunnen boeken en dat mn "
                                   "agenda automatisch bijgewerkt wordt")
    assert payload["theme"] == "automatisering"
    assert payload["themes"][0] == {"theme": "automatisering", "confidence": 1.0}
    assert payload["company"] == {"name": "Kapsalon Anna", "sector": "kapper", "employees": 1,
                                  "postcode": "1234 AB", "place": "Zwolle", "kvk_number": None}
    assert payload["contact"] == {"name": "Anna", "email": "anna@kapsalonanna.nl",
                                  "phone": None}
    assert payload["consent"] == {"privacy": True, "followup": False}
    assert payload["intake"] == {"source": "social media", "maturity": 7}
    assert payload["details"]["problem"].startswith("ik wil dat mensen online kunnen boeken")
    assert payload["details"]["tried"] == "nog niks"
    assert payload["details"]["urgency"] == "geen haast"
    assert payload["details"]["eligibility"] == "zzp"

    sent, _events, _messages = await submit(slots, domain, sender="wa-31687654321")
    assert sent == [payload]


async def test_large_company_that_does_not_insist_gets_no_ticket(domain):
    script = [
        ("need_description", need("Wij willen al onze fabrieksdata in een centraal dashboard "
                                  "zien zodat de planning beter wordt", data=0.8,
                                  automation=0.15, other=0.05)),
        ("need_goal", say("betere planning")),
        ("need_tried", say("een paar tools bekeken")),
        ("need_urgency", say("dit kwartaal")),
        ("company_name", say("Metaalwerken Noord BV")),
        ("sector", say("metaal")),
        ("employees", say("ongeveer 400 fte")),
        ("eligibility_insist", say("nee dank je", "deny", 0.9)),
    ]
    slots, transcript = await converse(script, domain)
    assert any("rom-nederland.nl" in text for who, text in transcript if who == "bot")
    assert slots["eligibility"] == "large" and slots["eligibility_insist"] is False
    assert next_question(slots) is None
    sent, events, _messages = await submit(slots, domain)
    assert sent == []
    assert {e["name"]: e["value"] for e in events} == {"intake_outcome": "referred"}


async def test_no_privacy_consent_ends_without_a_ticket(domain):
    script = BAKERY[:14] + [("consent_privacy", say("nee, liever niet", "deny", 0.93))]
    slots, _transcript = await converse(script, domain)
    assert slots["consent_privacy"] is False
    assert next_question(slots) is None
    sent, events, _messages = await submit(slots, domain)
    assert sent == []
    assert {e["name"]: e["value"] for e in events} == {"intake_outcome": "no_consent"}
