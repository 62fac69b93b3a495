"""The fixed vocabulary of config/werkplaatsen.yml: themes, offers (the menukaart) and urgencies."""

from __future__ import annotations

THEMES = ("online_marketing_sales", "data", "automatisering", "overig")

# Offer key -> the label staff see (also what Ticket.offer stores: a coordinator's choice).
OFFER_LABELS = {
    "kort_project": "kort project",
    "project_10_20_weken": "project 10-20 weken",
    "hackathon": "hackathon",
    "webinar_masterclass": "webinar/masterclass",
    "helpdeskuur": "helpdesk-uur",
    "werkstudent": "werkstudent",
    "doorverwijzing": "doorverwijzing",
}
OFFER_KEYS = tuple(OFFER_LABELS)
# Offers that need students at work; the others go on when no students are available.
STUDENT_OFFERS = frozenset({"kort_project", "project_10_20_weken", "hackathon", "werkstudent"})
ALTERNATIVES = tuple(key for key in OFFER_KEYS if key not in STUDENT_OFFERS)

# What the intake's need_urgency slot holds (bot/parsing.py parse_urgency, actions).
URGENT = "zo snel mogelijk"
UNKNOWN_URGENCY = "weet ik nog niet"
URGENCIES = (URGENT, "binnen 3 maanden", "geen haast", UNKNOWN_URGENCY)


def offer_key(value: str) -> str | None:
    """The offer key for a key or a staff label ('helpdesk-uur' -> 'helpdeskuur'), or None."""
    if value in OFFER_LABELS:
        return value
    return next((key for key, label in OFFER_LABELS.items() if label == value), None)
