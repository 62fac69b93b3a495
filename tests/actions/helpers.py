"""Build rasa_sdk Trackers from JSON fixtures, the way Rasa hands them to the action server.

A fixture (tests/actions/fixtures/<name>.json) describes one moment in a conversation:

    {"sender_id": "...", "requested_slot": "contact_email", "slots": {...},
     "latest_message": {"text": "...", "intent": {...}, "intent_ranking": [...]}}

While the intake form is active, every form slot is filled `from_text` when it is requested, so
Rasa calls validate_intake_form with the user's text already set as a candidate value of the
requested slot (a trailing SlotSet event). build_tracker does the same.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
# Intents excluded by `not_intent` in every form slot mapping: no candidate value.
NOT_INTENT = {"stop", "restart", "human_handoff"}
_UNSET = object()


def load_domain() -> dict:
    with open(ROOT / "domain.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_fixture(name: str) -> dict:
    with open(FIXTURES / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)


def message(text: str, intent: str = "inform", confidence: float = 0.9,
            ranking: list[dict] | None = None) -> dict:
    """A parsed user message; `ranking` defaults to the one intent (plus a low 'inform')."""
    if ranking is None:
        ranking = [{"name": intent, "confidence": confidence}]
        if intent != "inform":
            ranking.append({"name": "inform", "confidence": round(1 - confidence, 3)})
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": ranking, "entities": []}


def build_tracker(fixture: str | dict, *, text: str | None = None, intent: str | None = None,
                  confidence: float | None = None, ranking: list[dict] | None = None,
                  slots: dict | None = None, requested_slot: Any = _UNSET,
                  domain: dict | None = None) -> Tracker:
    """A Tracker from a fixture; keyword arguments override the fixture's message and slots."""
    state = copy.deepcopy(load_fixture(fixture) if isinstance(fixture, str) else fixture)
    domain = domain or load_domain()
    all_slots: dict[str, Any] = {name: None for name in domain["slots"]}
    all_slots["requested_slot"] = None
    all_slots.update(state.get("slots") or {})
    all_slots.update(slots or {})
    requested = state.get("requested_slot") if requested_slot is _UNSET else requested_slot
    all_slots["requested_slot"] = requested

    latest = dict(state.get("latest_message") or {})
    if text is not None or intent is not None or confidence is not None or ranking is not None:
        old = latest.get("intent") or {}
        latest = message(
            text if text is not None else latest.get("text", ""),
            intent or (old.get("name") if text is None else None) or "inform",
            confidence if confidence is not None
            else float(old.get("confidence") or 0.9) if text is None else 0.9,
            ranking,
        )

    events: list[dict] = [{"event": "action", "name": "intake_form"},
                          {"event": "user", "text": latest.get("text"), "parse_data": latest}]
    intent_name = (latest.get("intent") or {}).get("name")
    if requested and latest.get("text") is not None and intent_name not in NOT_INTENT:
        all_slots[requested] = latest["text"]
        events.append({"event": "slot", "timestamp": None, "name": requested,
                       "value": latest["text"]})
    return Tracker(
        sender_id=state.get("sender_id", "test-user"),
        slots=all_slots,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "intake_form"} if requested else {},
        latest_action_name="action_listen",
    )


def slot_events(events: list[dict]) -> dict:
    """{slot: value} of the SlotSet events, in order (the last one wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(dispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def responses(dispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages if m.get("response")]


async def run_form(tracker: Tracker, domain: dict):
    """Run the real validate_intake_form: (events, dispatcher, {slot: value} of the events)."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.intake_form import ValidateIntakeForm

    dispatcher = CollectingDispatcher()
    events = await ValidateIntakeForm().run(dispatcher, tracker, domain)
    return events, dispatcher, slot_events(events)
