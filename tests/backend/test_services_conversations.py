"""backend.services.conversations: text cleaning, tokens, the transcript, the state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from backend.db import Database
from backend.models import Conversation
from backend.services import conversations as conv


@pytest.fixture
def db(migrated) -> Iterator[Database]:
    database = Database(migrated)
    yield database
    database.engine.dispose()


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("  hallo  ", "hallo"),
        ("hal\x00lo", "hallo"),
        ("a\x01\x08\x0b\x0c\x0e\x1f\x7fb", "ab"),
        ("regel 1\nregel 2\ttab\r\n", "regel 1\nregel 2\ttab"),
        ("\x00\x00", ""),
        (" \n\t ", ""),
        ("a\ud800b\udfff", "ab"),
        ("😀 één café", "😀 één café"),
    ],
)
def test_clean_text(raw, clean):
    assert conv.clean_text(raw) == clean


def test_create_and_authenticate(db):
    with db.session() as s:
        conversation, token = conv.create_conversation(s, channel="telegram")
        cid = conversation.id
    assert len(cid) <= 40
    with db.session() as s:
        found = conv.authenticate(s, conversation_id=cid, token=token)
        assert (found.id, found.channel, found.state) == (cid, "telegram", "bot")
        assert token not in found.token_hash


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 100])
def test_authenticate_refuses_a_bad_token(db, token):
    with db.session() as s:
        conversation, real = conv.create_conversation(s)
    assert token != real
    with db.session() as s, pytest.raises(conv.NotAuthorized):
        conv.authenticate(s, conversation_id=conversation.id, token=token)


def test_authenticate_refuses_another_conversations_token(db):
    with db.session() as s:
        first, _ = conv.create_conversation(s)
        _, other_token = conv.create_conversation(s)
    with db.session() as s, pytest.raises(conv.NotAuthorized):
        conv.authenticate(s, conversation_id=first.id, token=other_token)


@pytest.mark.parametrize("cid", ["nope", "x" * 41, "x" * 10_000])
def test_authenticate_unknown_conversation(db, cid):
    with db.session() as s, pytest.raises(conv.ConversationNotFound):
        conv.authenticate(s, conversation_id=cid, token="whatever")


def test_transcript_in_insertion_order_with_timezones(db):
    with db.session() as s:
        conversation, _ = conv.create_conversation(s)
        cid = conversation.id
        later = datetime(2030, 1, 1, tzinfo=UTC)
        # insertion order wins, even over the timestamps
        conv.add_message(s, conversation_id=cid, sender="bot", text="hoi", at=later)
        conv.add_message(s, conversation_id=cid, sender="user", text="hallo",
                         at=later - timedelta(days=1))
        conv.add_message(s, conversation_id=cid, sender="bot", text="fijn",
                         buttons=[{"title": "Ja", "payload": "/affirm"}])
    with db.session() as s:
        messages = conv.transcript(s, conversation_id=cid)
    assert [(m["from"], m["text"]) for m in messages] == [
        ("bot", "hoi"), ("user", "hallo"), ("bot", "fijn"),
    ]
    first = datetime.fromisoformat(messages[0]["at"])
    assert first.tzinfo is not None and first == later
    assert all(datetime.fromisoformat(m["at"]).utcoffset() is not None for m in messages)


def test_transcript_of_another_conversation_is_separate(db):
    with db.session() as s:
        a, _ = conv.create_conversation(s)
        b, _ = conv.create_conversation(s)
        conv.add_message(s, conversation_id=a.id, sender="user", text="voor a")
    with db.session() as s:
        assert conv.transcript(s, conversation_id=b.id) == []
        assert [m["text"] for m in conv.transcript(s, conversation_id=a.id)] == ["voor a"]


def test_state_of(db):
    with db.session() as s:
        conversation, _ = conv.create_conversation(s)
    with db.session() as s:
        assert conv.state_of(s, conversation_id=conversation.id) == ("bot", None)
        s.get(Conversation, conversation.id).state = "human"
    with db.session() as s:
        assert conv.state_of(s, conversation_id=conversation.id) == ("human", None)
        with pytest.raises(conv.ConversationNotFound):
            conv.state_of(s, conversation_id="nope")
