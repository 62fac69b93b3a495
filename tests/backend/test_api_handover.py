"""The hand-over API: auth, errors, the whole flow with the web chat (FakeRasa), the helpdesk
switch, and the background sweeper that turns unclaimed requests into callbacks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.db import Database
from backend.models import Conversation
from backend.services import handover as handover_service
from tests.backend.conftest import make_settings
from tests.backend.helpers import bearer, start_conversation, transcript

API = "/api/v1"
OPEN = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
CLOSED = datetime(2027, 2, 6, 11, 0, tzinfo=UTC)  # Saturday 12:00


@pytest.fixture(scope="module")
def module_db(migrated) -> Iterator[Database]:
    db = Database(migrated)
    yield db
    db.engine.dispose()


@pytest.fixture(autouse=True)
def follow_the_hours(module_db) -> Iterator[None]:
    """The helpdesk switch is global: every test starts and ends without an override."""
    with module_db.session() as s:
        handover_service.set_override(s, open_now=None, by="test")
    yield
    with module_db.session() as s:
        handover_service.set_override(s, open_now=None, by="test")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The hand-over service's idea of 'now' (office hours are otherwise the real ones)."""
    fixed = Clock(OPEN)
    monkeypatch.setattr(handover_service, "utcnow", fixed)
    return fixed


def send(client, cid, headers, text):
    response = client.post(f"{API}/conversations/{cid}/messages", json={"text": text},
                           headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def ask_for_a_person(client, cid, service, reason="asked") -> dict:
    response = client.post(f"{API}/conversations/{cid}/handover", json={"reason": reason},
                           headers=service)
    assert response.status_code == 200, response.text
    return response.json()


def state_of(client, cid) -> Conversation:
    with client.app.state.db.session() as s:
        return s.get(Conversation, cid)


def queue(client, staff, include_claimed=False) -> list[dict]:
    response = client.get(f"{API}/handovers", params={"include_claimed": include_claimed},
                          headers=staff)
    assert response.status_code == 200, response.text
    return response.json()["items"]


# --- auth ------------------------------------------------------------------------------------

STAFF_ONLY = [
    ("POST", "/conversations/{cid}/claim", {"staff": "anouk"}),
    ("POST", "/conversations/{cid}/reply", {"text": "hoi"}),
    ("POST", "/conversations/{cid}/release", None),
    ("POST", "/conversations/{cid}/close", {"outcome": "klaar"}),
    ("GET", "/handovers", None),
    ("GET", "/helpdesk/availability", None),
    ("PUT", "/helpdesk/availability", {"open": True}),
]


@pytest.mark.parametrize(("method", "path", "body"), STAFF_ONLY)
def test_staff_endpoints_need_the_staff_token(client, service, method, path, body):
    cid, conversation_headers = start_conversation(client)
    for headers in ({}, bearer("not-the-token"), service, conversation_headers):
        response = client.request(method, API + path.format(cid=cid), json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"] == "Bearer"
    c = state_of(client, cid)
    assert (c.state, c.assigned_to) == ("bot", None)
    with client.app.state.db.session() as s:
        assert handover_service.override(s) is None


def test_requesting_a_hand_over_needs_the_service_token(client):
    cid, conversation_headers = start_conversation(client)
    for headers in ({}, bearer("not-the-token"), conversation_headers):
        response = client.post(f"{API}/conversations/{cid}/handover", json={"reason": "asked"},
                               headers=headers)
        assert response.status_code == 401, headers
    assert state_of(client, cid).state == "bot"


@pytest.mark.parametrize("who", ["service", "staff"])
def test_service_and_staff_may_request_a_hand_over(client, clock, service, staff, who):
    cid, _ = start_conversation(client)
    body = ask_for_a_person(client, cid, {"service": service, "staff": staff}[who])
    assert body["state"] == "waiting_for_human"
    assert state_of(client, cid).state == "waiting_for_human"


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "token"),
    [
        ("/conversations/{cid}/handover", {"reason": "asked"}, "service"),
        ("/conversations/{cid}/claim", {"staff": "anouk"}, "staff"),
        ("/conversations/{cid}/reply", {"text": "hoi"}, "staff"),
        ("/conversations/{cid}/release", None, "staff"),
        ("/conversations/{cid}/close", None, "staff"),
    ],
)
def test_unknown_conversation_is_404(client, service, staff, path, body, token):
    headers = {"service": service, "staff": staff}[token]
    for cid in ("0" * 32, "x" * 41):
        response = client.post(API + path.format(cid=cid), json=body, headers=headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "conversation not found"}


def test_conflicts_are_409(client, clock, service, staff):
    cid, _ = start_conversation(client)
    url = f"{API}/conversations/{cid}"
    # reply and release need a hand-over first
    assert client.post(f"{url}/reply", json={"text": "hoi"}, headers=staff).status_code == 409
    assert client.post(f"{url}/release", headers=staff).status_code == 409
    ask_for_a_person(client, cid, service)
    assert client.post(f"{url}/reply", json={"text": "hoi"}, headers=staff).status_code == 409
    assert client.post(f"{url}/claim", json={"staff": "anouk"}, headers=staff).status_code == 200
    # the same student again is fine, another one is not
    assert client.post(f"{url}/claim", json={"staff": "anouk"}, headers=staff).status_code == 200
    response = client.post(f"{url}/claim", json={"staff": "bram"}, headers=staff)
    assert response.status_code == 409
    assert "anouk" in response.json()["detail"]
    assert client.post(f"{url}/close", headers=staff).status_code == 200
    assert client.post(f"{url}/close", headers=staff).status_code == 409
    assert client.post(f"{url}/claim", json={"staff": "anouk"}, headers=staff).status_code == 409
    assert client.post(f"{url}/release", headers=staff).status_code == 409
    c = state_of(client, cid)
    assert (c.state, c.outcome) == ("closed", "afgehandeld")


BAD_STAFF_BODIES = [
    ("reply", {"text": ""}),
    ("reply", {"text": "   \n\t "}),
    ("reply", {"text": "\x00\x01"}),
    ("reply", {"text": "x" * 5001}),
    ("reply", {"text": 123}),
    ("reply", {"staff": "anouk"}),
    ("reply", {"text": "hoi", "staff": ""}),
    ("claim", {"staff": ""}),
    ("claim", {"staff": "x" * 121}),
    ("claim", {"staff": 7}),
    ("close", {"outcome": ""}),
    ("close", {"outcome": "x" * 201}),
]


def test_bad_staff_bodies_are_422(client, clock, service, staff):
    cid, headers = start_conversation(client)
    ask_for_a_person(client, cid, service)
    client.post(f"{API}/conversations/{cid}/claim", json={"staff": "anouk"}, headers=staff)
    before = transcript(client, cid, headers)
    for action, body in BAD_STAFF_BODIES:
        response = client.post(f"{API}/conversations/{cid}/{action}", json=body, headers=staff)
        assert response.status_code == 422, (action, body)
        assert "x" * 200 not in response.text  # the input is not echoed back
    assert transcript(client, cid, headers) == before
    c = state_of(client, cid)
    assert (c.state, c.assigned_to, c.outcome) == ("human", "anouk", None)


def test_bad_hand_over_bodies_are_422(client, service):
    cid, _ = start_conversation(client)
    for body in ({"reason": "boos"}, {"reason": ""}, {"reason": 3}, [1]):
        response = client.post(f"{API}/conversations/{cid}/handover", json=body,
                               headers=service)
        assert response.status_code == 422, body
    assert state_of(client, cid).state == "bot"


def test_bad_availability_bodies_are_422(client, staff):
    for body in ({"open": "yes"}, {"open": 1}, {"open": "true"}, {}, None):
        response = client.put(f"{API}/helpdesk/availability", json=body, headers=staff)
        assert response.status_code == 422, body
    with client.app.state.db.session() as s:
        assert handover_service.override(s) is None


def test_defaults_without_a_body(client, clock, service, staff):
    cid, _ = start_conversation(client)
    response = client.post(f"{API}/conversations/{cid}/handover", headers=service)
    assert response.status_code == 200, response.text
    response = client.post(f"{API}/conversations/{cid}/claim", headers=staff)
    assert response.json() == {"state": "human", "assigned_to": "helpdesk"}
    response = client.post(f"{API}/conversations/{cid}/close", headers=staff)
    assert response.json() == {"state": "closed", "outcome": "afgehandeld"}
    c = state_of(client, cid)
    assert (c.handover_reason, c.assigned_to, c.outcome) == ("asked", "helpdesk", "afgehandeld")


def test_a_reply_of_exactly_5000_characters_is_fine_and_cleaned(client, clock, service, staff):
    cid, headers = start_conversation(client)
    ask_for_a_person(client, cid, service)
    client.post(f"{API}/conversations/{cid}/claim", json={"staff": "anouk"}, headers=staff)
    url = f"{API}/conversations/{cid}/reply"
    response = client.post(url, json={"text": "y" * 5000}, headers=staff)
    assert response.status_code == 201
    response = client.post(url, json={"text": "  Hoi\x00 daar \n"}, headers=staff)
    assert response.status_code == 201
    body = response.json()
    assert (body["from"], body["text"]) == ("staff", "Hoi daar")
    assert datetime.fromisoformat(body["at"]).tzinfo is not None
    assert [m["text"] for m in transcript(client, cid, headers)[-2:]] == ["y" * 5000, "Hoi daar"]


# --- the whole flow --------------------------------------------------------------------------


def test_the_whole_hand_over_flow(client, fake_rasa, clock, service, staff):
    cid, headers = start_conversation(client)
    url = f"{API}/conversations/{cid}"
    assert send(client, cid, headers, "Ik heb een webshop")["state"] == "bot"
    forwarded = len(fake_rasa.received)
    assert forwarded == 2  # the greeting and the first message

    # the action server asks for a person
    status = ask_for_a_person(client, cid, service, reason="frustrated")
    assert status["state"] == "waiting_for_human"
    assert (status["open"], status["callback"]) == (True, False)
    assert status["expected_wait_minutes"] == 10

    # while waiting, messages are kept but the bot stays out of it
    body = send(client, cid, headers, "Is er al iemand?")
    assert body == {"messages": [], "state": "waiting_for_human", "ticket_reference": None}
    assert len(fake_rasa.received) == forwarded

    [item] = [i for i in queue(client, staff) if i["conversation_id"] == cid]
    assert (item["reason"], item["summary"], item["state"]) == (
        "frustrated", "Ik heb een webshop", "waiting_for_human")

    response = client.post(f"{url}/claim", json={"staff": "anouk"}, headers=staff)
    assert response.json() == {"state": "human", "assigned_to": "anouk"}
    assert cid not in [i["conversation_id"] for i in queue(client, staff)]
    [item] = [i for i in queue(client, staff, include_claimed=True)
              if i["conversation_id"] == cid]
    assert (item["state"], item["assigned_to"]) == ("human", "anouk")

    response = client.post(f"{url}/reply", json={"text": "Hoi, met Anouk van de helpdesk.",
                                                  "staff": "anouk"}, headers=staff)
    assert response.status_code == 201
    body = send(client, cid, headers, "Fijn, dank je!")
    assert (body["messages"], body["state"]) == ([], "human")
    assert len(fake_rasa.received) == forwarded

    # the student hands the conversation back: the bot picks up
    fake_rasa.reply = lambda sender, message: [
        {"recipient_id": sender, "text": "Je praat weer met de digitale assistent."}]
    response = client.post(f"{url}/release", headers=staff)
    assert response.status_code == 200
    assert response.json() == {"state": "bot", "messages": [
        {"text": "Je praat weer met de digitale assistent.", "buttons": []}]}
    assert fake_rasa.received[forwarded:] == [{"sender": cid, "message": "/resume_intake"}]
    assert [(m["from"], m["text"]) for m in transcript(client, cid, headers)][1:] == [
        ("user", "Ik heb een webshop"),
        ("bot", "echo: Ik heb een webshop"),
        ("user", "Is er al iemand?"),
        ("staff", "Hoi, met Anouk van de helpdesk."),
        ("user", "Fijn, dank je!"),
        ("bot", "Je praat weer met de digitale assistent."),
    ]
    fake_rasa.reply = lambda sender, message: [{"recipient_id": sender,
                                                "text": f"echo: {message}"}]
    body = send(client, cid, headers, "verder")
    assert body["state"] == "bot" and body["messages"][0]["text"] == "echo: verder"

    # closed; writing again reopens the conversation with the bot
    response = client.post(f"{url}/close", json={"outcome": "vraag beantwoord"}, headers=staff)
    assert response.json() == {"state": "closed", "outcome": "vraag beantwoord"}
    assert state_of(client, cid).state == "closed"
    body = send(client, cid, headers, "Nog een vraag")
    assert body["state"] == "bot"
    assert body["messages"] == [{"text": "echo: Nog een vraag", "buttons": []}]
    assert fake_rasa.received[-1] == {"sender": cid, "message": "Nog een vraag"}


def test_release_while_the_bot_is_down(client, fake_rasa, clock, service, staff):
    cid, headers = start_conversation(client)
    ask_for_a_person(client, cid, service)
    client.post(f"{API}/conversations/{cid}/claim", headers=staff)
    fake_rasa.up = False
    response = client.post(f"{API}/conversations/{cid}/release", headers=staff)
    assert response.status_code == 200
    assert response.json() == {"state": "bot", "messages": []}
    assert state_of(client, cid).state == "bot"
    assert [m["from"] for m in transcript(client, cid, headers)] == ["bot"]


def test_a_waiting_request_can_be_released_too(client, fake_rasa, clock, service, staff):
    cid, _ = start_conversation(client)
    ask_for_a_person(client, cid, service)
    response = client.post(f"{API}/conversations/{cid}/release", headers=staff)
    assert response.status_code == 200
    assert response.json()["messages"] == [{"text": "echo: /resume_intake", "buttons": []}]
    assert state_of(client, cid).state == "bot"


# --- the helpdesk switch ---------------------------------------------------------------------


def test_closing_the_helpdesk_makes_requests_callbacks(client, clock, service, staff):
    response = client.put(f"{API}/helpdesk/availability", json={"open": False}, headers=staff)
    assert response.status_code == 200
    assert response.json() == {"open": False, "override": False, "scheduled_open": True,
                               "expected_wait_minutes": 10, "next_opening": "morgen om 09:00"}
    cid, _ = start_conversation(client)
    status = ask_for_a_person(client, cid, service)
    assert (status["state"], status["open"], status["callback"]) == (
        "waiting_for_human", False, True)
    assert status["next_opening"] == "morgen om 09:00"
    assert state_of(client, cid).callback is True
    response = client.get(f"{API}/helpdesk/availability", headers=staff)
    assert (response.json()["open"], response.json()["override"]) == (False, False)


def test_opening_the_helpdesk_outside_office_hours(client, clock, service, staff):
    clock.now = CLOSED
    response = client.put(f"{API}/helpdesk/availability", json={"open": True}, headers=staff)
    assert response.json()["open"] is True and response.json()["scheduled_open"] is False
    cid, _ = start_conversation(client)
    status = ask_for_a_person(client, cid, service)
    assert (status["open"], status["callback"], status["next_opening"]) == (True, False, None)


@pytest.mark.parametrize(
    ("now", "is_open", "next_opening"),
    [(OPEN, True, None), (CLOSED, False, "maandag om 09:00")],
)
def test_back_to_the_office_hours(client, clock, service, staff, now, is_open, next_opening):
    clock.now = now
    client.put(f"{API}/helpdesk/availability", json={"open": not is_open}, headers=staff)
    response = client.put(f"{API}/helpdesk/availability", json={"open": None}, headers=staff)
    assert response.status_code == 200
    assert response.json() == {"open": is_open, "override": None, "scheduled_open": is_open,
                               "expected_wait_minutes": 10, "next_opening": next_opening}
    cid, _ = start_conversation(client)
    status = ask_for_a_person(client, cid, service)
    assert (status["open"], status["callback"]) == (is_open, not is_open)


# --- the sweeper -----------------------------------------------------------------------------


def wait_for(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _requested_long_ago(app, cid: str) -> None:
    with app.state.db.session() as s:
        conversation = s.get(Conversation, cid)
        conversation.handover_requested_at = datetime.now(UTC) - timedelta(hours=1)
        conversation.callback = False


def test_the_sweeper_turns_an_unclaimed_request_into_a_callback(migrated, fake_rasa, service,
                                                                  staff):
    app = create_app(make_settings(migrated, fake_rasa.url, handover_sweep_seconds=0.05))
    with TestClient(app) as client:
        client.put(f"{API}/helpdesk/availability", json={"open": True}, headers=staff)
        cid, headers = start_conversation(client)
        fresh, _ = start_conversation(client)
        ask_for_a_person(client, cid, service)
        ask_for_a_person(client, fresh, service)
        _requested_long_ago(app, cid)

        def told() -> list[dict]:
            return [m for m in transcript(client, cid, headers)
                    if m["text"].startswith("Het lukt nu niet om iemand van de helpdesk")]

        [message] = wait_for(told)
        assert message["from"] == "bot"
        [item] = [i for i in queue(client, staff) if i["conversation_id"] == cid]
        assert (item["callback"], item["state"]) == (True, "waiting_for_human")
        time.sleep(0.2)  # a few more rounds: told once, and the fresh request is left alone
        assert len(told()) == 1
        assert state_of(client, fresh).callback is False


def test_the_sweeper_survives_an_error(migrated, fake_rasa, service, staff, monkeypatch):
    real = handover_service.expire_and_tell
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real(*args, **kwargs)

    monkeypatch.setattr(handover_service, "expire_and_tell", flaky)
    app = create_app(make_settings(migrated, fake_rasa.url, handover_sweep_seconds=0.05))
    with TestClient(app) as client:
        client.put(f"{API}/helpdesk/availability", json={"open": True}, headers=staff)
        cid, _ = start_conversation(client)
        ask_for_a_person(client, cid, service)
        _requested_long_ago(app, cid)
        assert wait_for(lambda: state_of(client, cid).callback)
    assert len(calls) >= 2
