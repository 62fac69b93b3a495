"""The web chat API: /api/v1/conversations (start, send, transcript)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from backend.models import Conversation, Ticket
from backend.services.turns import START_INTENT
from tests.backend.helpers import (
    bearer,
    count,
    start_conversation,
    ticket_payload,
    transcript,
)

API = "/api/v1/conversations"


def send(client, cid, headers, text):
    return client.post(f"{API}/{cid}/messages", json={"text": text}, headers=headers)


# --- start -----------------------------------------------------------------------------------


def test_start_returns_id_token_and_the_bots_greeting(client, fake_rasa):
    greeting = [
        {
            "recipient_id": "x",
            "text": "Hoi! Waar kan ik je mee helpen?",
            "buttons": [
                {"title": "Online verkopen", "payload": "/choose_theme", "extra": "drop me"},
                {"title": "Data", "payload": "/choose_data"},
            ],
        },
        {"recipient_id": "x", "text": "Je kunt ook gewoon typen."},
    ]
    fake_rasa.reply = lambda sender, message: greeting

    response = client.post(API)

    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["conversation_id"], str) and body["conversation_id"]
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    expected = [
        {
            "text": m["text"],
            "buttons": [
                {"title": b["title"], "payload": b["payload"]} for b in m.get("buttons", [])
            ],
        }
        for m in greeting
    ]
    assert body["messages"] == expected
    # the bot was asked to greet this very conversation
    assert fake_rasa.received[-1] == {"sender": body["conversation_id"], "message": START_INTENT}
    # the greeting is in the transcript
    got = transcript(client, body["conversation_id"], bearer(body["token"]))
    assert [(m["from"], m["text"]) for m in got] == [("bot", m["text"]) for m in greeting]


def test_each_conversation_gets_its_own_id_and_token_and_the_token_is_not_stored(client):
    first = client.post(API).json()
    second = client.post(API).json()
    assert first["conversation_id"] != second["conversation_id"]
    assert first["token"] != second["token"]
    with client.app.state.db.session() as s:
        stored = s.get(Conversation, first["conversation_id"])
        assert stored is not None
        assert stored.channel == "webchat"
        assert first["token"] not in stored.token_hash


def test_start_when_rasa_is_down_returns_503_and_leaves_no_conversation(client, fake_rasa):
    before = count(client, Conversation)
    fake_rasa.up = False

    response = client.post(API)

    assert response.status_code == 503
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert count(client, Conversation) == before


# --- authorisation -----------------------------------------------------------------------------


def test_sending_without_token_is_401(client, fake_rasa):
    cid, headers = start_conversation(client)
    sent = len(fake_rasa.received)
    response = send(client, cid, {}, "hallo")
    assert response.status_code == 401
    assert response.headers.get("www-authenticate") == "Bearer"
    assert len(fake_rasa.received) == sent
    assert [m["from"] for m in transcript(client, cid, headers)] == ["bot"]


def test_sending_with_a_wrong_token_is_401(client):
    cid, headers = start_conversation(client)
    assert send(client, cid, bearer("wrong-token"), "hallo").status_code == 401
    assert [m["from"] for m in transcript(client, cid, headers)] == ["bot"]


def test_another_conversations_token_is_401(client):
    cid_a, headers_a = start_conversation(client)
    cid_b, headers_b = start_conversation(client)
    assert send(client, cid_a, headers_b, "hallo").status_code == 401
    assert client.get(f"{API}/{cid_a}/messages", headers=headers_b).status_code == 401
    assert [m["from"] for m in transcript(client, cid_a, headers_a)] == ["bot"]


def test_unknown_conversation_is_404(client):
    _, headers = start_conversation(client)
    assert send(client, "does-not-exist", headers, "hallo").status_code == 404
    assert send(client, "x" * 200, headers, "hallo").status_code == 404
    assert client.get(f"{API}/does-not-exist/messages", headers=headers).status_code == 404


def test_transcript_needs_the_token(client):
    cid, _ = start_conversation(client)
    assert client.get(f"{API}/{cid}/messages").status_code == 401
    assert client.get(f"{API}/{cid}/messages", headers=bearer("nope")).status_code == 401


# --- bad input -----------------------------------------------------------------------------------

BAD_BODIES = {
    "missing text": {"json": {"tekst": "hallo"}},
    "text is a number": {"json": {"text": 12}},
    "text is null": {"json": {"text": None}},
    "text is a list": {"json": {"text": ["hallo"]}},
    "body is a list": {"json": ["hallo"]},
    "invalid json": {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    "empty": {"json": {"text": ""}},
    "whitespace only": {"json": {"text": "  \n\t  "}},
    "nul only": {"json": {"text": "\u0000"}},
    "control chars only": {"json": {"text": "\u0000\u0001\u001f\u007f"}},
    "over 5000 chars": {"json": {"text": "x" * 5001}},
    "lone surrogate only": {
        "content": b'{"text": "\\ud800"}',
        "headers": {"Content-Type": "application/json"},
    },
}


@pytest.mark.parametrize("case", list(BAD_BODIES), ids=list(BAD_BODIES))
def test_bad_bodies_are_422_and_not_recorded(client, fake_rasa, case):
    cid, headers = start_conversation(client)
    before = transcript(client, cid, headers)
    sent = len(fake_rasa.received)
    kwargs = dict(BAD_BODIES[case])
    kwargs["headers"] = {**headers, **kwargs.get("headers", {})}

    response = client.post(f"{API}/{cid}/messages", **kwargs)

    assert response.status_code == 422, response.text
    assert "detail" in response.json()
    assert transcript(client, cid, headers) == before
    assert len(fake_rasa.received) == sent


def test_exactly_5000_chars_is_accepted(client):
    cid, headers = start_conversation(client)
    response = send(client, cid, headers, "y" * 5000)
    assert response.status_code == 200, response.text
    stored = transcript(client, cid, headers)[-2]
    assert (stored["from"], stored["text"]) == ("user", "y" * 5000)


def test_validation_errors_do_not_echo_the_input(client):
    cid, headers = start_conversation(client)
    secret = "geheim-" + "z" * 5993
    for body in ({"text": secret}, {"text": [secret]}, {"text": {"nested": secret}}):
        response = client.post(f"{API}/{cid}/messages", json=body, headers=headers)
        assert response.status_code == 422
        assert len(response.content) < 500
        assert "geheim" not in response.text


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_2mb_body_is_413(client, chunked):
    cid, headers = start_conversation(client)
    before = transcript(client, cid, headers)
    raw = b'{"text": "' + b"x" * 2_000_000 + b'"}'
    content = (raw[i : i + 65536] for i in range(0, len(raw), 65536)) if chunked else raw

    response = client.post(
        f"{API}/{cid}/messages",
        content=content,
        headers={**headers, "Content-Type": "application/json"},
    )

    assert response.status_code == 413, response.text
    assert response.json()["detail"]
    assert transcript(client, cid, headers) == before


def test_strange_but_valid_texts_never_give_5xx(client):
    cid, headers = start_conversation(client)
    texts = [
        "😀" * 50,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "ik wil een webshop\n" * 200,
    ]
    for text in texts:
        response = send(client, cid, headers, text)
        assert response.status_code == 200, (text[:20], response.text)
    # a lone surrogate is valid JSON but cannot be stored as UTF-8: it is dropped
    response = client.post(
        f"{API}/{cid}/messages",
        content=b'{"text": "a\\ud800b"}',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    stored = [m["text"] for m in transcript(client, cid, headers) if m["from"] == "user"]
    assert stored == [t.strip() for t in texts] + ["ab"]


# --- what is stored and forwarded ----------------------------------------------------------------


def test_nul_byte_is_stripped_and_the_message_stored(client, fake_rasa):
    cid, headers = start_conversation(client)
    response = send(client, cid, headers, "hal\u0000lo daar")
    assert response.status_code == 200, response.text
    user = [m for m in transcript(client, cid, headers) if m["from"] == "user"]
    assert [m["text"] for m in user] == ["hallo daar"]
    assert fake_rasa.received[-1] == {"sender": cid, "message": "hallo daar"}


@pytest.mark.parametrize(
    "text", ["/restart", "//restart", "/ /restart", "/\t/restart", " /restart"]
)
def test_a_leading_slash_is_not_forwarded_to_rasa(client, fake_rasa, text):
    cid, headers = start_conversation(client)
    response = send(client, cid, headers, text)
    assert response.status_code == 200, response.text
    forwarded = fake_rasa.received[-1]
    assert forwarded["sender"] == cid
    assert not forwarded["message"].lstrip().startswith("/")
    assert "restart" in forwarded["message"]
    # the user's words are kept as typed (minus surrounding blanks)
    assert transcript(client, cid, headers)[-2]["text"] == text.strip()


def test_only_slashes_still_reach_rasa_as_something_harmless(client, fake_rasa):
    cid, headers = start_conversation(client)
    assert send(client, cid, headers, "///").status_code == 200
    message = fake_rasa.received[-1]["message"]
    assert message and "/" not in message


def test_reply_and_transcript_order_and_timestamps(client, fake_rasa):
    fake_rasa.reply = lambda sender, message: [
        {"recipient_id": sender, "text": f"antwoord op {message}",
         "buttons": [{"title": "Ja", "payload": "/affirm"}]}
    ]
    cid, headers = start_conversation(client)
    texts = ["eerste", "tweede", "derde"]
    for text in texts:
        response = send(client, cid, headers, text)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["messages"] == [
            {"text": f"antwoord op {text}", "buttons": [{"title": "Ja", "payload": "/affirm"}]}
        ]
        assert body["state"] == "bot"
        assert body["ticket_reference"] is None

    messages = transcript(client, cid, headers)
    expected = [("bot", f"antwoord op {START_INTENT}")]
    for text in texts:
        expected += [("user", text), ("bot", f"antwoord op {text}")]
    assert [(m["from"], m["text"]) for m in messages] == expected
    stamps = []
    for m in messages:
        at = datetime.fromisoformat(m["at"])
        assert at.tzinfo is not None and at.utcoffset() is not None
        stamps.append(at)
    assert stamps == sorted(stamps)


def test_rasa_down_returns_503_and_keeps_the_users_message(client, fake_rasa):
    cid, headers = start_conversation(client)
    fake_rasa.up = False

    response = send(client, cid, headers, "is er iemand?")

    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert [(m["from"], m["text"]) for m in transcript(client, cid, headers)][-1] == (
        "user",
        "is er iemand?",
    )

    fake_rasa.up = True
    response = send(client, cid, headers, "nog een keer")
    assert response.status_code == 200
    assert [m["from"] for m in transcript(client, cid, headers)] == [
        "bot", "user", "user", "bot",
    ]


def test_when_a_person_has_taken_over_the_bot_is_not_asked(client, fake_rasa):
    cid, headers = start_conversation(client)
    with client.app.state.db.session() as s:
        s.get(Conversation, cid).state = "waiting_for_human"
    sent = len(fake_rasa.received)

    response = send(client, cid, headers, "hallo?")

    assert response.status_code == 200, response.text
    assert response.json()["messages"] == []
    assert response.json()["state"] == "waiting_for_human"
    assert len(fake_rasa.received) == sent
    assert transcript(client, cid, headers)[-1]["text"] == "hallo?"


def test_the_reply_carries_the_ticket_reference_once_there_is_one(client, service):
    cid, headers = start_conversation(client)
    created = client.post("/api/v1/tickets", json=ticket_payload(cid), headers=service)
    assert created.status_code == 201, created.text
    assert count(client, Ticket, conversation_id=cid) == 1

    response = send(client, cid, headers, "bedankt")

    assert response.status_code == 200
    assert response.json()["ticket_reference"] == created.json()["reference"]


def test_concurrent_messages_are_handled_one_at_a_time_in_order(client, fake_rasa):
    cid, headers = start_conversation(client)
    events: list[tuple[str, str]] = []
    guard = threading.Lock()

    def slow_reply(sender, message):
        with guard:
            events.append(("start", message))
        time.sleep(0.05)
        with guard:
            events.append(("end", message))
        return [{"recipient_id": sender, "text": f"echo: {message}"}]

    fake_rasa.reply = slow_reply
    texts = [f"bericht {i}" for i in range(6)]
    with ThreadPoolExecutor(len(texts)) as pool:
        statuses = list(pool.map(lambda t: send(client, cid, headers, t).status_code, texts))

    assert statuses == [200] * len(texts)
    order = [message for kind, message in events if kind == "start"]
    assert sorted(order) == sorted(texts)
    # never two turns at Rasa at the same time
    assert events == [e for message in order for e in (("start", message), ("end", message))]
    # the transcript pairs every message with its own reply, in the order they were handled
    after_greeting = [(m["from"], m["text"]) for m in transcript(client, cid, headers)][1:]
    assert after_greeting == [
        pair for message in order for pair in (("user", message), ("bot", f"echo: {message}"))
    ]
