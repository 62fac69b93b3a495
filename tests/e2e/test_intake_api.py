"""Whole intakes through the public API against the real stack (Rasa model, actions, backend)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.services.werkplaatsen import load_directory
from backend.settings import ROOT
from tests.e2e.driver import REFERENCE, Chat, api
from tests.e2e.personas import BAKERY


def ticket(stack, reference: str) -> dict:
    status, body = api(stack.base_url, "GET", f"/api/v1/tickets/{reference}",
                       token=stack.admin_token)
    assert status == 200, body
    return body


def tickets_for(stack, conversation_id: str) -> list[dict]:
    status, body = api(stack.base_url, "GET", "/api/v1/tickets", token=stack.admin_token)
    assert status == 200
    return [t for t in body["items"] if t["conversation_id"] == conversation_id]


def test_happy_path_makes_a_complete_ticket(stack):
    chat = Chat(stack.base_url).start()
    assert "digitale assistent" in chat.text.lower() and "/privacy" in chat.text
    assert "medewerker" in chat.text.lower()
    chat.run(BAKERY)
    match = REFERENCE.search(chat.text)
    assert match, chat.transcript()
    assert chat.ticket_reference == match.group(0)
    t = ticket(stack, chat.ticket_reference)
    assert t["channel"] == "webchat" and t["conversation_id"] == chat.conversation_id
    assert t["company"] == {"name": "Bakkerij De Korst", "sector": "bakkerij", "employees": 6,
                            "postcode": "3511 AB", "place": "Utrecht", "kvk_number": "12345678"}
    assert t["contact"] == {"name": "Anna de Boer", "email": "anna@bakkerijdekorst.nl",
                            "phone": "+31612345678"}
    assert t["consent"] == {"privacy": True, "followup": True}
    assert t["intake"]["maturity"] == 5 and "bank" in t["intake"]["source"]
    assert t["theme"] == "online_marketing_sales"
    # the themes that apply, highest first, each with its share of the evidence
    assert t["themes"][0]["theme"] == t["theme"]
    shares = [x["confidence"] for x in t["themes"]]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1.001
    assert t["details"]["theme_scores"].startswith(t["theme"])
    assert "webshop" in t["question"]
    assert t["werkplaats"] == load_directory(ROOT / "config" / "werkplaatsen.yml").for_postcode(
        "3511 AB")
    assert t["werkplaats"] in chat.text  # the entrepreneur is told who picks it up
    status, body = api(stack.base_url, "GET",
                       f"/api/v1/conversations/{chat.conversation_id}/messages", token=chat.token)
    froms = [m["from"] for m in body["messages"]]
    assert froms[0] == "bot" and froms.count("user") == sum(1 for w, _ in chat.log if w == "user")


def test_corrections_before_confirming(stack):
    answers = dict(BAKERY, summary_confirmed=["nee, het zijn er 12", "nee", "ja"],
                   summary_which="wijzig e-mail",
                   contact_email=["anna@bakkerijdekorst.nl", "info@dekorst.nl"])
    chat = Chat(stack.base_url).start().run(answers)
    assert chat.ticket_reference, chat.transcript()
    t = ticket(stack, chat.ticket_reference)
    assert t["company"]["employees"] == 12
    assert t["contact"]["email"] == "info@dekorst.nl"


def test_dont_know_is_accepted_where_sensible(stack):
    answers = dict(BAKERY, need_tried="weet ik niet", kvk_number="weet ik niet",
                   source="geen idee", maturity="geen idee", contact_phone="overslaan",
                   consent_followup="nee")
    chat = Chat(stack.base_url).start().run(answers)
    assert chat.ticket_reference, chat.transcript()
    t = ticket(stack, chat.ticket_reference)
    assert t["company"]["kvk_number"] is None and t["intake"]["maturity"] is None
    assert t["intake"]["source"] == "onbekend" and t["contact"]["phone"] is None
    assert t["consent"]["followup"] is False


def test_zzp_is_referred_without_a_ticket(stack):
    answers = dict(BAKERY, employees="ik werk alleen, ik ben zzp'er", eligibility_insist="nee")
    chat = Chat(stack.base_url).start().run(answers)
    assert chat.ticket_reference is None
    assert "kvk.nl" in "\n".join(t for w, t in chat.log if w == "bot")
    assert tickets_for(stack, chat.conversation_id) == []


def test_zzp_who_insists_gets_a_ticket(stack):
    answers = dict(BAKERY, employees="alleen ik", eligibility_insist="ja")
    chat = Chat(stack.base_url).start().run(answers)
    assert chat.ticket_reference, chat.transcript()
    t = ticket(stack, chat.ticket_reference)
    assert t["company"]["employees"] == 1 and t["details"]["eligibility"] == "zzp"


def test_stop_and_start_over(stack):
    chat = Chat(stack.base_url).start()
    chat.run({k: BAKERY[k] for k in ("need_description", "need_goal")})
    assert chat.question == "need_tried"
    chat.say("stop")
    assert "geen aanvraag" in chat.text.lower()
    assert tickets_for(stack, chat.conversation_id) == []
    chat.say("opnieuw")
    assert chat.question == "need_description", chat.transcript()


def test_off_track_messages_are_answered_and_the_question_repeated(stack):
    chat = Chat(stack.base_url).start()
    chat.run({k: BAKERY[k] for k in ("need_description", "need_goal", "need_tried",
                                     "need_urgency", "theme_choice")})
    assert chat.question == "company_name", chat.transcript()
    off_track = ("ben jij een robot?", "wat een waardeloze bot",
                 "wat doen jullie met mijn gegevens")
    for text in off_track:
        chat.say(text)
        assert chat.question == "company_name", chat.transcript()
        assert len(chat.last) >= 2
    chat.run(BAKERY)
    assert chat.ticket_reference, chat.transcript()


def test_invalid_email_gets_a_clear_reask_then_a_way_forward(stack):
    answers = dict(BAKERY, contact_email=["anna at bakkerij", "nog steeds fout", "geen idee@"],
                   contact_phone="0612345678")
    chat = Chat(stack.base_url).start().run(answers)
    bot = "\n".join(t for w, t in chat.log if w == "bot")
    assert "geen geldig e-mailadres" in bot
    assert chat.ticket_reference, chat.transcript()
    t = ticket(stack, chat.ticket_reference)
    assert t["contact"]["email"] is None and t["contact"]["phone"] == "+31612345678"


@pytest.mark.parametrize("text", ["", "\u0000", "😀" * 50, "<script>alert(1)</script>",
                                  "' OR 1=1 --", "ik wil een webshop\n" * 200, "/start_over"])
def test_nothing_typed_crashes_the_conversation(stack, text):
    chat = Chat(stack.base_url).start()
    status, body = api(stack.base_url, "POST",
                       f"/api/v1/conversations/{chat.conversation_id}/messages",
                       {"text": text}, chat.token)
    assert status in (200, 422), body
    chat.say("hallo")
    assert chat.last, chat.transcript()


def run_contract_check(stack, name: str) -> None:
    """Run one of shared/contract's black-box checks against this stack."""
    check = Path(ROOT).parent / "shared" / "contract" / name
    if not check.exists():
        pytest.skip("shared/contract is not beside this checkout")
    env = dict(os.environ, BARS_BASE=stack.base_url, BARS_ADMIN_TOKEN=stack.admin_token)
    result = subprocess.run([sys.executable, str(check)], env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_contract_check(stack):
    run_contract_check(stack, "check_api.py")
