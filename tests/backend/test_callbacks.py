"""Callback requests: records staff act on (backend/services/callbacks.py), one open request per
conversation, the claim-timeout sweeper making them, the staff API and the dashboard list with
its 'gedaan' button (CSRF-protected)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from backend.db import Database
from backend.models import CallbackRequest, Conversation
from backend.services import callbacks, conversations, handover
from backend.services.helpdesk_hours import load_office_hours
from backend.settings import ROOT
from tests.backend.dashboard_helpers import sign_in

HOURS = load_office_hours(ROOT / "config" / "helpdesk.yml")
OPEN = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
_numbers = iter(range(10**6))


@pytest.fixture
def db(migrated) -> Iterator[Database]:
    database = Database(migrated)
    with database.session() as s:
        handover.set_override(s, open_now=None, by="test")
    yield database
    database.engine.dispose()


def new_conversation(db: Database, channel: str = "voice", contact: str | None = None) -> str:
    with db.session() as s:
        conversation, _ = conversations.create_conversation(s, channel=channel)
        conversation.contact = contact
        return conversation.id


def phone() -> str:
    return f"+3161{next(_numbers):07d}"


def open_request(db: Database, cid: str, reason: str = "caller_choice") -> dict:
    return callbacks.ensure(db, conversation_id=cid, reason=reason)


# --- the service --------------------------------------------------------------------------------


def test_a_request_has_a_reference_and_the_contacts_phone(db):
    number = phone()
    cid = new_conversation(db, contact=number)
    made = open_request(db, cid)
    assert re.fullmatch(r"TB-\d{4}-\d{5}", made["reference"])
    assert (made["phone"], made["reason"], made["status"]) == (number, "caller_choice", "open")
    assert made["done_at"] is None and made["created_at"].endswith("+00:00")
    with db.session() as s:
        assert s.get(Conversation, cid).callback is True


def test_one_open_request_per_conversation(db):
    cid = new_conversation(db, contact=phone())
    first = open_request(db, cid, "outside_hours")
    again = open_request(db, cid, "hangup")
    assert again["id"] == first["id"] and again["reason"] == "outside_hours"
    with db.session() as s:
        callbacks.mark_done(s, key=first["id"], staff="sanne")
    later = open_request(db, cid, "hangup")  # done: a new one may be made
    assert later["id"] != first["id"] and later["reason"] == "hangup"


def test_the_database_refuses_a_second_open_request(db):
    cid = new_conversation(db, contact=phone())
    open_request(db, cid)
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(CallbackRequest(conversation_id=cid, reason="hangup", status="open"))
        s.flush()


def test_without_a_phone_on_the_conversation_the_tickets_phone_is_used(db, client, service):
    from tests.backend.helpers import start_conversation, ticket_payload

    cid, _ = start_conversation(client)
    assert client.post("/api/v1/tickets", headers=service,
                       json=ticket_payload(cid)).status_code == 201
    assert open_request(db, cid, "claim_timeout")["phone"] == "+31612345678"
    assert open_request(db, new_conversation(db, channel="webchat"))["phone"] is None


def test_unknown_conversations_and_reasons_are_refused(db):
    with pytest.raises(conversations.ConversationNotFound), db.session() as s:
        callbacks.request(s, conversation_id="nope", reason="hangup")
    with pytest.raises(ValueError), db.session() as s:
        callbacks.request(s, conversation_id=new_conversation(db), reason="whim")


def test_the_claim_timeout_sweeper_makes_a_request_once(db):
    cid = new_conversation(db, channel="webchat")
    with db.session() as s:
        handover.request(s, conversation_id=cid, reason="asked", hours=HOURS, now=OPEN)
    for minutes in (20, 40):
        with db.session() as s:
            handover.expire_and_tell(s, hours=HOURS, now=OPEN + timedelta(minutes=minutes))
    with db.session() as s:
        rows = s.query(CallbackRequest).filter_by(conversation_id=cid).all()
        assert [(r.reason, r.status) for r in rows] == [("claim_timeout", "open")]
        assert s.get(Conversation, cid).callback is True  # the queue's flag stays


def test_the_sweeper_leaves_an_existing_request_alone(db):
    cid = new_conversation(db, contact=phone())
    with db.session() as s:
        handover.request(s, conversation_id=cid, reason="asked", hours=HOURS, now=OPEN)
    made = open_request(db, cid, "hangup")
    with db.session() as s:
        s.get(Conversation, cid).callback = False  # e.g. a student released and re-asked
    with db.session() as s:
        assert cid in handover.expire_waiting(s, hours=HOURS, now=OPEN + timedelta(hours=1))
    with db.session() as s:
        rows = s.query(CallbackRequest).filter_by(conversation_id=cid).all()
        assert [r.id for r in rows] == [made["id"]]


def test_the_migration_matches_the_model(db):
    table = {c["name"]: c for c in inspect(db.engine).get_columns("callback_requests")}
    assert set(table) == {c.name for c in CallbackRequest.__table__.columns}
    assert {c["name"] for c in inspect(db.engine).get_columns("conversations")} >= {
        "call_status", "call_ended_at"}
    indexes = {i["name"]: i for i in inspect(db.engine).get_indexes("callback_requests")}
    assert indexes["uq_callback_requests_open"]["unique"]


# --- the staff API ------------------------------------------------------------------------------


def test_the_api_is_for_staff_only(client):
    assert client.get("/api/v1/callbacks").status_code == 401
    assert client.post("/api/v1/callbacks/1/done", json={"staff": "x"}).status_code == 401


def test_listing_newest_first_by_status(client, staff):
    db = client.app.state.db
    older = open_request(db, new_conversation(db, contact=phone()), "outside_hours")
    newer = open_request(db, new_conversation(db, contact=phone()), "no_answer")
    items = client.get("/api/v1/callbacks", params={"status": "open"}, headers=staff).json()[
        "items"]
    ids = [i["id"] for i in items]
    assert ids.index(newer["id"]) < ids.index(older["id"])
    assert all(i["status"] == "open" for i in items)
    mine = next(i for i in items if i["id"] == newer["id"])
    assert mine["channel"] == "voice" and mine["reason"] == "no_answer"
    assert client.get("/api/v1/callbacks", params={"status": "lost"},
                      headers=staff).status_code == 422
    everything = client.get("/api/v1/callbacks", headers=staff).json()["items"]
    assert {older["id"], newer["id"]} <= {i["id"] for i in everything}


def test_marking_done(client, staff):
    db = client.app.state.db
    cid = new_conversation(db, contact=phone())
    with db.session() as s:
        handover.request(s, conversation_id=cid, reason="asked", hours=HOURS)
    made = open_request(db, cid)
    response = client.post(f"/api/v1/callbacks/{made['id']}/done", headers=staff,
                           json={"staff": "Sanne", "note": "Gebeld, afspraak gemaakt."})
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["status"], done["done_by"], done["note"]) == (
        "done", "Sanne", "Gebeld, afspraak gemaakt.")
    assert done["done_at"] is not None
    with db.session() as s:
        c = s.get(Conversation, cid)
        assert (c.state, c.outcome, c.callback) == ("closed", "teruggebeld", False)
    again = client.post(f"/api/v1/callbacks/{made['reference']}/done", headers=staff,
                        json={"staff": "Piet"})
    assert again.status_code == 409 and "already done" in again.json()["detail"]
    listed = client.get("/api/v1/callbacks", params={"status": "done"}, headers=staff).json()
    assert made["id"] in [i["id"] for i in listed["items"]]
    open_ids = client.get("/api/v1/callbacks", params={"status": "open"}, headers=staff).json()
    assert made["id"] not in [i["id"] for i in open_ids["items"]]


def test_marking_done_by_reference(client, staff):
    db = client.app.state.db
    made = open_request(db, new_conversation(db, contact=phone()))
    response = client.post(f"/api/v1/callbacks/{made['reference'].lower()}/done",
                           headers=staff, json={"staff": "Sanne"})
    assert response.status_code == 200 and response.json()["id"] == made["id"]


@pytest.mark.parametrize("key", ["999999999", "TB-1999-00001", "abc", "1" * 30])
def test_an_unknown_request_is_404(client, staff, key):
    response = client.post(f"/api/v1/callbacks/{key}/done", headers=staff,
                           json={"staff": "Sanne"})
    assert response.status_code == 404


@pytest.mark.parametrize("body", [
    None, {}, {"staff": ""}, {"staff": "   "}, {"staff": 12}, {"staff": "x" * 121},
    {"staff": "Sanne", "note": 5}, {"staff": "Sanne", "note": "x" * 2001},
    {"staff": "Sanne", "colour": "blue"}, ["Sanne"],
])
def test_a_bad_body_is_422_and_changes_nothing(client, staff, body):
    db = client.app.state.db
    made = open_request(db, new_conversation(db, contact=phone()))
    response = client.post(f"/api/v1/callbacks/{made['id']}/done", headers=staff, json=body)
    assert response.status_code == 422
    with db.session() as s:
        assert s.get(CallbackRequest, made["id"]).status == "open"


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_lists_open_requests_with_a_done_button(client):
    db = client.app.state.db
    number = phone()
    made = open_request(db, new_conversation(db, contact=number), "hangup")
    done = open_request(db, new_conversation(db, contact=phone()))
    with db.session() as s:
        callbacks.mark_done(s, key=done["id"], staff="piet@werkplaats.example")
    csrf = sign_in(client, "student", name="Sanne")
    page = client.get("/dashboard/terugbellen")
    assert page.status_code == 200
    row = re.search(rf'<tr data-id="{made["id"]}">(.*?)</tr>', page.text, re.S).group(1)
    assert made["reference"] in row and number in row
    assert "hing op tijdens het wachten" in row and "Telefoon" in row
    assert f'action="/dashboard/terugbellen/{made["id"]}/gedaan"' in row
    assert f'<tr data-id="{done["id"]}">' not in page.text
    assert 'href="/dashboard/terugbellen"' in client.get("/dashboard").text  # in the menu
    # without the form's CSRF token nothing happens
    refused = client.post(f"/dashboard/terugbellen/{made['id']}/gedaan",
                          data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    with db.session() as s:
        assert s.get(CallbackRequest, made["id"]).status == "open"
    response = client.post(f"/dashboard/terugbellen/{made['id']}/gedaan",
                           data={"csrf_token": csrf, "notitie": "Voicemail ingesproken"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/dashboard/terugbellen?gedaan={made['reference']}"
    with db.session() as s:
        row = s.get(CallbackRequest, made["id"])
        assert (row.status, row.note) == ("done", "Voicemail ingesproken")
        assert row.done_by.endswith("@werkplaats.example")
    page = client.get(response.headers["location"])
    assert f"{made['reference']} staat op gedaan." in page.text
    assert f'<tr data-id="{made["id"]}">' not in page.text
    twice = client.post(f"/dashboard/terugbellen/{made['id']}/gedaan",
                        data={"csrf_token": csrf}, follow_redirects=False)
    assert twice.status_code == 409


def test_the_dashboard_page_needs_a_sign_in(client):
    response = client.get("/dashboard/terugbellen", follow_redirects=False)
    assert response.status_code == 303 and "/dashboard/login" in response.headers["location"]
