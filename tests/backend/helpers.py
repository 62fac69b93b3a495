"""Small helpers shared by the backend tests (not fixtures: plain functions and classes)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fastapi.testclient import TestClient
from sqlalchemy import func, select


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """Serve `handler` on a free loopback port from a daemon thread: (server, base URL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    # a short poll interval keeps shutdown() (every test's teardown) fast
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                     daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()

# handler(method, path, body) -> (status, body); a dict/list body is sent as JSON, bytes as-is
Handler = Callable[[str, str, bytes], tuple[int, object]]


class LoopbackServer:
    """A tiny HTTP server on 127.0.0.1 that records requests and answers with `handler`."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append({"method": method, "path": self.path, "body": body})
                status, payload = outer.handler(method, self.path, body)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                self._handle("GET")

            def do_POST(self):  # noqa: N802
                self._handle("POST")

            def log_message(self, *args):
                pass

        self.server, self.url = serve(_Handler)

    def close(self) -> None:
        stop(self.server)


def closed_port_url() -> str:
    """A loopback URL where nothing listens (the port was just released)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def start_conversation(client: TestClient) -> tuple[str, dict]:
    """Start a conversation; returns (conversation_id, auth headers for it)."""
    response = client.post("/api/v1/conversations")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["conversation_id"], bearer(body["token"])


def transcript(client: TestClient, cid: str, headers: dict) -> list[dict]:
    response = client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def ticket_payload(conversation_id: str, **overrides) -> dict:
    """A valid POST /api/v1/tickets body; top-level keys can be overridden."""
    payload = {
        "conversation_id": conversation_id,
        "question": "Ik wil meer klanten via mijn webshop.",
        "summary": "Bakkerij wil online verkopen.",
        "theme": "online_marketing_sales",
        "themes": [
            {"theme": "data", "confidence": 0.25},
            {"theme": "online_marketing_sales", "confidence": 0.75},
        ],
        "company": {
            "name": "Bakkerij De Korenaar",
            "sector": "detailhandel",
            "employees": 12,
            "postcode": "3511 AB",
            "place": "Utrecht",
            "kvk_number": "12345678",
        },
        "contact": {"name": "Jan de Vries", "email": "Jan@Example.NL", "phone": "+31612345678"},
        "consent": {"privacy": True, "followup": True},
        "intake": {"source": "website", "maturity": 4},
    }
    payload.update(overrides)
    return payload


def count(client: TestClient, model, **where) -> int:
    """Rows of `model` in the app's database matching column == value filters."""
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    with client.app.state.db.session() as s:
        return s.scalar(query)

