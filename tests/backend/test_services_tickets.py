"""backend.services.tickets: idempotent creation, listing, the ticket dict."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest

from backend.db import Database
from backend.models import Ticket
from backend.services import conversations, tickets
from backend.services.conversations import ConversationNotFound
from backend.services.werkplaatsen import Directory, Werkplaats
from tests.backend.helpers import ticket_payload

DIRECTORY = Directory(
    default="Loket",
    werkplaatsen=(
        Werkplaats("Noord", "", ((10, 21),)),
        Werkplaats("Midden", "", ((34, 41),)),
    ),
)


@pytest.fixture
def db(migrated) -> Iterator[Database]:
    database = Database(migrated)
    yield database
    database.engine.dispose()


def new_conversation(db: Database, channel: str = "webchat") -> str:
    with db.session() as s:
        conversation, _ = conversations.create_conversation(s, channel=channel)
        return conversation.id


def create(db: Database, cid: str, **overrides) -> tuple[Ticket, bool]:
    return tickets.create_ticket(db, data=ticket_payload(cid, **overrides), directory=DIRECTORY)


def test_create_then_return_the_existing_one(db):
    cid = new_conversation(db)
    ticket, created = create(db, cid)
    again, created_again = create(db, cid, question="iets anders")
    assert (created, created_again) == (True, False)
    assert again.id == ticket.id and again.reference == ticket.reference
    assert again.question == ticket_payload(cid)["question"]


def test_reference_is_year_and_id(db):
    ticket, _ = create(db, new_conversation(db))
    assert re.fullmatch(r"DW-\d{4}-\d{5}", ticket.reference)
    assert ticket.reference == f"DW-{ticket.created_at.year}-{ticket.id:05d}"


def test_references_are_unique(db):
    refs = {create(db, new_conversation(db))[0].reference for _ in range(3)}
    assert len(refs) == 3


def test_unknown_conversation(db):
    with pytest.raises(ConversationNotFound):
        create(db, "no-such-conversation")


def test_channel_comes_from_the_conversation(db):
    ticket, _ = create(db, new_conversation(db, channel="whatsapp"))
    assert ticket.channel == "whatsapp"


@pytest.mark.parametrize(
    "postcode, stored, werkplaats",
    [
        ("3511ab", "3511 AB", "Midden"),
        (" 1012 ab ", "1012 AB", "Noord"),
        ("1012AB", "1012 AB", "Noord"),
        ("9999 ZZ", "9999 ZZ", "Loket"),
        ("", "", "Loket"),
        ("B-1000", "B-1000", "Loket"),
    ],
)
def test_postcode_is_normalised_and_picks_the_werkplaats(db, postcode, stored, werkplaats):
    company = {**ticket_payload("x")["company"], "postcode": postcode}
    ticket, _ = create(db, new_conversation(db), company=company)
    assert (ticket.postcode, ticket.werkplaats) == (stored, werkplaats)


def test_themes_are_stored_highest_first_and_email_lowercased(db):
    themes = [
        {"theme": "overig", "confidence": 0.1},
        {"theme": "data", "confidence": 0.6},
        {"theme": "automatisering", "confidence": 0.3},
    ]
    ticket, _ = create(db, new_conversation(db), theme="data", themes=themes)
    assert [t["theme"] for t in ticket.themes] == ["data", "automatisering", "overig"]
    assert ticket.email == ticket_payload("x")["contact"]["email"].lower() != ticket_payload(
        "x"
    )["contact"]["email"]


def test_nul_characters_are_removed_everywhere(db):
    cid = new_conversation(db)
    ticket, _ = create(
        db, cid, question="a\x00b", summary="\x00s", details={"k\x00": "v\x00"},
        company={**ticket_payload("x")["company"], "name": "Na\x00am"},
    )
    with db.session() as s:
        stored = tickets.ticket_dict(tickets.get_ticket(s, reference=ticket.reference))
    assert (stored["question"], stored["summary"]) == ("ab", "s")
    assert stored["company"]["name"] == "Naam"
    assert stored["details"] == {"k": "v"}


def test_racing_creators_get_the_same_ticket(db):
    cid = new_conversation(db)
    barrier = threading.Barrier(6)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def worker():
        barrier.wait()
        try:
            ticket, created = create(db, cid)
            results.append((ticket.reference, created))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len({ref for ref, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 5 + [True]
    with db.session() as s:
        listed = tickets.list_tickets(s, limit=1000)
        assert len([t for t in listed if t.conversation_id == cid]) == 1


def test_list_order_filters_and_limit(db):
    first, _ = create(db, new_conversation(db), theme="data",
                      themes=[{"theme": "data", "confidence": 1.0}])
    second, _ = create(db, new_conversation(db))
    third, _ = create(db, new_conversation(db))
    with db.session() as s:
        s.get(Ticket, second.id).status = "gematcht"

    with db.session() as s:
        everything = [t.id for t in tickets.list_tickets(s, limit=1000)]
        assert [i for i in everything if i in {first.id, second.id, third.id}] == [
            third.id, second.id, first.id,
        ]
        assert [t.id for t in tickets.list_tickets(s, limit=2)] == everything[:2]
        data = tickets.list_tickets(s, theme="data", limit=1000)
        assert first.id in {t.id for t in data} and all(t.theme == "data" for t in data)
        matched = tickets.list_tickets(s, status="gematcht", limit=1000)
        assert second.id in {t.id for t in matched}
        assert {first.id, third.id}.isdisjoint({t.id for t in matched})
        midden = tickets.list_tickets(s, werkplaats="Midden", limit=1000)
        assert all(t.werkplaats == "Midden" for t in midden) and third.id in {t.id for t in midden}
        assert tickets.list_tickets(s, werkplaats="Nergens", limit=1000) == []


def test_get_ticket(db):
    ticket, _ = create(db, new_conversation(db))
    with db.session() as s:
        assert tickets.get_ticket(s, reference=ticket.reference).id == ticket.id
        assert tickets.get_ticket(s, reference="DW-0000-00000") is None


def test_ticket_dict_shape(db):
    ticket, _ = create(db, new_conversation(db))
    data = tickets.ticket_dict(ticket)
    assert set(data["company"]) == {"name", "sector", "employees", "postcode", "place",
                                    "kvk_number"}
    assert set(data["contact"]) == {"name", "email", "phone"}
    assert set(data["consent"]) == {"privacy", "followup"}
    assert set(data["intake"]) == {"source", "maturity"}
    assert data["status"] in tickets.STATUSES
    assert data["created_at"].endswith("+00:00")
