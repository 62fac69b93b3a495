"""Shared helpers for the intake form's validators."""

from __future__ import annotations

from rasa_sdk import Tracker

MAX_TRIES = 3


def latest_intent(tracker: Tracker) -> tuple[str, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


def intent_is(tracker: Tracker, name: str, threshold: float = 0.6) -> bool:
    """True when the NLU ranks `name` first or, after a fallback, first among the real intents."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    real = [i for i in ranking if i.get("name") != "nlu_fallback"]
    return bool(real) and real[0].get("name") == name and float(
        real[0].get("confidence") or 0
    ) >= threshold


def intent_ranking(tracker: Tracker) -> list[dict]:
    return list((tracker.latest_message or {}).get("intent_ranking") or [])


def retry(tracker: Tracker, slot: str) -> tuple[int, dict]:
    """Count a failed answer for `slot`: (tries so far, slot update to return)."""
    retries = dict(tracker.get_slot("retries") or {})
    retries[slot] = int(retries.get(slot, 0)) + 1
    return retries[slot], {"retries": retries}


def text_of(value) -> str:
    return str(value or "").strip()
