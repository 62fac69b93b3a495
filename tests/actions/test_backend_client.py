"""BackendClient.create_ticket against a real HTTP server on the loopback interface."""

from __future__ import annotations

import asyncio
import json
import socket
import types

import pytest
from aiohttp import web

from actions.clients import backend
from actions.clients.backend import BackendClient, BackendError

PAYLOAD = {"conversation_id": "web-5d1e88b0", "question": "planning", "theme": "automatisering"}
CREATED = {"reference": "DW-2025-00042", "werkplaats": "Digitale Werkplaats Regio Zwolle"}


class TicketServer:
    """A scripted /api/v1/tickets: each request takes the next (status, body, delay) step."""

    def __init__(self, *steps) -> None:
        self.steps = list(steps)
        self.requests: list[dict] = []
        self.handlers: set[asyncio.Task] = set()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.handlers.add(asyncio.current_task())
        self.requests.append({"authorization": request.headers.get("Authorization"),
                              "content_type": request.content_type,
                              "body": await request.json()})
        status, body, delay = self.steps.pop(0) if self.steps else (201, CREATED, 0)
        if delay:
            await asyncio.sleep(delay)
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.json_response(body, status=status)

    async def __aenter__(self) -> TicketServer:
        app = web.Application()
        app.router.add_post("/api/v1/tickets", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def __aexit__(self, *exc) -> None:
        slow = [task for task in self.handlers if not task.done()]
        for task in slow:  # a handler still sleeping after the client timed out
            task.cancel()
        await asyncio.gather(*slow, return_exceptions=True)
        await self.runner.cleanup()


@pytest.fixture
def backoff(monkeypatch) -> list[float]:
    """Record the back-off delays instead of waiting them out."""
    delays: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(delay):
        delays.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(backend, "asyncio",
                        types.SimpleNamespace(sleep=sleep, TimeoutError=asyncio.TimeoutError))
    return delays


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_created_ticket_with_bearer_token(backoff):
    async with TicketServer((201, CREATED, 0)) as server:
        client = BackendClient(base_url=server.url, token="s3rvice-t0ken")
        assert await client.create_ticket(PAYLOAD) == CREATED
    [request] = server.requests
    assert request["authorization"] == "Bearer s3rvice-t0ken"
    assert request["content_type"] == "application/json"
    assert request["body"] == PAYLOAD
    assert backoff == []


async def test_existing_ticket_200_is_fine_too(backoff):
    async with TicketServer((200, CREATED, 0)) as server:
        assert await BackendClient(base_url=server.url, token="t").create_ticket(PAYLOAD) == CREATED


async def test_url_and_token_from_the_environment(monkeypatch, backoff):
    async with TicketServer() as server:
        monkeypatch.setenv("INTAKE_BACKEND_URL", server.url)
        monkeypatch.setenv("INTAKE_SERVICE_TOKEN", "from-env")
        assert await BackendClient().create_ticket(PAYLOAD) == CREATED
    assert server.requests[0]["authorization"] == "Bearer from-env"


async def test_retries_on_5xx_then_succeeds(backoff):
    steps = [(503, {"detail": "database busy"}, 0), (502, "<html>Bad Gateway</html>", 0),
             (201, CREATED, 0)]
    async with TicketServer(*steps) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=3)
        assert await client.create_ticket(PAYLOAD) == CREATED
    assert len(server.requests) == 3
    assert all(r["body"] == PAYLOAD for r in server.requests)  # same idempotent payload
    assert backoff == [0.3, 0.6]


async def test_gives_up_after_the_last_attempt_without_waiting_again(backoff):
    async with TicketServer(*[(500, {"detail": "boom"}, 0)] * 3) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=3)
        with pytest.raises(BackendError, match="500"):
            await client.create_ticket(PAYLOAD)
    assert len(server.requests) == 3
    assert backoff == [0.3, 0.6]


@pytest.mark.parametrize(
    ("status", "body"),
    [(401, {"detail": "invalid service token"}),
     (422, {"detail": [{"loc": ["body", "contact"], "msg": "contact needs an email"}]}),
     (404, "<html><body>404 Not Found</body></html>"),
     (413, "<html>Request Entity Too Large</html>")],
)
async def test_4xx_raises_without_retrying(backoff, status, body):
    async with TicketServer((status, body, 0)) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=3)
        with pytest.raises(BackendError, match=f"refused \\({status}\\)"):
            await client.create_ticket(PAYLOAD)
    assert len(server.requests) == 1
    assert backoff == []


async def test_4xx_error_mentions_the_backend_detail(backoff):
    async with TicketServer((422, {"detail": "consent.privacy must be true"}, 0)) as server:
        with pytest.raises(BackendError) as err:
            await BackendClient(base_url=server.url, token="t").create_ticket(PAYLOAD)
    assert "consent.privacy must be true" in str(err.value)


async def test_connection_refused_is_retried_then_raises(backoff):
    client = BackendClient(base_url=f"http://127.0.0.1:{free_port()}", token="t", attempts=3)
    with pytest.raises(BackendError, match="unreachable"):
        await client.create_ticket(PAYLOAD)
    assert backoff == [0.3, 0.6]


async def test_timeout_is_retried(backoff):
    async with TicketServer((201, CREATED, 1.0), (201, CREATED, 0)) as server:
        client = BackendClient(base_url=server.url, token="t", timeout=0.2, attempts=2)
        assert await client.create_ticket(PAYLOAD) == CREATED
    assert len(server.requests) == 2
    assert backoff == [0.3]


async def test_invalid_json_on_success_is_retried(backoff):
    async with TicketServer((201, "not json", 0), (201, CREATED, 0)) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=2)
        assert await client.create_ticket(PAYLOAD) == CREATED
    assert len(server.requests) == 2


def test_defaults(monkeypatch):
    monkeypatch.delenv("INTAKE_BACKEND_URL", raising=False)
    monkeypatch.delenv("INTAKE_SERVICE_TOKEN", raising=False)
    client = BackendClient()
    assert client.base_url == "http://127.0.0.1:8000"
    assert client.token == ""
    assert client.attempts == 3
    assert BackendClient(base_url="http://hub:8000/").base_url == "http://hub:8000"
    assert json.dumps(PAYLOAD)  # the payload is plain JSON
