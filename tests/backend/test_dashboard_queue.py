"""The dashboard's live queue (page and JSON) and the coordinator's helpdesk switch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from backend.db import Database
from backend.models import Conversation, utcnow
from backend.services import handover
from tests.backend.dashboard_helpers import sign_in, waiting_conversation
from tests.backend.helpers import ticket_payload


@pytest.fixture(autouse=True)
def follow_the_hours(migrated) -> Iterator[None]:
    """The switch is global: every test starts and ends without an override."""
    db = Database(migrated)
    with db.session() as s:
        handover.set_override(s, open_now=None, by="test")
    yield
    with db.session() as s:
        handover.set_override(s, open_now=None, by="test")
    db.engine.dispose()


def _waited(client, cid: str, minutes: int) -> None:
    with client.app.state.db.session() as s:
        s.execute(update(Conversation).where(Conversation.id == cid).values(
            handover_requested_at=utcnow() - timedelta(minutes=minutes, seconds=5)))


def _row(html: str, cid: str) -> str:
    match = re.search(rf'<tr data-id="{cid}">(.*?)</tr>', html, re.S)
    assert match, f"{cid} is not in the queue"
    return match.group(1)


def test_the_queue_shows_a_waiting_conversation(client, service):
    sign_in(client, "student")
    cid, _ = waiting_conversation(client, service, text="Mijn webshop verkoopt te weinig")
    _waited(client, cid, 7)
    row = _row(client.get("/dashboard").text, cid)
    assert "7 min" in row
    assert "Webchat" in row
    assert "Mijn webshop verkoopt te weinig" in row  # no ticket yet: the first thing they said
    assert "nog onbekend" in row  # theme
    assert f'href="/dashboard/conversations/{cid}"' in row


def test_the_queue_shows_the_ticket_theme_and_summary(client, service):
    sign_in(client, "student")
    cid, _ = waiting_conversation(client, service)
    created = client.post("/api/v1/tickets", headers=service, json=ticket_payload(
        cid, summary="Bakkerij wil brood online verkopen."))
    assert created.status_code == 201, created.text
    _waited(client, cid, 75)
    row = _row(client.get("/dashboard").text, cid)
    assert "Bakkerij wil brood online verkopen." in row
    assert "Online marketing &amp; sales" in row
    assert "1 u 15 min" in row


def test_the_queue_json_for_live_updates(client, service):
    sign_in(client, "student")
    before = client.get("/dashboard/api/queue").json()
    cid, _ = waiting_conversation(client, service, text="Ik zoek hulp met Excel")
    _waited(client, cid, 3)
    data = client.get("/dashboard/api/queue").json()
    assert len(data["waiting"]) == len(before["waiting"]) + 1
    mine = next(r for r in data["waiting"] if r["conversation_id"] == cid)
    assert mine["channel"] == "Webchat" and mine["summary"] == "Ik zoek hulp met Excel"
    assert 180 <= mine["waiting_seconds"] < 600
    assert mine["url"] == f"/dashboard/conversations/{cid}"
    assert mine["reason"] == "vroeg om een mens"
    assert set(data["helpdesk"]) >= {"open", "override", "next_opening"}


def test_claimed_conversations_move_to_their_own_list(client, service):
    csrf = sign_in(client, "student", name="Sanne Student")
    cid, _ = waiting_conversation(client, service)
    client.post(f"/dashboard/conversations/{cid}/claim", data={"csrf_token": csrf})
    data = client.get("/dashboard/api/queue").json()
    assert cid not in [r["conversation_id"] for r in data["waiting"]]
    claimed = next(r for r in data["claimed"] if r["conversation_id"] == cid)
    assert claimed["assigned_to"] == "Sanne Student"


def test_conversations_with_the_bot_are_not_in_the_queue(client):
    from tests.backend.helpers import start_conversation

    sign_in(client, "student")
    cid, _ = start_conversation(client)
    assert cid not in client.get("/dashboard").text


@pytest.mark.parametrize(("stand", "expected"), [("open", True), ("closed", False),
                                                 ("auto", None)])
def test_a_coordinator_switches_the_helpdesk(client, stand, expected):
    csrf = sign_in(client, "coordinator")
    with client.app.state.db.session() as s:
        handover.set_override(s, open_now=not expected if expected is not None else True,
                              by="test")
    response = client.post("/dashboard/helpdesk", data={"csrf_token": csrf, "stand": stand},
                           follow_redirects=False)
    assert response.status_code == 303
    with client.app.state.db.session() as s:
        assert handover.override(s) is expected
    api = client.get("/api/v1/helpdesk/availability",
                     headers={"Authorization": "Bearer test-admin-token-0123456789"}).json()
    assert api["override"] is expected
    page = client.get("/dashboard").text
    assert re.search(rf'aria-pressed="true" data-stand="{stand}"', page)


def test_the_switch_records_who_used_it(client):
    from sqlalchemy import select

    from backend.models import HelpdeskOverride

    csrf = sign_in(client, "admin")
    client.post("/dashboard/helpdesk", data={"csrf_token": csrf, "stand": "open"})
    with client.app.state.db.session() as s:
        last = s.scalars(select(HelpdeskOverride).order_by(HelpdeskOverride.id.desc())).first()
        assert last.open is True and last.set_by.startswith("admin-")


def test_a_student_cannot_use_the_switch(client):
    csrf = sign_in(client, "student")
    assert 'action="/dashboard/helpdesk"' not in client.get("/dashboard").text
    response = client.post("/dashboard/helpdesk", data={"csrf_token": csrf, "stand": "open"})
    assert response.status_code == 403
    with client.app.state.db.session() as s:
        assert handover.override(s) is None


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_the_switch_needs_the_csrf_token(client, token):
    sign_in(client, "coordinator")
    data = {"stand": "open"} if token is None else {"stand": "open", "csrf_token": token}
    assert client.post("/dashboard/helpdesk", data=data).status_code == 403
    with client.app.state.db.session() as s:
        assert handover.override(s) is None


def test_an_unknown_switch_position_changes_nothing(client):
    csrf = sign_in(client, "coordinator")
    response = client.post("/dashboard/helpdesk", data={"csrf_token": csrf, "stand": "maybe"})
    assert response.status_code == 422
    with client.app.state.db.session() as s:
        assert handover.override(s) is None
