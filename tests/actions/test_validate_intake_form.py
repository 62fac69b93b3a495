"""validate_intake_form on tracker fixtures: order, validators, retries, interruptions, summary."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.intake_form import ValidateIntakeForm
from tests.actions.helpers import build_tracker, run_form, texts

MARKETING = [
    {"name": "describe_need_online_marketing_sales", "confidence": 0.81},
    {"name": "describe_need_automatisering", "confidence": 0.12},
    {"name": "describe_need_data", "confidence": 0.04},
    {"name": "describe_need_overig", "confidence": 0.03},
]


def test_name():
    assert ValidateIntakeForm().name() == "validate_intake_form"
    assert ValidateIntakeForm().form_name() == "intake_form"


# --- the question in the entrepreneur's own words -------------------------------------------


async def test_long_description_is_stored_with_theme_evidence(domain):
    tracker = build_tracker("new_intake", domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"].startswith("We hebben een bakkerij")
    [[scores, weight]] = slots["theme_evidence"]
    assert scores["online_marketing_sales"] == pytest.approx(0.81)
    assert weight == 21  # words in the message
    assert slots["requested_slot"] == "need_goal"  # long enough: no follow-up question
    assert dispatcher.messages == []


async def test_short_description_gets_the_follow_up_question(domain):
    tracker = build_tracker("new_intake", text="website", ranking=MARKETING, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"] == "website"
    assert slots["requested_slot"] == "need_problem"


async def test_follow_up_adds_theme_evidence(domain):
    tracker = build_tracker("need_followups", domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_problem"].startswith("onze website is oud")
    assert len(slots["theme_evidence"]) == 2
    assert slots["theme_evidence"][1][1] == 13
    assert slots["requested_slot"] == "need_goal"


@pytest.mark.parametrize("text", ["weet ik niet", "geen idee", "?", "ok"])
async def test_dont_know_description_is_asked_again_with_examples(domain, text):
    tracker = build_tracker("new_intake", text=text, intent="dont_know", domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"] is None
    assert slots["retries"] == {"need_description": 1}
    assert slots["requested_slot"] == "need_description"
    assert "Bijvoorbeeld" in texts(dispatcher)[0]


async def test_third_dont_know_description_moves_on(domain):
    tracker = build_tracker("new_intake", text="geen idee echt niet", intent="dont_know",
                            slots={"retries": {"need_description": 2}}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"] == "weet het nog niet precies"
    assert slots["requested_slot"] == "need_problem"
    assert dispatcher.messages == []


async def test_private_question_is_signalled_and_insist_asked_next(domain):
    tracker = build_tracker("new_intake", text="mijn laptop thuis doet het niet meer",
                            intent="not_a_business", confidence=0.88, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["eligibility"] == "private"
    assert slots["requested_slot"] == "eligibility_insist"


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("need_problem", "weet ik niet", ""),
        ("need_goal", "meer bestellingen via de site", "meer bestellingen via de site"),
        ("need_goal", "geen idee", "weet ik nog niet"),
        ("need_tried", "nee", "nog niks"),
        ("need_tried", "weet ik niet", "nog niks"),
        ("need_tried", "een keer een cursus gedaan", "een keer een cursus gedaan"),
        ("need_urgency", "zsm!!", "zo snel mogelijk"),
        ("need_urgency", "na de zomer", "binnen 3 maanden"),
        ("need_urgency", "geen spoed", "geen haast"),
        ("need_urgency", "weet ik niet", "weet ik nog niet"),
    ],
)
async def test_need_follow_ups(domain, slot, text, expected):
    tracker = build_tracker("need_followups", text=text, requested_slot=slot,
                            slots={"need_problem": "x"}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots[slot] == expected
    assert slots["requested_slot"] != slot
    assert dispatcher.messages == []


UNSURE_EVIDENCE = [[{"online_marketing_sales": 0.4, "data": 0.35, "automatisering": 0.2,
                     "overig": 0.05}, 20]]


async def test_unsure_themes_ask_theme_choice_after_urgency(domain):
    tracker = build_tracker("need_followups", text="binnen een paar weken",
                            requested_slot="need_urgency",
                            slots={"need_problem": "x", "need_goal": "x", "need_tried": "x",
                                   "theme_evidence": UNSURE_EVIDENCE}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_urgency"] == "binnen 3 maanden"
    assert slots["requested_slot"] == "theme_choice"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("online marketing en verkoop", "online_marketing_sales"),
        ("slimmer werken met gegevens (data)", "data"),
        ("Automatisering van je werk", "automatisering"),
        ("iets anders", "overig"),
        ("data", "data"),
        ("vooral de website", "online_marketing_sales"),
        ("meerdere", "meerdere"),
        ("allebei eigenlijk", "meerdere"),
        ("weet ik niet", "meerdere"),
    ],
)
async def test_theme_choice(domain, text, expected):
    tracker = build_tracker("company", text=text, requested_slot="theme_choice",
                            slots={"theme_evidence": UNSURE_EVIDENCE}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["theme_choice"] == expected
    assert slots["requested_slot"] == "company_name"


async def test_unclear_theme_choice_is_asked_once_more_then_meerdere(domain):
    state = {"theme_evidence": UNSURE_EVIDENCE}
    tracker = build_tracker("company", text="pfff lastig", requested_slot="theme_choice",
                            slots=state, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["theme_choice"] is None
    assert slots["requested_slot"] == "theme_choice"
    assert "knoppen" in texts(dispatcher)[0]

    tracker = build_tracker("company", text="de website en de administratie",
                            requested_slot="theme_choice",
                            slots={**state, "retries": slots["retries"]}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["theme_choice"] == "meerdere"
    assert slots["requested_slot"] == "company_name"


# --- company details and eligibility -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Schildersbedrijf Van Dijk", "Schildersbedrijf Van Dijk"),
     ("het bedrijf heet Van Dijk & Zn.", "Van Dijk & Zn"),
     ("ons bedrijf heet 'De Kwast'", "De Kwast")],
)
async def test_company_name(domain, text, expected):
    tracker = build_tracker("company", text=text, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] == expected
    assert slots["requested_slot"] == "sector"


async def test_company_name_unknown_is_asked_once_more_then_onbekend(domain):
    tracker = build_tracker("company", text="weet ik niet", domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] is None
    assert slots["requested_slot"] == "company_name"
    assert "eigen naam" in texts(dispatcher)[0]

    tracker = build_tracker("company", text="weet ik niet", slots={"retries": slots["retries"]},
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] == "onbekend"
    assert slots["requested_slot"] == "sector"


async def test_company_name_of_a_private_person(domain):
    tracker = build_tracker("company", text="ik heb geen bedrijf, het is voor mezelf",
                            intent="not_a_business", confidence=0.9, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] is None
    assert slots["eligibility"] == "private"
    assert slots["requested_slot"] == "eligibility_insist"

    tracker = build_tracker("company", text="ik heb geen bedrijf", intent="not_a_business",
                            slots={"eligibility": "private", "eligibility_insist": True},
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] == "particulier"
    assert slots["requested_slot"] == "sector"


@pytest.mark.parametrize(("text", "expected"),
                         [("we zitten in de bouw", "bouw"), ("Horeca", "Horeca"),
                          ("we hebben een kapsalon", "kapsalon")])
async def test_sector(domain, text, expected):
    tracker = build_tracker("company", text=text, requested_slot="sector",
                            slots={"company_name": "Van Dijk"}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["sector"] == expected
    assert slots["requested_slot"] == "employees"


async def test_sector_unknown_twice_is_onbekend(domain):
    base = {"company_name": "Van Dijk"}
    tracker = build_tracker("company", text="geen idee", requested_slot="sector", slots=base,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["sector"] is None and "kapsalon" in texts(dispatcher)[0]
    tracker = build_tracker("company", text="weet niet", requested_slot="sector",
                            slots={**base, "retries": slots["retries"]}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["sector"] == "onbekend"


COMPANY_DONE = {"company_name": "Van Dijk", "sector": "schilders"}


@pytest.mark.parametrize(
    ("text", "count", "eligibility", "next_slot"),
    [
        ("we zijn met z'n vijven", 5, "ok", "postcode"),
        ("12 man", 12, "ok", "postcode"),
        ("ik en 2 parttimers", 3, "ok", "postcode"),
        ("ik ben zzp'er", 1, "zzp", "eligibility_insist"),
        ("alleen ik", 1, "zzp", "eligibility_insist"),
        ("ruim 300 man", 300, "large", "eligibility_insist"),
        ("250", 250, "ok", "postcode"),
    ],
)
async def test_employees_and_eligibility(domain, text, count, eligibility, next_slot):
    tracker = build_tracker("company", text=text, requested_slot="employees",
                            slots=COMPANY_DONE, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["employees"] == count
    assert slots["eligibility"] == eligibility
    assert slots["requested_slot"] == next_slot


async def test_zzp_fixture_asks_insist_right_away(domain):
    _events, _dispatcher, slots = await run_form(build_tracker("zzp_signal", domain=domain),
                                                 domain)
    assert slots["employees"] == 1
    assert slots["eligibility"] == "zzp"
    assert slots["requested_slot"] == "eligibility_insist"


async def test_employees_not_understood_three_times_moves_on(domain):
    retries = None
    for attempt, text in enumerate(["veel", "weet ik niet", "best wel wat"], start=1):
        tracker = build_tracker("company", text=text, requested_slot="employees",
                                slots={**COMPANY_DONE, "retries": retries}, domain=domain)
        _events, dispatcher, slots = await run_form(tracker, domain)
        retries = slots["retries"]
        assert retries["employees"] == attempt
        if attempt < 3:
            assert slots["employees"] is None
            assert slots["requested_slot"] == "employees"
            expected = "schatting" if text == "weet ik niet" else "Typ een getal"
            assert expected in texts(dispatcher)[0]
    assert slots["employees"] == ""
    assert slots["requested_slot"] == "postcode"


@pytest.mark.parametrize(
    ("text", "intent", "expected", "next_slot"),
    [
        ("ja", "affirm", True, "postcode"),
        ("ja, toch aanvragen", "affirm", True, "postcode"),
        ("nee", "deny", False, None),
        ("nee dank je", "deny", False, None),
        ("doe toch maar wel", "affirm", True, "postcode"),
        ("laat maar zitten", "deny", False, None),
    ],
)
async def test_eligibility_insist(domain, text, intent, expected, next_slot):
    tracker = build_tracker("zzp_signal", text=text, intent=intent, confidence=0.9,
                            requested_slot="eligibility_insist",
                            slots={"employees": 1, "eligibility": "zzp"}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["eligibility_insist"] is expected
    assert slots["requested_slot"] == next_slot


async def test_eligibility_insist_unclear_is_asked_again(domain):
    tracker = build_tracker("zzp_signal", text="hoezo?", intent="inform", confidence=0.5,
                            requested_slot="eligibility_insist",
                            slots={"employees": 1, "eligibility": "zzp"}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["eligibility_insist"] is None
    assert slots["requested_slot"] == "eligibility_insist"
    assert "'ja'" in texts(dispatcher)[0]


LOCATION = {**COMPANY_DONE, "employees": 6, "eligibility": "ok"}


@pytest.mark.parametrize(
    ("text", "postcode", "place", "next_slot"),
    [
        ("3511ab utrecht", "3511 AB", "Utrecht", "kvk_number"),
        ("postcode 6811 KA in Arnhem", "6811 KA", "Arnhem", "kvk_number"),
        ("1234 AB", "1234 AB", None, "place"),
    ],
)
async def test_postcode(domain, text, postcode, place, next_slot):
    tracker = build_tracker("company", text=text, requested_slot="postcode", slots=LOCATION,
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert (slots["postcode"], slots["place"]) == (postcode, place)
    assert slots["requested_slot"] == next_slot


async def test_postcode_retries_keep_the_place_and_give_up_after_three(domain):
    retries = None
    for attempt, text in enumerate(["Utrecht", "12345", "weet ik niet"], start=1):
        tracker = build_tracker("company", text=text, requested_slot="postcode",
                                slots={**LOCATION, "retries": retries,
                                       "place": "Utrecht" if attempt > 1 else None},
                                domain=domain)
        _events, dispatcher, slots = await run_form(tracker, domain)
        retries = slots["retries"]
        assert slots["place"] == "Utrecht"
        if attempt < 3:
            assert slots["postcode"] is None
            assert "4 cijfers en 2 letters" in texts(dispatcher)[0]
    assert slots["postcode"] == ""
    assert slots["requested_slot"] == "kvk_number"


async def test_place(domain):
    tracker = build_tracker("company", text="in zwolle", requested_slot="place",
                            slots={**LOCATION, "postcode": "8011 AB"}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["place"] == "Zwolle"
    assert slots["requested_slot"] == "kvk_number"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12345678", "12345678"), ("1234 5678", "12345678"), ("kvk 12.34.56.78", "12345678"),
     ("weet ik niet", ""), ("geen", ""), ("heb ik niet bij de hand", ""), ("nee", "")],
)
async def test_kvk_number(domain, text, expected):
    tracker = build_tracker("company", text=text, requested_slot="kvk_number",
                            slots={**LOCATION, "postcode": "8011 AB", "place": "Zwolle"},
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["kvk_number"] == expected
    assert slots["requested_slot"] == "contact_name"
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["1234567", "123456789"])
async def test_kvk_number_wrong_length_is_asked_once_more(domain, text):
    base = {**LOCATION, "postcode": "8011 AB", "place": "Zwolle"}
    tracker = build_tracker("company", text=text, requested_slot="kvk_number", slots=base,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["kvk_number"] is None
    assert "8 cijfers" in texts(dispatcher)[0]
    tracker = build_tracker("company", text=text, requested_slot="kvk_number",
                            slots={**base, "retries": slots["retries"]}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["kvk_number"] == ""
    assert slots["requested_slot"] == "contact_name"
    assert "later samen op" in texts(dispatcher)[0]


# --- contact details, impact monitor, consent ----------------------------------------------


@pytest.mark.parametrize(("text", "expected"),
                         [("Ik ben Kees", "Kees"), ("mijn naam is Fatima El Amrani", "Fatima El "
                                                    "Amrani")])
async def test_contact_name(domain, text, expected):
    tracker = build_tracker("contact", text=text, requested_slot="contact_name",
                            slots={"contact_name": None}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_name"] == expected
    assert slots["requested_slot"] == "contact_email"


async def test_contact_name_not_a_name(domain):
    tracker = build_tracker("contact", text="weet ik niet", requested_slot="contact_name",
                            slots={"contact_name": None}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_name"] is None
    assert "voornaam" in texts(dispatcher)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kees@vandijkschilders.nl", "kees@vandijkschilders.nl"),
        ("Kees@VanDijkSchilders.NL", "kees@vandijkschilders.nl"),
        ("mijn mail is kees@vandijk.nl", "kees@vandijk.nl"),
        ("kees punt van dijk apenstaartje gmail punt com", "kees.vandijk@gmail.com"),
        ("mijn mail is kees apenstaartje ziggo punt nl", "kees@ziggo.nl"),
        ("geen", ""),
        ("heb ik niet", ""),
    ],
)
async def test_contact_email(domain, text, expected):
    _events, dispatcher, slots = await run_form(
        build_tracker("contact", text=text, domain=domain), domain)
    assert slots["contact_email"] == expected
    assert slots["requested_slot"] == "contact_phone"
    assert dispatcher.messages == []


async def test_invalid_email_three_times_moves_on_to_the_phone(domain):
    retries = None
    for attempt, text in enumerate(["kees@", "kees at vandijk", "kees.vandijk.nl"], start=1):
        tracker = build_tracker("contact", text=text, slots={"retries": retries}, domain=domain)
        _events, dispatcher, slots = await run_form(tracker, domain)
        retries = slots["retries"]
        assert retries["contact_email"] == attempt
        if attempt < 3:
            assert slots["contact_email"] is None
            assert slots["requested_slot"] == "contact_email"
            assert "naam@bedrijf.nl" in texts(dispatcher)[0]
    assert slots["contact_email"] == ""
    assert slots["requested_slot"] == "contact_phone"
    assert "telefoonnummer" in texts(dispatcher)[0]


PHONE_STEP = {"contact_email": "kees@vandijkschilders.nl"}


@pytest.mark.parametrize(
    ("text", "email", "expected"),
    [
        ("06-12345678", "kees@vandijkschilders.nl", "+31612345678"),
        ("+31 6 1234 5678", "", "+31612345678"),
        ("(038) 123 45 67", "", "+31381234567"),
        ("overslaan", "kees@vandijkschilders.nl", ""),
        ("liever niet", "kees@vandijkschilders.nl", ""),
    ],
)
async def test_contact_phone(domain, text, email, expected):
    tracker = build_tracker("contact", text=text, requested_slot="contact_phone",
                            slots={"contact_email": email}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_phone"] == expected
    assert slots["requested_slot"] == "source"
    assert dispatcher.messages == []


async def test_phone_cannot_be_skipped_without_an_email(domain):
    tracker = build_tracker("contact", text="geen", requested_slot="contact_phone",
                            slots={"contact_email": ""}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_phone"] is None
    assert slots["requested_slot"] == "contact_phone"
    assert "helpdesk" in texts(dispatcher)[0]


async def test_wrong_phone_with_email_gives_up_after_three_tries(domain):
    retries = None
    for attempt in (1, 2, 3):
        tracker = build_tracker("contact", text="12345", requested_slot="contact_phone",
                                slots={**PHONE_STEP, "retries": retries}, domain=domain)
        _events, dispatcher, slots = await run_form(tracker, domain)
        retries = slots["retries"]
        if attempt < 3:
            assert slots["contact_phone"] is None
            assert "06 12345678" in texts(dispatcher)[0]
    assert slots["contact_phone"] == ""
    assert slots["requested_slot"] == "source"


async def test_wrong_phone_without_email_points_to_the_helpdesk_after_three_tries(domain):
    tracker = build_tracker("contact", text="12345", requested_slot="contact_phone",
                            slots={"contact_email": "", "retries": {"contact_phone": 2}},
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_phone"] is None
    assert slots["requested_slot"] == "contact_phone"
    assert "helpdesk" in texts(dispatcher)[0]


AFTER_PHONE = {**PHONE_STEP, "contact_phone": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("via de bank of een ondernemersvereniging", "intermediair (bank, vereniging)"),
        ("via de Rabobank", "intermediair (bank, vereniging)"),
        ("via een onderwijsinstelling", "onderwijsinstelling"),
        ("de gemeente", "gemeente"),
        ("via een ander bedrijf", "ander bedrijf"),
        ("op Instagram gezien", "social media"),
        ("gegoogled", "website / loket"),
        ("weet ik niet meer", "onbekend"),
        ("mijn schoonzus", "anders: mijn schoonzus"),
    ],
)
async def test_source(domain, text, expected):
    tracker = build_tracker("contact", text=text, requested_slot="source", slots=AFTER_PHONE,
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["source"] == expected
    assert slots["requested_slot"] == "maturity"


AFTER_SOURCE = {**AFTER_PHONE, "source": "gemeente"}


@pytest.mark.parametrize(("text", "expected"),
                         [("een 6", 6), ("zes", 6), ("7 van de 10", 7), ("weet ik niet", "")])
async def test_maturity(domain, text, expected):
    tracker = build_tracker("contact", text=text, requested_slot="maturity", slots=AFTER_SOURCE,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["maturity"] == expected
    assert slots["requested_slot"] == "consent_privacy"
    assert dispatcher.messages == []


async def test_maturity_out_of_range_twice_moves_on(domain):
    tracker = build_tracker("contact", text="11", requested_slot="maturity", slots=AFTER_SOURCE,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["maturity"] is None
    assert "1 tot 10" in texts(dispatcher)[0]
    tracker = build_tracker("contact", text="11", requested_slot="maturity",
                            slots={**AFTER_SOURCE, "retries": slots["retries"]}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["maturity"] == ""
    assert slots["requested_slot"] == "consent_privacy"


AFTER_MATURITY = {**AFTER_SOURCE, "maturity": 5}


@pytest.mark.parametrize(
    ("text", "intent", "expected", "next_slot"),
    [
        ("ja", "affirm", True, "consent_followup"),
        ("Ja, dat mag", "affirm", True, "consent_followup"),
        ("is goed hoor", "affirm", True, "consent_followup"),
        ("nee", "deny", False, None),
        ("liever niet", "deny", False, None),
        ("hoe bedoel je?", "inform", None, "consent_privacy"),
    ],
)
async def test_consent_privacy(domain, text, intent, expected, next_slot):
    tracker = build_tracker("contact", text=text, intent=intent, confidence=0.9,
                            requested_slot="consent_privacy", slots=AFTER_MATURITY,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["consent_privacy"] is expected
    assert slots["requested_slot"] == next_slot
    assert bool(dispatcher.messages) is (expected is None)


@pytest.mark.parametrize(
    ("text", "expected", "next_slot"),
    [("ja", True, "summary_confirmed"), ("nee, liever niet", False, "summary_confirmed"),
     ("weet ik niet", False, "summary_confirmed"), ("misschien", None, "consent_followup")],
)
async def test_consent_followup(domain, text, expected, next_slot):
    tracker = build_tracker("contact", text=text, requested_slot="consent_followup",
                            slots={**AFTER_MATURITY, "consent_privacy": True}, domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["consent_followup"] is expected
    assert slots["requested_slot"] == next_slot


# --- interruptions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [
        ("ben jij eigenlijk een robot?", "chitchat", "utter_chitchat"),
        ("wat een waardeloze bot ben jij", "insult", "utter_insult"),
        ("wat doen jullie met mijn gegevens?", "ask_privacy", "utter_privacy"),
        ("hallo", "greet", "utter_greet_again"),
        ("dank je", "thanks", "utter_thanks"),
        ("wat wordt het weer morgen", "out_of_scope", "utter_out_of_scope"),
    ],
)
async def test_interruption_is_answered_and_the_same_question_asked_again(
    domain, text, intent, response
):
    tracker = build_tracker("interruption", text=text, intent=intent, confidence=0.92,
                            domain=domain)
    events, dispatcher, _slots = await run_form(tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == [response]
    assert events[:2] == [SlotSet("contact_email", None),
                          SlotSet("requested_slot", "contact_email")]
    counted = {"_interrupted": {"contact_email": 1}}
    assert events[2:] == ([SlotSet("retries", {"_insults": 1})] if intent == "insult" else
                          [SlotSet("retries", counted)] if intent in ("chitchat", "out_of_scope")
                          else [])
    assert response in domain["responses"]


async def test_a_second_insult_hands_over_to_a_student(domain):
    tracker = build_tracker("interruption", text="kut bot", intent="insult", confidence=0.95,
                            domain=domain, slots={"retries": {"_insults": 1}})
    events, dispatcher, _slots = await run_form(tracker, domain)
    assert dispatcher.messages == []  # action_submit_intake tells the entrepreneur
    assert SlotSet("intake_outcome", "frustrated_requested") in events
    assert events[-1] == SlotSet("requested_slot", None)


async def test_a_sensitive_description_keeps_the_answer_and_ends_the_form(domain):
    text = "we zitten diep in de schulden en de deurwaarder staat voor de deur, hoe verder"
    tracker = build_tracker("new_intake", text=text, intent="describe_need_overig",
                            confidence=0.8, domain=domain)
    events, _dispatcher, _slots = await run_form(tracker, domain)
    assert SlotSet("need_description", text) in events
    assert SlotSet("intake_outcome", "sensitive_requested") in events
    assert events[-1] == SlotSet("requested_slot", None)


async def test_interruption_fixture(domain):
    events, dispatcher, _slots = await run_form(build_tracker("interruption", domain=domain),
                                                domain)
    assert dispatcher.messages[0]["response"] == "utter_chitchat"
    assert events[:2] == [SlotSet("contact_email", None),
                          SlotSet("requested_slot", "contact_email")]


@pytest.mark.parametrize(("requested", "text"), [
    ("company_name", "Eetcafé De Gouden Leeuw"),
    ("contact_name", "Frank van Os"),
    ("source", "eh een klant van me vertelde het"),
    ("need_tried", "Ons BI-team heeft er geen capaciteit voor."),
])
async def test_an_open_question_takes_what_sounds_out_of_scope_as_the_answer(
        domain, requested, text):
    tracker = build_tracker("interruption", text=text, intent="out_of_scope", confidence=0.95,
                            requested_slot=requested, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert "utter_out_of_scope" not in [m.get("response") for m in dispatcher.messages]
    assert slots.get(requested) not in (None, "")


async def test_a_question_to_the_bot_at_an_open_question_is_still_an_interruption(domain):
    tracker = build_tracker("interruption", text="ben jij een robot?", intent="chitchat",
                            confidence=0.95, requested_slot="company_name", domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_chitchat"]
    assert slots["company_name"] is None


async def test_out_of_scope_twice_for_the_same_question_is_taken_as_the_answer(domain):
    first = build_tracker("interruption", text="ingrid at peeters punt nl", intent="out_of_scope",
                          confidence=0.95, domain=domain)
    events, dispatcher, slots = await run_form(first, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]
    second = build_tracker("interruption", text="ingrid@peeters.nl", intent="out_of_scope",
                           confidence=0.95, slots={"retries": slots["retries"]}, domain=domain)
    _events, dispatcher2, slots2 = await run_form(second, domain)
    assert "utter_out_of_scope" not in [m.get("response") for m in dispatcher2.messages]
    assert slots2["contact_email"] == "ingrid@peeters.nl"


async def test_low_confidence_chitchat_is_treated_as_an_answer(domain):
    tracker = build_tracker("interruption", text="ingrid@peeters-groothandel.nl",
                            intent="chitchat", confidence=0.6, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_email"] == "ingrid@peeters-groothandel.nl"
    assert dispatcher.messages == []


@pytest.mark.parametrize("intent", ["chitchat", "out_of_scope", "greet", "ask_privacy"])
async def test_a_long_need_description_is_never_an_interruption(domain, intent):
    text = ("Hoi! Ik heb een kapsalon en ik wil graag dat klanten zelf online een afspraak "
            "kunnen maken, nu bellen ze de hele dag")
    tracker = build_tracker("new_intake", text=text, intent=intent, confidence=0.95,
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"] == text
    assert slots["requested_slot"] == "need_goal"
    assert dispatcher.messages == []


async def test_a_short_greeting_at_the_first_question_is_an_interruption(domain):
    tracker = build_tracker("new_intake", text="hallo!", intent="greet", confidence=0.97,
                            domain=domain)
    events, dispatcher, _slots = await run_form(tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_greet_again"
    assert events == [SlotSet("need_description", None),
                      SlotSet("requested_slot", "need_description")]


async def test_a_yes_no_answer_that_sounds_like_goodbye_is_an_answer(domain):
    tracker = build_tracker("contact", text="nee dank je", intent="goodbye", confidence=0.9,
                            requested_slot="consent_followup",
                            slots={**AFTER_MATURITY, "consent_privacy": True}, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["consent_followup"] is False
    assert slots["requested_slot"] == "summary_confirmed"
    assert dispatcher.messages == []


async def test_goodbye_in_the_middle_asks_whether_to_stop(domain):
    tracker = build_tracker("interruption", text="doei", intent="goodbye", confidence=0.95,
                            domain=domain)
    events, dispatcher, _slots = await run_form(tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_goodbye_midway"
    assert events[-1] == SlotSet("requested_slot", "contact_email")


# --- the summary ----------------------------------------------------------------------------


async def test_summary_yes_ends_the_form(domain):
    _events, dispatcher, slots = await run_form(build_tracker("summary", domain=domain), domain)
    assert slots["summary_confirmed"] is True
    assert slots["summary_mode"] is None
    assert slots["requested_slot"] is None
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["Klopt!", "ja hoor", "ja klopt helemaal", "prima"])
async def test_summary_yes_variants(domain, text):
    tracker = build_tracker("summary", text=text, intent="affirm", domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["summary_confirmed"] is True


async def test_summary_affirm_intent_without_yes_word(domain):
    tracker = build_tracker("summary", text="helemaal top zo", intent="affirm", confidence=0.93,
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["summary_confirmed"] is True


async def test_inline_correction_updates_employees_and_asks_again(domain):
    tracker = build_tracker("summary", text="nee, het zijn er 12", intent="deny",
                            confidence=0.8, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["employees"] == 12
    assert slots["eligibility"] == "ok"
    assert slots["summary_confirmed"] is None
    assert slots["summary_mode"] == "summary"
    assert slots["requested_slot"] == "summary_confirmed"
    assert texts(dispatcher) == ["Aangepast, dank je."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mijn mail is kees@vandijk.nl", {"contact_email": "kees@vandijk.nl"}),
        ("de postcode is 1234 AB Amsterdam", {"postcode": "1234 AB", "place": "Amsterdam"}),
        ("mijn kvk is 1234 5678", {"kvk_number": "12345678"}),
        ("nee het is 06 12345678", {"contact_phone": "+31612345678"}),
        ("de bedrijfsnaam is Van Dijk Schilders BV", {"company_name": "Van Dijk Schilders BV"}),
        ("nee we zijn niet met 6 maar met 8", {"employees": 8}),
    ],
)
async def test_inline_corrections(domain, text, expected):
    tracker = build_tracker("summary", text=text, intent="inform", domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    for slot, value in expected.items():
        assert slots[slot] == value
    assert slots["summary_confirmed"] is None
    assert slots["requested_slot"] == "summary_confirmed"


async def test_correction_to_one_person_asks_insist_first(domain):
    tracker = build_tracker("summary", text="het zijn er eigenlijk maar 1", domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["employees"] == 1
    assert slots["eligibility"] == "zzp"
    assert slots["requested_slot"] == "eligibility_insist"


@pytest.mark.parametrize("text", ["nee", "Nee.", "klopt niet", "dat klopt niet", "nee hoor"])
async def test_plain_no_asks_which_field(domain, text):
    tracker = build_tracker("summary", text=text, intent="deny", confidence=0.95, domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["summary_confirmed"] is None
    assert slots["summary_mode"] == "which_field"
    assert slots["requested_slot"] == "summary_confirmed"
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "cleared", "next_slot"),
    [
        ("wijzig e-mail", ["contact_email"], "contact_email"),
        ("wijzig bedrijfsnaam", ["company_name"], "company_name"),
        ("wijzig aantal medewerkers", ["employees"], "employees"),
        ("wijzig postcode en plaats", ["postcode", "place"], "postcode"),
        ("wijzig telefoon", ["contact_phone"], "contact_phone"),
        ("nee, het e-mailadres klopt niet", ["contact_email"], "contact_email"),
        ("de branche klopt niet", ["sector"], "sector"),
        ("wijzig je vraag",
         ["need_description", "need_problem", "theme_evidence", "theme_choice"],
         "need_description"),
    ],
)
async def test_field_button_clears_that_field(domain, text, cleared, next_slot):
    tracker = build_tracker("summary", text=text, slots={"summary_mode": "which_field"},
                            domain=domain)
    _events, dispatcher, slots = await run_form(tracker, domain)
    for slot in cleared:
        assert slots[slot] is None
    untouched = {"company_name", "contact_email", "employees", "postcode"} - set(cleared)
    assert all(slot not in slots for slot in untouched)
    assert slots["summary_mode"] == "summary"
    assert slots["requested_slot"] == next_slot
    assert dispatcher.messages == []


async def test_cleared_field_is_asked_then_summary_again(domain):
    tracker = build_tracker("summary", text="wijzig e-mail", domain=domain)
    _events, _dispatcher, changed = await run_form(tracker, domain)
    tracker = build_tracker("summary", text="kees.vandijk@gmail.com",
                            requested_slot=changed["requested_slot"],
                            slots={k: v for k, v in changed.items() if k != "requested_slot"},
                            domain=domain)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_email"] == "kees.vandijk@gmail.com"
    assert slots["requested_slot"] == "summary_confirmed"
