"""Which intake questions are asked, in which order, given what is known so far.
Pure: takes the slot values, returns slot names (the form asks the first one still empty)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.theme_scores import aggregate, is_unsure

NEED = ["need_description", "need_problem", "need_goal", "need_tried", "need_urgency"]
COMPANY = ["company_name", "sector", "employees"]
CONTACT = ["postcode", "place", "kvk_number", "contact_name", "contact_email", "contact_phone",
           "source", "maturity", "consent_privacy"]
CLOSING = ["consent_followup", "summary_confirmed"]
INELIGIBLE = ("zzp", "large", "private")
SHORT_DESCRIPTION_WORDS = 8


def theme_scores_of(slots: Mapping) -> dict[str, float]:
    evidence = slots.get("theme_evidence") or []
    return aggregate((scores, weight) for scores, weight in evidence)


def required_slots(slots: Mapping) -> list[str]:
    order = ["need_description"]
    if slots.get("eligibility") in INELIGIBLE:
        order.append("eligibility_insist")
        if slots.get("eligibility_insist") is False:
            return order  # referred: nothing more to ask, no ticket
    description = str(slots.get("need_description") or "")
    if description and len(description.split()) < SHORT_DESCRIPTION_WORDS:
        order.append("need_problem")
    order += NEED[2:]
    if slots.get("theme_choice") is not None or (
        slots.get("need_urgency") is not None and is_unsure(theme_scores_of(slots))
    ):
        order.append("theme_choice")
    order += COMPANY
    order += CONTACT
    if slots.get("consent_privacy") is False:
        return order  # no consent: no ticket
    return order + CLOSING


def unknown(value) -> bool:
    return value is None or value == ""
