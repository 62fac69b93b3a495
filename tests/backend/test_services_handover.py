"""backend.services.handover: every state transition against the real (migrated) database,
concurrent claims, the claim timeout, the queue, and the helpdesk override."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.db import Database
from backend.models import Conversation, HelpdeskOverride
from backend.services import conversations, handover, tickets
from backend.services.conversations import ConversationNotFound
from backend.services.handover import HandoverConflict
from backend.services.helpdesk_hours import OfficeHours, load_office_hours
from backend.services.werkplaatsen import Directory, Werkplaats
from backend.settings import ROOT
from tests.backend.helpers import ticket_payload

HOURS = load_office_hours(ROOT / "config" / "helpdesk.yml")
AMS = ZoneInfo("Europe/Amsterdam")
OPEN = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
CLOSED = datetime(2027, 2, 6, 11, 0, tzinfo=UTC)  # Saturday 12:00
DIRECTORY = Directory(default="Loket", werkplaatsen=(Werkplaats("Midden", "", ((34, 41),)),))


@pytest.fixture
def db(migrated) -> Iterator[Database]:
    database = Database(migrated)
    # the override is global: start and end every test following the office hours
    with database.session() as s:
        handover.set_override(s, open_now=None, by="test")
    yield database
    with database.session() as s:
        handover.set_override(s, open_now=None, by="test")
    database.engine.dispose()


def new_conversation(db: Database, *user_texts: str, channel: str = "webchat") -> str:
    with db.session() as s:
        conversation, _ = conversations.create_conversation(s, channel=channel)
        conversations.add_message(s, conversation_id=conversation.id, sender="bot", text="Hoi!")
        for text in user_texts:
            conversations.add_message(s, conversation_id=conversation.id, sender="user",
                                      text=text)
        return conversation.id


def row(db: Database, cid: str) -> Conversation:
    with db.session() as s:
        return s.get(Conversation, cid)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a timezone (stored as UTC)."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def run(db: Database, fn, **kwargs):
    with db.session() as s:
        return fn(s, **kwargs)


def request(db, cid, reason="asked", now=OPEN, hours=HOURS) -> dict:
    return run(db, handover.request, conversation_id=cid, reason=reason, hours=hours, now=now)


def claim(db, cid, staff="anouk", now=OPEN) -> None:
    run(db, handover.claim, conversation_id=cid, staff=staff, now=now)


def messages(db, cid) -> list[dict]:
    return run(db, conversations.transcript, conversation_id=cid)


def set_state(db: Database, cid: str, state: str) -> None:
    with db.session() as s:
        s.get(Conversation, cid).state = state


# --- request ---------------------------------------------------------------------------------


def test_request_during_office_hours(db):
    cid = new_conversation(db, "Ik wil iemand spreken")
    status = request(db, cid, reason="frustrated")
    assert status == {"state": "waiting_for_human", "callback": False, "open": True,
                      "override": None, "scheduled_open": True, "expected_wait_minutes": 10,
                      "next_opening": None}
    c = row(db, cid)
    assert (c.state, c.handover_reason, c.callback, c.assigned_to) == (
        "waiting_for_human", "frustrated", False, None)
    assert aware(c.handover_requested_at) == OPEN


def test_request_when_closed_becomes_a_callback(db):
    cid = new_conversation(db)
    status = request(db, cid, now=CLOSED)
    assert status["state"] == "waiting_for_human"
    assert status["open"] is False and status["callback"] is True
    assert status["next_opening"] == "maandag om 09:00"
    assert row(db, cid).callback is True


def test_request_is_idempotent_while_waiting(db):
    cid = new_conversation(db)
    request(db, cid, reason="sensitive")
    status = request(db, cid, reason="asked", now=OPEN + timedelta(minutes=5))
    assert status["state"] == "waiting_for_human"
    c = row(db, cid)
    assert c.handover_reason == "sensitive"  # the first request stands
    assert aware(c.handover_requested_at) == OPEN  # and keeps its place in the queue


def test_request_is_idempotent_while_a_person_has_it(db):
    cid = new_conversation(db)
    request(db, cid)
    claim(db, cid, staff="anouk")
    status = request(db, cid, reason="bot_failed", now=CLOSED)
    assert status["state"] == "human" and status["callback"] is False
    c = row(db, cid)
    assert (c.state, c.assigned_to, c.handover_reason) == ("human", "anouk", "asked")


def test_request_reopens_a_closed_conversation_for_a_person(db):
    cid = new_conversation(db)
    request(db, cid)
    claim(db, cid, staff="anouk")
    run(db, handover.close, conversation_id=cid, outcome="afgehandeld")
    later = OPEN + timedelta(days=1)
    status = request(db, cid, reason="asked", now=later)
    assert status["state"] == "waiting_for_human"
    c = row(db, cid)
    assert (c.state, c.assigned_to, c.claimed_at) == ("waiting_for_human", None, None)
    assert aware(c.handover_requested_at) == later


def test_times_in_any_timezone_are_stored_as_the_same_instant(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN.astimezone(AMS))
    claim(db, cid, now=(OPEN + timedelta(minutes=1)).astimezone(AMS))
    run(db, handover.close, conversation_id=cid, outcome="klaar",
        now=(OPEN + timedelta(minutes=2)).astimezone(AMS))
    c = row(db, cid)
    assert aware(c.handover_requested_at) == OPEN
    assert aware(c.claimed_at) == OPEN + timedelta(minutes=1)
    assert aware(c.closed_at) == OPEN + timedelta(minutes=2)


def test_request_from_closed_while_the_helpdesk_is_closed_is_a_callback(db):
    cid = new_conversation(db)
    run(db, handover.close, conversation_id=cid, outcome="klaar", now=OPEN)
    status = request(db, cid, now=CLOSED)
    assert (status["state"], status["callback"]) == ("waiting_for_human", True)


def test_request_follows_the_override(db):
    cid = new_conversation(db)
    run(db, handover.set_override, open_now=False, by="coordinator")
    status = request(db, cid, now=OPEN)  # office hours, but nobody is there
    assert (status["open"], status["override"], status["scheduled_open"]) == (False, False, True)
    assert status["callback"] is True
    assert status["next_opening"] == "morgen om 09:00"


@pytest.mark.parametrize("cid", ["nope", "x" * 41])
def test_unknown_conversation(db, cid):
    for fn, kwargs in [
        (handover.request, {"reason": "asked", "hours": HOURS}),
        (handover.claim, {"staff": "anouk"}),
        (handover.reply, {"staff": "anouk", "text": "hoi"}),
        (handover.release, {}),
        (handover.close, {"outcome": "x"}),
    ]:
        with pytest.raises(ConversationNotFound):
            run(db, fn, conversation_id=cid, **kwargs)


# --- claim -----------------------------------------------------------------------------------


def test_claim_a_waiting_conversation(db):
    cid = new_conversation(db)
    request(db, cid, now=CLOSED)  # a callback ...
    claim(db, cid, staff="anouk", now=CLOSED + timedelta(days=2))
    c = row(db, cid)
    assert (c.state, c.assigned_to) == ("human", "anouk")
    assert c.callback is False  # ... is done once somebody has it
    assert aware(c.claimed_at) == CLOSED + timedelta(days=2)


def test_claim_straight_from_the_bot(db):
    cid = new_conversation(db)
    claim(db, cid, staff="anouk")
    c = row(db, cid)
    assert (c.state, c.assigned_to) == ("human", "anouk")


def test_the_same_student_may_claim_twice(db):
    cid = new_conversation(db)
    request(db, cid)
    claim(db, cid, staff="anouk", now=OPEN)
    claim(db, cid, staff="anouk", now=OPEN + timedelta(minutes=1))
    c = row(db, cid)
    assert (c.state, c.assigned_to) == ("human", "anouk")
    assert aware(c.claimed_at) == OPEN  # the first claim counts


def test_another_student_cannot_claim(db):
    cid = new_conversation(db)
    request(db, cid)
    claim(db, cid, staff="anouk")
    with pytest.raises(HandoverConflict, match="anouk"):
        claim(db, cid, staff="bram")
    assert row(db, cid).assigned_to == "anouk"


def test_a_closed_conversation_cannot_be_claimed(db):
    cid = new_conversation(db)
    run(db, handover.close, conversation_id=cid, outcome="klaar")
    with pytest.raises(HandoverConflict, match="closed"):
        claim(db, cid)
    c = row(db, cid)
    assert (c.state, c.assigned_to) == ("closed", None)


def _race(db: Database, cid: str, students: list[str]) -> dict[str, str]:
    """Every student claims in their own thread and session; -> {student: 'won'|'conflict'}."""
    start = threading.Barrier(len(students), timeout=10)
    results: dict[str, str] = {}

    def student(name: str) -> None:
        start.wait()
        try:
            with db.session() as s:
                handover.claim(s, conversation_id=cid, staff=name)
            results[name] = "won"
        except HandoverConflict:
            results[name] = "conflict"
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results[name] = repr(exc)

    threads = [threading.Thread(target=student, args=(n,)) for n in students]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    return results


def test_two_students_claim_at_once_exactly_one_wins(db, monkeypatch):
    """Both read the conversation as waiting before either writes: a read-then-write claim would
    let both win here."""
    both_read = threading.Barrier(2, timeout=10)
    real_get = handover._get

    def get_then_wait(s, conversation_id):
        conversation = real_get(s, conversation_id)
        both_read.wait()
        return conversation

    cid = new_conversation(db)
    request(db, cid)
    monkeypatch.setattr(handover, "_get", get_then_wait)
    results = _race(db, cid, ["anouk", "bram"])
    assert sorted(results.values()) == ["conflict", "won"], results
    winner = next(name for name, result in results.items() if result == "won")
    c = row(db, cid)
    assert (c.state, c.assigned_to) == ("human", winner)


@pytest.mark.parametrize("round_", range(3))
def test_many_students_claim_at_once_exactly_one_wins(db, round_):
    cid = new_conversation(db)
    request(db, cid)
    students = ["anouk", "bram", "chris", "dewi"]
    results = _race(db, cid, students)
    assert sorted(results.values()) == ["conflict"] * 3 + ["won"], results
    assert row(db, cid).assigned_to == next(n for n in students if results[n] == "won")


# --- reply, release, close -------------------------------------------------------------------


def test_reply_when_a_person_has_it(db):
    cid = new_conversation(db, "Hallo?")
    request(db, cid)
    claim(db, cid)
    message = run(db, handover.reply, conversation_id=cid, staff="anouk",
                  text="Hoi, ik ben Anouk van de helpdesk.")
    assert (message.sender, message.text) == ("staff", "Hoi, ik ben Anouk van de helpdesk.")
    assert [(m["from"], m["text"]) for m in messages(db, cid)][-1] == (
        "staff", "Hoi, ik ben Anouk van de helpdesk.")


@pytest.mark.parametrize("state", ["bot", "waiting_for_human", "closed"])
def test_no_reply_without_a_claim(db, state):
    cid = new_conversation(db, "Hallo?")
    set_state(db, cid, state)
    before = messages(db, cid)
    with pytest.raises(HandoverConflict):
        run(db, handover.reply, conversation_id=cid, staff="anouk", text="Hoi")
    assert messages(db, cid) == before


@pytest.mark.parametrize("state", ["human", "waiting_for_human"])
def test_release_gives_the_conversation_back_to_the_bot(db, state):
    cid = new_conversation(db)
    request(db, cid, now=CLOSED)  # callback
    if state == "human":
        claim(db, cid)
    run(db, handover.release, conversation_id=cid)
    c = row(db, cid)
    assert (c.state, c.assigned_to, c.callback) == ("bot", None, False)


@pytest.mark.parametrize("state", ["bot", "closed"])
def test_release_needs_a_hand_over(db, state):
    cid = new_conversation(db)
    set_state(db, cid, state)
    with pytest.raises(HandoverConflict, match=state):
        run(db, handover.release, conversation_id=cid)
    assert row(db, cid).state == state


@pytest.mark.parametrize("state", ["bot", "waiting_for_human", "human"])
def test_close(db, state):
    cid = new_conversation(db)
    set_state(db, cid, state)
    run(db, handover.close, conversation_id=cid, outcome="doorverwezen naar KVK", now=OPEN)
    c = row(db, cid)
    assert (c.state, c.outcome) == ("closed", "doorverwezen naar KVK")
    assert aware(c.closed_at) == OPEN


def test_close_twice_is_a_conflict(db):
    cid = new_conversation(db)
    run(db, handover.close, conversation_id=cid, outcome="eerste", now=OPEN)
    with pytest.raises(HandoverConflict, match="already closed"):
        run(db, handover.close, conversation_id=cid, outcome="tweede")
    c = row(db, cid)
    assert (c.outcome, aware(c.closed_at)) == ("eerste", OPEN)


# --- the claim timeout -----------------------------------------------------------------------


def expire(db, now, hours=HOURS) -> list[str]:
    return run(db, handover.expire_waiting, hours=hours, now=now)


def test_expire_waiting_after_the_claim_timeout(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN)
    assert cid not in expire(db, OPEN + timedelta(minutes=14, seconds=59))
    assert row(db, cid).callback is False
    assert cid in expire(db, OPEN + timedelta(minutes=15))
    c = row(db, cid)
    assert (c.state, c.callback) == ("waiting_for_human", True)  # still in the queue
    assert cid not in expire(db, OPEN + timedelta(hours=2))  # only once


def test_expire_waiting_takes_the_timeout_from_the_config(db, tmp_path):
    path = tmp_path / "helpdesk.yml"
    path.write_text("hours: {monday: '09:00-17:00'}\nclaim_timeout_minutes: 3\n")
    quick = load_office_hours(path)
    cid = new_conversation(db)
    request(db, cid, now=OPEN, hours=quick)
    assert cid not in expire(db, OPEN + timedelta(minutes=2), hours=quick)
    assert cid in expire(db, OPEN + timedelta(minutes=3), hours=quick)


def test_expire_waiting_does_not_depend_on_the_timezone_of_now(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN)
    assert cid not in expire(db, (OPEN + timedelta(minutes=14)).astimezone(AMS))
    assert cid in expire(db, (OPEN + timedelta(minutes=16)).astimezone(AMS))


def test_expire_waiting_leaves_others_alone(db):
    claimed, callback, bot = new_conversation(db), new_conversation(db), new_conversation(db)
    request(db, claimed, now=OPEN)
    claim(db, claimed)
    request(db, callback, now=CLOSED)
    changed = expire(db, CLOSED + timedelta(days=30))
    assert {claimed, callback, bot}.isdisjoint(changed)
    assert row(db, claimed).callback is False


def test_expire_and_tell_during_office_hours(db):
    cid = new_conversation(db, "Mag ik iemand spreken?")
    request(db, cid, now=OPEN)
    changed = run(db, handover.expire_and_tell, hours=HOURS, now=OPEN + timedelta(minutes=20))
    assert cid in changed
    last = messages(db, cid)[-1]
    assert last["from"] == "bot"
    assert last["text"] == handover.CALLBACK_TEXT.format(when="zo snel mogelijk")
    assert row(db, cid).callback is True


def test_expire_and_tell_after_closing_names_the_next_opening(db):
    friday = datetime(2027, 2, 5, 14, 50, tzinfo=UTC)  # 15:50 in Amsterdam, closes at 16:00
    cid = new_conversation(db)
    assert request(db, cid, now=friday)["callback"] is False
    run(db, handover.expire_and_tell, hours=HOURS, now=friday + timedelta(minutes=15))
    text = messages(db, cid)[-1]["text"]
    assert text.startswith("Het lukt nu niet om iemand van de helpdesk te vinden.")
    assert "een student neemt maandag om 09:00 contact met je op" in text


def test_expire_and_tell_tells_only_once(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN)
    for minutes in (20, 40, 60):
        run(db, handover.expire_and_tell, hours=HOURS, now=OPEN + timedelta(minutes=minutes))
    told = [m for m in messages(db, cid) if m["text"].startswith("Het lukt nu niet")]
    assert len(told) == 1


def test_expire_and_tell_skips_callbacks_made_when_closed(db):
    cid = new_conversation(db)
    request(db, cid, now=CLOSED)  # told already, when the request was made
    changed = run(db, handover.expire_and_tell, hours=HOURS, now=CLOSED + timedelta(days=1))
    assert cid not in changed
    assert [m["from"] for m in messages(db, cid)] == ["bot"]


# --- the queue -------------------------------------------------------------------------------


def mine(items: list[dict], *cids: str) -> list[dict]:
    return [i for i in items if i["conversation_id"] in cids]


def test_queue_oldest_first(db):
    first, second, third = (new_conversation(db, text) for text in ("een", "twee", "drie"))
    request(db, third, now=OPEN + timedelta(minutes=2))
    request(db, first, now=OPEN - timedelta(minutes=5))
    request(db, second, now=OPEN)
    claim(db, second)
    now = OPEN + timedelta(minutes=10)
    waiting = mine(run(db, handover.queue, now=now), first, second, third)
    assert [i["conversation_id"] for i in waiting] == [first, third]
    everyone = mine(run(db, handover.queue, now=now, include_claimed=True), first, second, third)
    assert [i["conversation_id"] for i in everyone] == [first, second, third]
    assert [i["state"] for i in everyone] == ["waiting_for_human", "human", "waiting_for_human"]


def test_queue_fields_without_a_ticket(db):
    long_text = "Wij zijn een bakkerij " + "en nog veel meer " * 30
    cid = new_conversation(db, long_text, "nog een bericht", channel="telegram")
    request(db, cid, reason="sensitive", now=OPEN)
    [item] = mine(run(db, handover.queue, now=OPEN + timedelta(minutes=7, seconds=30)), cid)
    assert item == {
        "conversation_id": cid,
        "state": "waiting_for_human",
        "channel": "telegram",
        "reason": "sensitive",
        "callback": False,
        "assigned_to": None,
        "requested_at": item["requested_at"],
        "waiting_seconds": 450,
        "theme": None,
        "ticket_reference": None,
        "summary": long_text[:300],  # the first thing the entrepreneur wrote
    }
    assert datetime.fromisoformat(item["requested_at"]) == OPEN  # with an offset: aware


def test_queue_summary_from_the_ticket(db):
    cid = new_conversation(db, "Ik wil een webshop")
    ticket, _ = tickets.create_ticket(db, data=ticket_payload(cid), directory=DIRECTORY)
    request(db, cid, now=OPEN)
    claim(db, cid, staff="anouk")
    [item] = mine(run(db, handover.queue, now=OPEN, include_claimed=True), cid)
    assert item["summary"] == "Bakkerij wil online verkopen."
    assert (item["theme"], item["ticket_reference"]) == ("online_marketing_sales",
                                                         ticket.reference)
    assert (item["state"], item["assigned_to"]) == ("human", "anouk")


def test_queue_without_any_user_message_and_a_clock_behind(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN)
    [item] = mine(run(db, handover.queue, now=OPEN - timedelta(minutes=1)), cid)
    assert item["summary"] == ""
    assert item["waiting_seconds"] == 0


def test_queue_requested_at_is_utc_whatever_the_timezone_of_now(db):
    cid = new_conversation(db)
    request(db, cid, now=OPEN)
    [item] = mine(run(db, handover.queue, now=(OPEN + timedelta(minutes=1)).astimezone(AMS)), cid)
    assert datetime.fromisoformat(item["requested_at"]) == OPEN
    assert item["waiting_seconds"] == 60


def test_released_and_closed_conversations_leave_the_queue(db):
    released, closed = new_conversation(db), new_conversation(db)
    for cid in (released, closed):
        request(db, cid, now=OPEN)
        claim(db, cid)
    run(db, handover.release, conversation_id=released)
    run(db, handover.close, conversation_id=closed, outcome="klaar")
    assert mine(run(db, handover.queue, now=OPEN, include_claimed=True), released, closed) == []


# --- override and availability ---------------------------------------------------------------


def test_override_latest_wins_and_is_kept_as_history(db):
    with db.session() as s:
        before = s.query(HelpdeskOverride).count()
    assert run(db, handover.override) is None
    run(db, handover.set_override, open_now=True, by="coordinator")
    assert run(db, handover.override) is True
    run(db, handover.set_override, open_now=False, by="coordinator")
    assert run(db, handover.override) is False
    run(db, handover.set_override, open_now=None, by="coordinator")
    assert run(db, handover.override) is None
    with db.session() as s:
        rows = s.query(HelpdeskOverride).order_by(HelpdeskOverride.id).all()
    assert len(rows) == before + 3
    assert [(r.open, r.set_by) for r in rows[-3:]] == [
        (True, "coordinator"), (False, "coordinator"), (None, "coordinator")]


@pytest.mark.parametrize(
    ("override", "now", "expected"),
    [
        (None, OPEN, {"open": True, "scheduled_open": True, "next_opening": None}),
        (None, CLOSED, {"open": False, "scheduled_open": False,
                        "next_opening": "maandag om 09:00"}),
        (True, CLOSED, {"open": True, "scheduled_open": False, "next_opening": None}),
        (False, OPEN, {"open": False, "scheduled_open": True,
                       "next_opening": "morgen om 09:00"}),
    ],
)
def test_availability(db, override, now, expected):
    run(db, handover.set_override, open_now=override, by="test")
    status = run(db, handover.availability, hours=HOURS, now=now)
    assert status == {**expected, "override": override, "expected_wait_minutes": 10}


def test_availability_reports_the_configured_wait(db, tmp_path):
    path = tmp_path / "helpdesk.yml"
    path.write_text("hours: {monday: '09:00-17:00'}\nexpected_wait_minutes: 3\n")
    hours: OfficeHours = load_office_hours(path)
    assert run(db, handover.availability, hours=hours, now=OPEN)["expected_wait_minutes"] == 3



# --- office hours per werkplaats --------------------------------------------------------------

FRIDAY_1400 = datetime(2027, 2, 5, 13, 0, tzinfo=UTC)  # Friday 14:00 in Amsterdam


def test_a_werkplaats_with_its_own_hours_decides_for_its_conversations(db, tmp_path):
    path = tmp_path / "helpdesk.yml"
    path.write_text(
        "hours: {monday: '09:00-17:00', friday: '09:00-17:00'}\n"
        "claim_timeout_minutes: 15\n"
        "werkplaatsen:\n  Midden:\n    hours: {monday: '09:00-17:00', friday: '09:00-12:00'}\n"
        "    claim_timeout_minutes: 5\n"
    )
    hours = load_office_hours(path)
    assert hours.for_werkplaats("Midden").claim_timeout == timedelta(minutes=5)
    assert hours.for_werkplaats("Midden").tz == hours.tz  # left out: taken from the default
    plain, routed = new_conversation(db, "hallo"), new_conversation(db, "hoi")
    with db.session() as s:
        tickets.create_ticket(db, data=ticket_payload(routed), directory=DIRECTORY)
        assert handover.werkplaats_of(s, routed) == "Midden"
    assert request(db, plain, now=FRIDAY_1400, hours=hours)["open"] is True
    status = request(db, routed, now=FRIDAY_1400, hours=hours)
    assert status["open"] is False and status["callback"] is True
    assert "maandag" in status["next_opening"]


def test_the_claim_timeout_of_the_werkplaats_applies(db, tmp_path):
    path = tmp_path / "helpdesk.yml"
    path.write_text("hours: {monday: '09:00-17:00'}\nclaim_timeout_minutes: 30\n"
                    "werkplaatsen:\n  Midden:\n    claim_timeout_minutes: 5\n")
    hours = load_office_hours(path)
    plain, routed = new_conversation(db, "hallo"), new_conversation(db, "hoi")
    tickets.create_ticket(db, data=ticket_payload(routed), directory=DIRECTORY)
    for cid in (plain, routed):
        request(db, cid, now=OPEN, hours=hours)
    with db.session() as s:
        changed = handover.expire_waiting(s, hours=hours, now=OPEN + timedelta(minutes=10))
    assert changed == [routed]


@pytest.mark.parametrize("section", ["werkplaatsen: [a, b]", "werkplaatsen:\n  Midden: 5",
                                     "werkplaatsen:\n  Midden:\n    hours: {friday: '9-12'}"])
def test_bad_werkplaats_sections_are_refused(tmp_path, section):
    from backend.services.helpdesk_hours import HelpdeskConfigError

    path = tmp_path / "helpdesk.yml"
    path.write_text("hours: {monday: '09:00-17:00'}\n" + section + "\n")
    with pytest.raises(HelpdeskConfigError):
        load_office_hours(path)


def test_the_app_refuses_a_werkplaats_it_does_not_know(migrated, tmp_path):
    from backend.app import create_app
    from backend.services.helpdesk_hours import HelpdeskConfigError
    from tests.backend.conftest import make_settings

    path = tmp_path / "helpdesk.yml"
    path.write_text("hours: {monday: '09:00-17:00'}\nwerkplaatsen:\n  Nergenshuizen:\n"
                    "    claim_timeout_minutes: 5\n")
    with pytest.raises(HelpdeskConfigError, match="Nergenshuizen"):
        create_app(make_settings(migrated, "http://127.0.0.1:9", helpdesk_file=path))
