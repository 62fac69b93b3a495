"""backend.rasa_client: the REST channel, /model/parse and /status, and failures."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.rasa_client import BotMessage, RasaClient, RasaUnavailable, _to_messages
from tests.backend.helpers import LoopbackServer, closed_port_url


class Rasa:
    """Scripted answers per path; the test sets them."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, object]] = {}
        self.delay = 0.0
        self.server = LoopbackServer(self.handle)

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, object]:
        if self.delay:
            time.sleep(self.delay)
        return self.answers.get(urlsplit(path).path, (404, {}))

    @property
    def requests(self) -> list[dict]:
        return self.server.requests


@pytest.fixture
async def rasa() -> AsyncIterator[Rasa]:
    fake = Rasa()
    yield fake
    fake.server.close()


@pytest.fixture
async def client(rasa) -> AsyncIterator[RasaClient]:
    rasa_client = RasaClient(rasa.server.url + "/", token="tok&en=1", timeout=5)
    yield rasa_client
    await rasa_client.close()


def test_to_messages_keeps_text_and_button_titles_and_payloads():
    payload = [
        {"recipient_id": "c1", "text": "Hoi", "buttons": [
            {"title": "Ja", "payload": "/affirm", "type": "postback"},
            {"title": 3, "payload": None},
            "not a button",
        ]},
        {"recipient_id": "c1", "image": "https://example/img.png"},  # nothing to show
        {"recipient_id": "c1", "buttons": [{"title": "Alleen knop"}]},
        "not a message",
        {"text": None},
    ]
    assert _to_messages(payload) == [
        BotMessage("Hoi", [{"title": "Ja", "payload": "/affirm"}, {"title": "3", "payload": ""}]),
        BotMessage("", [{"title": "Alleen knop", "payload": ""}]),
    ]


@pytest.mark.parametrize("payload", [None, {}, {"text": "hoi"}, "hoi", 12])
def test_to_messages_ignores_anything_but_a_list(payload):
    assert _to_messages(payload) == []


def test_bot_message_as_dict():
    message = BotMessage("tekst", [{"title": "a", "payload": "/a"}])
    assert message.as_dict() == {"text": "tekst", "buttons": [{"title": "a", "payload": "/a"}]}
    assert BotMessage("x").as_dict() == {"text": "x", "buttons": []}


async def test_send_posts_to_the_rest_channel(rasa, client):
    rasa.answers["/webhooks/rest/webhook"] = (200, [{"recipient_id": "c1", "text": "Hallo!"}])
    replies = await client.send("c1", "goedemorgen")
    assert replies == [BotMessage("Hallo!", [])]
    request = rasa.requests[-1]
    assert request["method"] == "POST"
    assert urlsplit(request["path"]).path == "/webhooks/rest/webhook"
    assert json.loads(request["body"]) == {"sender": "c1", "message": "goedemorgen"}


async def test_send_with_an_empty_answer(rasa, client):
    rasa.answers["/webhooks/rest/webhook"] = (200, [])
    assert await client.send("c1", "hm") == []


@pytest.mark.parametrize(
    "answer", [(500, {"error": "boom"}), (404, {}), (200, b"not json"), (502, b"")],
    ids=["500", "404", "not json", "502"],
)
async def test_send_raises_unavailable_on_bad_answers(rasa, client, answer):
    rasa.answers["/webhooks/rest/webhook"] = answer
    with pytest.raises(RasaUnavailable):
        await client.send("c1", "hallo")


async def test_send_raises_unavailable_when_nothing_listens():
    rasa_client = RasaClient(closed_port_url())
    try:
        with pytest.raises(RasaUnavailable):
            await rasa_client.send("c1", "hallo")
    finally:
        await rasa_client.close()


async def test_send_raises_unavailable_on_timeout(rasa):
    rasa.answers["/webhooks/rest/webhook"] = (200, [])
    rasa.delay = 0.5
    rasa_client = RasaClient(rasa.server.url, timeout=0.05)
    try:
        with pytest.raises(RasaUnavailable):
            await rasa_client.send("c1", "hallo")
    finally:
        await rasa_client.close()


async def test_parse_sends_the_token_and_text(rasa, client):
    answer = {"text": "webshop", "intent_ranking": [{"name": "describe_need_data",
                                                     "confidence": 0.9}]}
    rasa.answers["/model/parse"] = (200, answer)
    assert await client.parse("webshop") == answer
    request = rasa.requests[-1]
    url = urlsplit(request["path"])
    assert url.path == "/model/parse"
    assert parse_qs(url.query) == {"token": ["tok&en=1"]}  # properly encoded
    assert json.loads(request["body"]) == {"text": "webshop"}


@pytest.mark.parametrize("answer", [(401, {"message": "no token"}), (200, b"<html>")])
async def test_parse_raises_unavailable(rasa, client, answer):
    rasa.answers["/model/parse"] = answer
    with pytest.raises(RasaUnavailable):
        await client.parse("webshop")


async def test_healthy_with_a_loaded_model(rasa, client):
    rasa.answers["/status"] = (200, {"model_file": "models/intake.tar.gz"})
    assert await client.healthy() is True
    request = rasa.requests[-1]
    assert request["method"] == "GET"
    assert parse_qs(urlsplit(request["path"]).query) == {"token": ["tok&en=1"]}


@pytest.mark.parametrize(
    "answer",
    [(200, {"model_file": None}), (200, {}), (401, {"model_file": "x"}), (503, {}),
     (200, b"not json"), (200, ["model_file"])],
    ids=["no model", "empty", "401", "503", "not json", "not an object"],
)
async def test_not_healthy(rasa, client, answer):
    rasa.answers["/status"] = answer
    assert await client.healthy() is False


async def test_not_healthy_when_nothing_listens():
    rasa_client = RasaClient(closed_port_url())
    try:
        assert await rasa_client.healthy() is False
    finally:
        await rasa_client.close()
