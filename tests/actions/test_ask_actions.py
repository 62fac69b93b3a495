"""The questions whose wording depends on the slots."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_actions import (
    AskConsentPrivacy,
    AskContactPhone,
    AskEligibilityInsist,
    AskSummaryConfirmed,
    AskThemeChoice,
)
from actions.intake_form import ValidateIntakeForm
from bot.corrections import FIELDS
from bot.theme_scores import THEME_LABELS
from tests.actions.helpers import build_tracker, run_form

DATA_THEN_AUTOMATION = [
    [{"online_marketing_sales": 0.1, "data": 0.45, "automatisering": 0.4, "overig": 0.05}, 10],
    [{"online_marketing_sales": 0.0, "data": 0.5, "automatisering": 0.3, "overig": 0.2}, 10],
]


async def _ask(action, tracker, domain):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    assert events == []
    [message] = dispatcher.messages
    return message


def test_every_custom_ask_action_is_in_the_domain(domain):
    for action in (AskThemeChoice, AskEligibilityInsist, AskContactPhone, AskConsentPrivacy,
                   AskSummaryConfirmed):
        assert action().name() in domain["actions"]


def test_every_form_question_can_be_asked(domain):
    custom = {a().name() for a in (AskThemeChoice, AskEligibilityInsist, AskContactPhone,
                                   AskConsentPrivacy, AskSummaryConfirmed)}
    for slot in domain["forms"]["intake_form"]["required_slots"]:
        assert f"action_ask_{slot}" in custom or f"utter_ask_{slot}" in domain["responses"]


async def test_theme_buttons_are_ordered_by_score(domain):
    tracker = build_tracker("company", slots={"theme_evidence": DATA_THEN_AUTOMATION},
                            requested_slot="theme_choice", domain=domain)
    message = await _ask(AskThemeChoice(), tracker, domain)
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == [THEME_LABELS["data"], THEME_LABELS["automatisering"],
                        THEME_LABELS["overig"], THEME_LABELS["online_marketing_sales"],
                        "meerdere"]
    assert message["buttons"][0]["title"] == "Slimmer werken met gegevens (data)"


async def test_each_theme_button_is_understood(domain):
    tracker = build_tracker("company", slots={"theme_evidence": DATA_THEN_AUTOMATION},
                            requested_slot="theme_choice", domain=domain)
    message = await _ask(AskThemeChoice(), tracker, domain)
    for button in message["buttons"]:
        answer = build_tracker("company", text=button["payload"],
                               slots={"theme_evidence": DATA_THEN_AUTOMATION},
                               requested_slot="theme_choice", domain=domain)
        _events, dispatcher, slots = await run_form(answer, domain)
        expected = {label: theme for theme, label in THEME_LABELS.items()}.get(
            button["payload"], "meerdere")
        assert slots["theme_choice"] == expected
        assert dispatcher.messages == []


@pytest.mark.parametrize(("eligibility", "needle"),
                         [("zzp", "kvk.nl"), ("large", "rom-nederland.nl"),
                          ("private", "bibliotheek.nl")])
async def test_eligibility_question_refers_first(domain, eligibility, needle):
    tracker = build_tracker("zzp_signal", slots={"eligibility": eligibility},
                            requested_slot="eligibility_insist", domain=domain)
    message = await _ask(AskEligibilityInsist(), tracker, domain)
    assert needle in message["text"]
    assert message["text"].endswith("Wil je toch een aanvraag doen bij de werkplaats?")
    assert [b["payload"] for b in message["buttons"]] == ["ja", "nee"]


@pytest.mark.parametrize(("email", "skippable"), [("kees@vandijk.nl", True), ("", False)])
async def test_phone_question_depends_on_the_email(domain, email, skippable):
    tracker = build_tracker("contact", slots={"contact_email": email},
                            requested_slot="contact_phone", domain=domain)
    message = await _ask(AskContactPhone(), tracker, domain)
    assert ("overslaan" in message["text"]) is skippable
    assert bool(message.get("buttons")) is skippable


async def test_consent_question_links_the_privacy_page(domain, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://intake.digitalewerkplaats.example/")
    tracker = build_tracker("contact", requested_slot="consent_privacy", domain=domain)
    message = await _ask(AskConsentPrivacy(), tracker, domain)
    assert "https://intake.digitalewerkplaats.example/privacy" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["ja", "nee"]


async def test_consent_question_default_privacy_url(domain, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    message = await _ask(AskConsentPrivacy(), build_tracker("contact", domain=domain), domain)
    assert "http://127.0.0.1:8000/privacy" in message["text"]


async def test_summary_is_rendered_from_the_slots(domain):
    evidence = [[{"online_marketing_sales": 0.0, "data": 0.35, "automatisering": 0.6,
                  "overig": 0.05}, 12]]
    tracker = build_tracker("summary", slots={"theme_evidence": evidence}, domain=domain)
    message = await _ask(AskSummaryConfirmed(), tracker, domain)
    text = message["text"]
    assert text.startswith("Ik heb dit genoteerd:")
    assert "Je vraag: Onze planning gaat nog helemaal met papier" in text
    assert "Bedrijf: Schildersbedrijf Van Dijk (schilders)" in text
    assert "Aantal mensen: 6" in text
    assert "Vestiging: 8011 AB Zwolle" in text
    assert "KvK-nummer: weet je nog niet" in text
    assert "E-mail: kees@vandijkschilders.nl" in text
    assert "Telefoon: geen" in text
    assert "Later een vragenlijst: nee" in text
    # themes in Dutch; automation first, data is a real second theme
    assert "Onderwerp: automatisering van je werk en slimmer werken met gegevens (data)" in text
    assert "automatisering_" not in text and "online_marketing_sales" not in text
    assert text.rstrip().endswith('"het zijn er 12".')
    assert [b["payload"] for b in message["buttons"]] == ["ja klopt", "nee"]


async def test_summary_with_a_chosen_theme_and_unknowns(domain):
    tracker = build_tracker("summary", slots={"theme_choice": "online_marketing_sales",
                                              "employees": "", "postcode": "", "place": "",
                                              "contact_phone": "+31612345678"},
                            domain=domain)
    text = (await _ask(AskSummaryConfirmed(), tracker, domain))["text"]
    assert "Onderwerp: online marketing en verkoop" in text
    assert "Aantal mensen: onbekend" in text
    assert "Vestiging: onbekend" in text
    assert "Telefoon: +31612345678" in text


async def test_which_field_mode_offers_every_field(domain):
    tracker = build_tracker("summary", slots={"summary_mode": "which_field"}, domain=domain)
    message = await _ask(AskSummaryConfirmed(), tracker, domain)
    assert "Wat klopt er niet?" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        f"wijzig {label}" for label, _pattern in FIELDS.values()
    ]


async def test_each_which_field_button_clears_its_field(domain):
    tracker = build_tracker("summary", slots={"summary_mode": "which_field"}, domain=domain)
    message = await _ask(AskSummaryConfirmed(), tracker, domain)
    for slot, button in zip(FIELDS, message["buttons"], strict=True):
        answer = build_tracker("summary", text=button["payload"],
                               slots={"summary_mode": "which_field"}, domain=domain)
        dispatcher = CollectingDispatcher()
        events = await ValidateIntakeForm().run(dispatcher, answer, domain)
        changed = {e["name"]: e["value"] for e in events}
        assert changed[slot] is None, button
        assert changed["requested_slot"] == slot, button


async def test_greeting_says_it_is_a_bot_and_links_the_privacy_page(domain, monkeypatch):
    from actions.conversation import Greet

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://intake.digitalewerkplaats.example")
    dispatcher = CollectingDispatcher()
    assert await Greet().run(dispatcher, build_tracker("new_intake", domain=domain), domain) == []
    text = dispatcher.messages[0]["text"]
    assert "geen mens" in text
    assert "https://intake.digitalewerkplaats.example/privacy" in text
    assert "'stop'" in text and "'medewerker'" in text
