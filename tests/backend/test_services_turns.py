"""backend.services.turns: what reaches Rasa, and a turn's durability and serialisation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from backend.db import Database
from backend.models import Conversation
from backend.rasa_client import BotMessage, RasaUnavailable
from backend.services import conversations
from backend.services.turns import START_INTENT, TurnService, for_rasa


@pytest.mark.parametrize(
    "text", ["/restart", "//restart", "/ /restart", "/\t/restart", " / / /restart", "/\n/stop"]
)
def test_for_rasa_removes_leading_slashes(text):
    forwarded = for_rasa(text)
    assert not forwarded.lstrip().startswith("/")
    assert forwarded.strip("/ \t\n") in {"restart", "stop"}


@pytest.mark.parametrize("text", ["hallo", "ik wil 1/2 van mijn werk automatiseren", "a / b"])
def test_for_rasa_leaves_ordinary_text_alone(text):
    assert for_rasa(text) == text


@pytest.mark.parametrize("text", ["/", "///", "/ /"])
def test_for_rasa_never_sends_an_empty_or_command_text(text):
    forwarded = for_rasa(text)
    assert forwarded.strip() and "/" not in forwarded


class ScriptedRasa:
    """A RasaClient stand-in driven from the test (no HTTP)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = False
        self.active = 0
        self.max_active = 0
        self.gate: int | None = None  # when set, replies wait until this many are in flight
        self._all_in = asyncio.Event()

    async def send(self, sender: str, text: str) -> list[BotMessage]:
        self.calls.append((sender, text))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.gate is not None:
                if self.active >= self.gate:
                    self._all_in.set()
                await asyncio.wait_for(self._all_in.wait(), timeout=10)
            await asyncio.sleep(0.01)
            if self.fail:
                raise RasaUnavailable("down")
            return [BotMessage(f"re: {text}", [{"title": "Ok", "payload": "/ok"}])]
        finally:
            self.active -= 1


@pytest.fixture
async def turns(migrated) -> AsyncIterator[tuple[TurnService, ScriptedRasa, Database]]:
    db = Database(migrated)
    rasa = ScriptedRasa()
    yield TurnService(db, rasa), rasa, db
    db.engine.dispose()


def count_conversations(db: Database) -> int:
    with db.session() as s:
        return s.query(Conversation).count()


async def test_start_greets_and_records(turns):
    service, rasa, db = turns
    cid, token, messages = await service.start(channel="webchat")
    assert rasa.calls == [(cid, START_INTENT)]
    assert messages == [{"text": f"re: {START_INTENT}", "buttons": [{"title": "Ok",
                                                                       "payload": "/ok"}]}]
    with db.session() as s:
        conversations.authenticate(s, conversation_id=cid, token=token)
        assert [m["from"] for m in conversations.transcript(s, conversation_id=cid)] == ["bot"]


async def test_start_forgets_the_conversation_when_rasa_fails(turns):
    service, rasa, db = turns
    rasa.fail = True
    before = count_conversations(db)
    with pytest.raises(RasaUnavailable):
        await service.start()
    assert count_conversations(db) == before


async def test_the_users_message_is_kept_when_rasa_fails(turns):
    service, rasa, db = turns
    cid, _, _ = await service.start()
    rasa.fail = True
    with pytest.raises(RasaUnavailable):
        await service.handle(conversation_id=cid, text="hallo")
    with db.session() as s:
        assert [(m["from"], m["text"]) for m in conversations.transcript(
            s, conversation_id=cid)][-1] == ("user", "hallo")


async def test_handle_forwards_without_leading_slash(turns):
    service, rasa, _ = turns
    cid, _, _ = await service.start()
    result = await service.handle(conversation_id=cid, text="/restart")
    assert rasa.calls[-1] == (cid, for_rasa("/restart"))
    assert result.messages[0]["text"] == f"re: {for_rasa('/restart')}"
    assert (result.state, result.ticket_reference) == ("bot", None)


async def test_concurrent_turns_of_one_conversation_are_serialised(turns):
    service, rasa, db = turns
    cid, _, _ = await service.start()
    texts = [f"bericht {i}" for i in range(5)]
    await asyncio.gather(*(service.handle(conversation_id=cid, text=t) for t in texts))
    assert rasa.max_active == 1
    order = [text for sender, text in rasa.calls[1:]]
    assert sorted(order) == sorted(texts)
    with db.session() as s:
        pairs = [(m["from"], m["text"]) for m in conversations.transcript(s, conversation_id=cid)]
    assert pairs[1:] == [p for t in order for p in (("user", t), ("bot", f"re: {t}"))]


async def test_different_conversations_are_not_serialised(turns):
    service, rasa, _ = turns
    ids = [(await service.start())[0] for _ in range(3)]
    rasa.gate = len(ids)  # each reply waits until all three are at Rasa at once
    results = await asyncio.gather(*(service.handle(conversation_id=c, text="hoi") for c in ids))
    assert rasa.max_active == len(ids)
    assert [r.messages[0]["text"] for r in results] == ["re: hoi"] * len(ids)
