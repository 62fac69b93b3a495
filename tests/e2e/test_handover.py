"""Hand-over to a helpdesk student, through the public API against the real stack."""

from __future__ import annotations

import threading

import pytest

from tests.e2e.driver import Chat, api
from tests.e2e.personas import BAKERY


@pytest.fixture
def helpdesk(stack):
    def set_open(value):
        status, body = api(stack.base_url, "PUT", "/api/v1/helpdesk/availability",
                           {"open": value}, stack.admin_token)
        assert status == 200, body
        return body

    yield set_open
    set_open(None)


def staff(stack, conversation_id: str, action: str, body=None):
    return api(stack.base_url, "POST", f"/api/v1/conversations/{conversation_id}/{action}",
               body if body is not None else {}, stack.admin_token)


def transcript(chat: Chat) -> list[dict]:
    status, body = api(chat.base_url, "GET",
                       f"/api/v1/conversations/{chat.conversation_id}/messages", token=chat.token)
    assert status == 200
    return body["messages"]


def test_a_student_takes_over_and_hands_back(stack, helpdesk):
    helpdesk(True)
    chat = Chat(stack.base_url).start()
    chat.run({k: BAKERY[k] for k in ("need_description", "need_goal")})
    assert chat.question == "need_tried"
    chat.say("kan ik een medewerker spreken?")
    assert chat.state == "waiting_for_human", chat.transcript()
    assert "student van de helpdesk" in chat.text
    status, body = api(stack.base_url, "GET", "/api/v1/handovers", token=stack.admin_token)
    mine = [h for h in body["items"] if h["conversation_id"] == chat.conversation_id]
    assert mine and mine[0]["reason"] == "asked" and mine[0]["channel"] == "webchat"

    assert chat.say("hallo? is daar iemand") == []  # recorded, the bot stays silent
    assert staff(stack, chat.conversation_id, "claim", {"staff": "Sanne"})[0] == 200
    assert staff(stack, chat.conversation_id, "reply",
                 {"staff": "Sanne", "text": "Hoi, ik ben Sanne. Wat wil je weten?"})[0] == 201
    assert chat.say("hoe lang duurt zo'n project?") == []
    assert chat.state == "human"
    items = transcript(chat)
    assert {"staff", "user", "bot"} <= {m["from"] for m in items}
    assert any(m["from"] == "user" and "is daar iemand" in m["text"] for m in items)

    status, body = staff(stack, chat.conversation_id, "release")
    assert status == 200 and body["state"] == "bot"
    assert "digitale assistent" in body["messages"][0]["text"]
    assert any("zelf al geprobeerd" in m["text"] for m in body["messages"]), body
    chat.say(BAKERY["need_tried"])  # the intake goes on where it stopped
    assert chat.state == "bot" and chat.question == "need_urgency", chat.transcript()


def test_two_students_claim_at_once_and_one_wins(stack, helpdesk):
    helpdesk(True)
    chat = Chat(stack.base_url).start()
    chat.say("ik wil een mens spreken")
    assert chat.state == "waiting_for_human", chat.transcript()
    results = []
    threads = [threading.Thread(target=lambda n=n: results.append(
        staff(stack, chat.conversation_id, "claim", {"staff": f"student{n}"})[0]))
        for n in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [200, 409]


def test_outside_office_hours_the_question_is_kept_as_a_callback(stack, helpdesk):
    helpdesk(False)
    chat = Chat(stack.base_url).start()
    chat.say("medewerker")
    assert chat.state == "waiting_for_human"
    assert "gesloten" in chat.text and "bewaard" in chat.text, chat.transcript()
    status, body = api(stack.base_url, "GET", "/api/v1/handovers", token=stack.admin_token)
    mine = [h for h in body["items"] if h["conversation_id"] == chat.conversation_id]
    assert mine and mine[0]["callback"] is True


def test_closing_ends_the_conversation_and_a_new_message_reopens_it(stack, helpdesk):
    helpdesk(True)
    chat = Chat(stack.base_url).start()
    chat.say("medewerker")
    assert staff(stack, chat.conversation_id, "close", {"outcome": "doorverwezen"})[0] == 200
    status, body = api(stack.base_url, "POST",
                       f"/api/v1/conversations/{chat.conversation_id}/messages",
                       {"text": "hallo nog een vraag"}, chat.token)
    assert status == 200 and body["state"] == "bot" and body["messages"]


def test_public_handoff_contract_check(stack):
    from tests.e2e.test_intake_api import run_contract_check

    run_contract_check(stack, "check_handoff.py")
