"""Values said earlier are not asked again: the entities in an answer (as the NLU component puts
them in the parse result, values normalised) fill the empty slots, never the filled ones, and
the form skips those questions. The summary still shows them, so a wrong guess can be fixed."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_actions import AskSummaryConfirmed
from actions.entity_prefill import company_name, found_values, our_place
from tests.actions.helpers import build_tracker, responses, run_form, texts

BAKERY = "we zijn een bakkerij in Utrecht met 6 man, mail me op anna@dekorst.nl"


def entity(text: str, label: str, value, surface: str) -> dict:
    """An entity as bot/components/entities.py reports it."""
    start = text.index(surface)
    return {"entity": label, "value": value, "start": start, "end": start + len(surface),
            "text": surface, "confidence": None, "extractor": "IntakeEntityExtractor"}


def with_entities(tracker, items: list[dict]):
    tracker.latest_message["entities"] = items
    for event in tracker.events:
        if event.get("event") == "user":
            event["parse_data"] = {**event.get("parse_data", {}), "entities": items}
    return tracker


def bakery_entities(text: str = BAKERY) -> list[dict]:
    return [entity(text, "sector", "bakkerij", "bakkerij"),
            entity(text, "place", "Utrecht", "Utrecht"),
            entity(text, "employees", 6, "met 6 man"),
            entity(text, "email", "anna@dekorst.nl", "anna@dekorst.nl")]


async def test_the_need_description_fills_what_it_mentions(domain):
    tracker = with_entities(build_tracker("new_intake", text=BAKERY,
                                          intent="describe_need_online_marketing_sales",
                                          domain=domain), bakery_entities())
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert slots["need_description"] == BAKERY
    assert {k: slots[k] for k in ("sector", "place", "employees", "contact_email")} == {
        "sector": "bakkerij", "place": "Utrecht", "employees": 6,
        "contact_email": "anna@dekorst.nl"}
    assert slots["eligibility"] == "ok"  # the validators checked the values like answers
    assert texts(dispatcher) == []  # no re-ask for a value nobody typed on request


# After the bakery message: the need questions are answered, plus what it mentioned.
AFTER_BAKERY = {"need_description": BAKERY, "need_goal": "online bestellen", "need_tried": "niks",
                "need_urgency": "geen haast", "sector": "bakkerij", "place": "Utrecht",
                "employees": 6, "eligibility": "ok", "contact_email": "anna@dekorst.nl"}


@pytest.mark.parametrize(("requested", "answered", "answer", "next_slot"), [
    # sector and employees are known: straight from the name to the postcode
    ("company_name", {}, "Bakkerij De Korst", "postcode"),
    # the place is known: from the postcode to the KvK-nummer
    ("postcode", {"company_name": "De Korst"}, "3512 JK", "kvk_number"),
    # the e-mail address is known: from the name to the phone
    ("contact_name", {"company_name": "De Korst", "postcode": "3512 JK", "kvk_number": ""},
     "Anna", "contact_phone"),
])
async def test_the_form_skips_the_questions_already_answered(domain, requested, answered,
                                                             answer, next_slot):
    tracker = build_tracker("new_intake", text=answer, intent="inform",
                            slots={**AFTER_BAKERY, **answered}, requested_slot=requested,
                            domain=domain)
    _events, _dispatcher, result = await run_form(tracker, domain)
    assert result["requested_slot"] == next_slot


async def test_filled_slots_are_never_overwritten(domain):
    text = "we hebben ook een bakkerij in Utrecht, mail naar anna@dekorst.nl"
    tracker = build_tracker("contact", text="Kees", intent="inform", requested_slot="contact_name",
                            slots={"contact_name": None, "sector": "kapsalon", "place": "Zwolle",
                                   "contact_email": "kees@vandijkschilders.nl"}, domain=domain)
    tracker.latest_message["text"] = text
    with_entities(tracker, [entity(text, "sector", "bakkerij", "bakkerij"),
                            entity(text, "place", "Utrecht", "Utrecht"),
                            entity(text, "email", "anna@dekorst.nl", "anna@dekorst.nl")])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert not {"sector", "place", "contact_email"} & set(slots)


async def test_the_asked_question_keeps_its_own_answer_and_extra_values_fill_the_rest(domain):
    text = "kees@vandijkschilders.nl en mijn nummer is 06 4711 2398"
    tracker = with_entities(
        build_tracker("contact", text=text, intent="inform", domain=domain),
        [entity(text, "email", "kees@vandijkschilders.nl", "kees@vandijkschilders.nl"),
         entity(text, "phone", "+31647112398", "06 4711 2398")])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["contact_email"] == "kees@vandijkschilders.nl"
    assert slots["contact_phone"] == "+31647112398"
    assert slots["requested_slot"] == "source"  # the phone question is skipped


async def test_a_kvk_number_fills_an_earlier_dont_know(domain):
    text = "kees@vandijkschilders.nl, en ik heb mijn kvk gevonden: 12345678"
    tracker = with_entities(build_tracker("contact", text=text, intent="inform", domain=domain),
                            [entity(text, "kvk", "12345678", "kvk gevonden: 12345678")])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["kvk_number"] == "12345678"


async def test_the_channel_phone_is_not_replaced(domain):
    text = "mijn vaste nummer is 010 123 45 67"
    tracker = with_entities(
        build_tracker("contact", text="kees@vandijkschilders.nl", intent="inform",
                      slots={"contact_phone": "+31612345678"}, domain=domain),
        [entity(text, "phone", "+31101234567", "010 123 45 67")])
    tracker.latest_message["text"] = text
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert "contact_phone" not in slots


async def test_a_self_employed_mention_starts_the_eligibility_question(domain):
    text = "ik ben zzp'er en wil meer klanten via instagram"
    tracker = with_entities(build_tracker("new_intake", text=text, domain=domain),
                            [entity(text, "employees", 1, "zzp'er")])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["employees"] == 1 and slots["eligibility"] == "zzp"
    assert slots["requested_slot"] == "eligibility_insist"


async def test_nothing_is_mined_from_a_correction_in_the_summary(domain):
    text = "nee, we zitten in Utrecht"
    tracker = with_entities(
        build_tracker("summary", text=text, intent="deny", slots={"contact_phone": None},
                      domain=domain),
        [entity(text, "place", "Utrecht", "Utrecht")])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert "contact_phone" not in slots or slots["contact_phone"] is None


def test_only_one_clear_value_per_slot():
    text = "bakker en bouwbedrijf in Gouda en Woerden, 06 12345678"
    tracker = with_entities(build_tracker("new_intake", text=text),
                            [entity(text, "sector", "bakkerij", "bakker"),
                             entity(text, "sector", "bouw", "bouwbedrijf"),
                             entity(text, "place", "Gouda", "Gouda"),
                             entity(text, "place", "Woerden", "Woerden"),
                             entity(text, "phone", "+31612345678", "06 12345678")])
    assert found_values(tracker) == {"contact_phone": "+31612345678"}


def test_no_sector_or_place_from_a_name():
    text = "Jan Bakker uit Hoorn"
    tracker = with_entities(build_tracker("contact", text=text, requested_slot="contact_name"),
                            [entity(text, "sector", "bakkerij", "Bakker"),
                             entity(text, "place", "Hoorn", "Hoorn")])
    assert found_values(tracker) == {}


@pytest.mark.parametrize(("text", "place", "ours"), [
    ("we zitten in Leusden", "Leusden", True),
    ("bakkerij uit Zwolle", "Zwolle", True),
    ("ik wil meer klanten in Amersfoort", "Amersfoort", False),
    ("we bezorgen ook in Zeist", "Zeist", False),
    ("we willen toeristen uit Texel trekken", "Texel", False),
    ("veel klanten in Amersfoort, maar we zitten in Leusden", "Leusden", True),
])
def test_our_place_is_where_the_business_is(text, place, ours):
    assert our_place(text, entity(text, "place", place, place)) is ours


@pytest.mark.parametrize(("text", "expected"), [
    ("ons bedrijf heet De Korst en we bakken brood", "De Korst"),
    ("De bedrijfsnaam is Jansen Transport BV.", "Jansen Transport BV"),
    ("we heten Groen & Zo", "Groen & Zo"),
    ("we zijn een bakkerij in Utrecht", None),
    ("het bedrijf heet", None),
])
def test_company_name_only_when_stated(text, expected):
    assert company_name(text) == expected


async def test_the_summary_shows_the_prefilled_values(domain):
    slots = {"sector": "bakkerij", "place": "Utrecht", "employees": 6, "postcode": "3512 JK",
             "contact_email": "anna@dekorst.nl", "contact_phone": "+31612345678",
             "kvk_number": "12345678"}
    tracker = build_tracker("summary", slots=slots, domain=domain)
    dispatcher = CollectingDispatcher()
    await AskSummaryConfirmed().run(dispatcher, tracker, domain)
    summary = texts(dispatcher)[0]
    for shown in ("(bakkerij)", "Aantal mensen: 6", "3512 JK Utrecht", "anna@dekorst.nl",
                  "+31612345678", "KvK-nummer: 12345678"):
        assert shown in summary


# ------------------------------------------------------------------ the asked question itself
async def test_a_spoken_phone_number_is_an_answer_not_out_of_scope(domain):
    text = "mijn nummer is nul zes twaalf vierendertig zesenvijftig achtenzeventig"
    tracker = with_entities(
        build_tracker("contact", text=text, intent="out_of_scope", confidence=0.9,
                      slots={"contact_email": "kees@vandijkschilders.nl"},
                      requested_slot="contact_phone", domain=domain),
        [entity(text, "phone", "+31612345678", text[15:])])
    _events, dispatcher, slots = await run_form(tracker, domain)
    assert "utter_out_of_scope" not in responses(dispatcher)
    assert slots["contact_phone"] == "+31612345678"


async def test_without_an_entity_out_of_scope_still_interrupts(domain):
    tracker = build_tracker("contact", text="wat is de hoofdstad van Peru", intent="out_of_scope",
                            confidence=0.9, requested_slot="contact_phone", domain=domain)
    _events, dispatcher, _slots = await run_form(tracker, domain)
    assert responses(dispatcher) == ["utter_out_of_scope"]


@pytest.mark.parametrize(("requested", "text", "label", "value", "surface"), [
    ("sector", "ik ben kapper", "sector", "kapsalon", "kapper"),
    ("kvk_number", "een twee drie vier vijf zes zeven acht", "kvk", "12345678",
     "een twee drie vier vijf zes zeven acht"),
    ("place", "we zitten in eh alphen aan den rijn", "place", "Alphen aan den Rijn",
     "alphen aan den rijn"),
    ("employees", "nou we zijn met z'n elven", "employees", 11, "met z'n elven"),
])
async def test_the_answer_takes_the_normalised_value(domain, requested, text, label, value,
                                                     surface):
    tracker = with_entities(
        build_tracker("company", text=text, intent="inform", requested_slot=requested,
                      slots={"company_name": "De Korst"}, domain=domain),
        [entity(text, label, value, surface)])
    slot = {"kvk": "kvk_number"}.get(label, label)
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots[slot] == value


async def test_a_spoken_postcode_answer(domain):
    text = "drie vijf een twee j k"
    tracker = with_entities(
        build_tracker("company", text=text, intent="inform", requested_slot="postcode",
                      slots={"company_name": "De Korst", "sector": "bakkerij", "employees": 6,
                             "eligibility": "ok"}, domain=domain),
        [entity(text, "postcode", "3512 JK", text)])
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["postcode"] == "3512 JK" and slots["requested_slot"] == "place"
