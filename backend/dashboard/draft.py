"""The draft ticket: what the bot has collected so far in a conversation that has no ticket yet.

Read from Rasa's tracker (its HTTP API, token protected, loopback only), with a short timeout:
the conversation page must open quickly even when Rasa is slow or down."""

from __future__ import annotations

import httpx

from backend.settings import Settings

# Slot -> label, in the order the intake asks (domain.yml); other slots are not shown.
FIELDS = {
    "need_description": "Vraag",
    "need_problem": "Wat gaat er niet goed",
    "need_goal": "Doel",
    "need_tried": "Al geprobeerd",
    "need_urgency": "Hoe snel",
    "theme": "Thema (voorlopig)",
    "company_name": "Bedrijf",
    "sector": "Branche",
    "employees": "Aantal medewerkers",
    "postcode": "Postcode",
    "place": "Plaats",
    "kvk_number": "KvK-nummer",
    "contact_name": "Contactpersoon",
    "contact_email": "E-mail",
    "contact_phone": "Telefoon",
    "source": "Hoe gehoord",
    "maturity": "Digitale volwassenheid (1-10)",
    "werkplaats": "Werkplaats",
}
TIMEOUT = 2.0


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value if v not in (None, ""))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return "" if value is None else str(value).strip()


def from_slots(slots: dict) -> list[tuple[str, str]]:
    """[(label, value)] for the slots that hold something."""
    rows = []
    for slot, label in FIELDS.items():
        text = _show(slots.get(slot))
        if text:
            rows.append((label, text[:1000]))
    return rows


async def fetch_draft(settings: Settings, conversation_id: str) -> list[tuple[str, str]] | None:
    """The draft, or None when Rasa cannot tell us right now."""
    url = f"{settings.rasa_url}/conversations/{conversation_id}/tracker"
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.get(url, params={"token": settings.rasa_token,
                                                     "include_events": "NONE"})
        response.raise_for_status()
        slots = response.json().get("slots")
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return from_slots(slots) if isinstance(slots, dict) else None
