"""actions.form_order: which question comes next, given what is known."""

from __future__ import annotations

import pytest

from actions import form_order

SURE = [[{"online_marketing_sales": 0.85, "data": 0.05, "automatisering": 0.05,
          "overig": 0.05}, 20]]
UNSURE = [[{"online_marketing_sales": 0.4, "data": 0.35, "automatisering": 0.2,
            "overig": 0.05}, 20]]
LONG = "We willen meer klanten via de website maar niemand hier weet hoe dat moet"
FULL_COMPANY = {"company_name": "Bakkerij Jansen", "sector": "bakkerij", "employees": 8,
                "eligibility": "ok"}


def next_question(slots: dict) -> str | None:
    return next((s for s in form_order.required_slots(slots) if slots.get(s) is None), None)


def test_an_empty_intake_starts_with_the_question_in_own_words():
    assert next_question({}) == "need_description"


def test_a_long_description_skips_the_follow_up_question():
    order = form_order.required_slots({"need_description": LONG})
    assert "need_problem" not in order
    assert next_question({"need_description": LONG}) == "need_goal"


@pytest.mark.parametrize("description", ["website", "meer klanten", "iets met data ofzo",
                                         "planning kost te veel tijd"])
def test_a_short_description_gets_a_follow_up_question(description):
    assert next_question({"need_description": description}) == "need_problem"


def test_theme_choice_is_not_asked_before_urgency():
    slots = {"need_description": LONG, "need_goal": "x", "need_tried": "x",
             "theme_evidence": UNSURE}
    assert "theme_choice" not in form_order.required_slots(slots)
    assert next_question(slots) == "need_urgency"


@pytest.mark.parametrize(("evidence", "asked"), [(UNSURE, True), (SURE, False)])
def test_theme_choice_only_when_the_themes_are_unsure(evidence, asked):
    slots = {"need_description": LONG, "need_goal": "x", "need_tried": "x",
             "need_urgency": "geen haast", "theme_evidence": evidence}
    assert ("theme_choice" in form_order.required_slots(slots)) is asked
    assert next_question(slots) == ("theme_choice" if asked else "company_name")


def test_theme_choice_stays_in_the_form_once_answered():
    slots = {"need_description": LONG, "need_urgency": "geen haast", "theme_evidence": SURE,
             "theme_choice": "data"}
    assert "theme_choice" in form_order.required_slots(slots)


@pytest.mark.parametrize("eligibility", ["zzp", "large", "private"])
def test_insist_is_asked_right_after_an_eligibility_signal(eligibility):
    slots = {"need_description": LONG, "need_goal": "x", "need_tried": "x",
             "need_urgency": "geen haast", "theme_evidence": SURE,
             **FULL_COMPANY, "eligibility": eligibility}
    order = form_order.required_slots(slots)
    assert order[:2] == ["need_description", "eligibility_insist"]
    assert next_question(slots) == "eligibility_insist"


@pytest.mark.parametrize("eligibility", ["zzp", "large", "private"])
def test_nothing_more_is_asked_after_insist_false(eligibility):
    slots = {"need_description": LONG, "eligibility": eligibility, "eligibility_insist": False}
    assert form_order.required_slots(slots) == ["need_description", "eligibility_insist"]
    assert next_question(slots) is None


def test_insist_true_continues_the_intake():
    slots = {"need_description": LONG, "need_goal": "x", "need_tried": "x",
             "need_urgency": "geen haast", "theme_evidence": SURE, **FULL_COMPANY,
             "eligibility": "zzp", "employees": 1, "eligibility_insist": True}
    assert next_question(slots) == "postcode"


def test_no_eligibility_question_for_an_ok_business():
    assert "eligibility_insist" not in form_order.required_slots(
        {"need_description": LONG, **FULL_COMPANY})


def test_no_privacy_consent_ends_the_form_without_closing_questions():
    order = form_order.required_slots({"need_description": LONG, "consent_privacy": False})
    assert order[-1] == "consent_privacy"
    assert "summary_confirmed" not in order


def test_full_order_for_a_normal_intake():
    assert form_order.required_slots({"need_description": LONG, "consent_privacy": True}) == [
        "need_description", "need_goal", "need_tried", "need_urgency",
        "company_name", "sector", "employees",
        "postcode", "place", "kvk_number", "contact_name", "contact_email", "contact_phone",
        "source", "maturity", "consent_privacy", "consent_followup", "summary_confirmed",
    ]


def test_empty_string_means_answered_with_unknown():
    slots = {"need_description": LONG, "need_goal": "weet ik nog niet", "need_tried": "",
             "need_urgency": ""}
    assert next_question(slots) == "company_name"
    assert form_order.unknown("") and form_order.unknown(None)
    assert not form_order.unknown(0) and not form_order.unknown(False)


def test_form_order_slots_all_exist_in_the_domain(domain):
    every = set(form_order.NEED + form_order.COMPANY + form_order.CONTACT + form_order.CLOSING)
    every |= {"theme_choice", "eligibility_insist"}
    assert every == set(domain["forms"]["intake_form"]["required_slots"])
