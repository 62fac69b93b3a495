"""Backend test fixtures: a real database (SQLite, or PostgreSQL with TEST_DATABASE=postgresql),
migrated with Alembic, and a loopback stand-in for Rasa's HTTP API (REST channel, /model/parse,
/status) so the hub's own behaviour can be tested in isolation. The whole stack with the real
Rasa is tested in tests/e2e."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from backend.app import create_app
from backend.migrate import upgrade
from backend.settings import ROOT, Settings
from tests.backend.helpers import serve, stop

PG_ADMIN_URL = os.environ.get(
    "TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ADMIN_TOKEN = "test-admin-token-0123456789"
SERVICE_TOKEN = "test-service-token-0123456789"


class FakeRasa:
    """Answers like Rasa's REST channel: a list of {recipient_id, text, buttons}."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.reply = lambda sender, message: [{"recipient_id": sender, "text": f"echo: {message}"}]
        self.parse_theme_scores: dict | None = None
        self.parse_ranking = [
            {"name": "describe_need_online_marketing_sales", "confidence": 0.7},
            {"name": "describe_need_data", "confidence": 0.2},
            {"name": "greet", "confidence": 0.1},
        ]
        self.up = True
        self.slots: dict[str, dict] = {}  # sender -> tracker slots (GET .../tracker; 404
        # for other senders: most tests have no tracker)
        self.delay = 0.0  # seconds before a REST channel answer (a slow bot)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if not fake.up:
                    return self._json(503, {"status": "down"})
                if self.path.startswith("/status"):
                    return self._json(200, {"model_file": "intake.tar.gz"})
                sender = self.path.split("/")[2] if self.path.count("/") > 2 else ""
                if "/tracker" in self.path and sender in fake.slots:
                    return self._json(200, {"sender_id": sender, "slots": fake.slots[sender]})
                return self._json(404, {})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not fake.up:
                    return self._json(500, {"error": "down"})
                if self.path.startswith("/webhooks/rest/webhook"):
                    fake.received.append(body)
                    time.sleep(fake.delay)
                    return self._json(200, fake.reply(body["sender"], body["message"]))
                if self.path.startswith("/model/parse"):
                    parsed = {"text": body["text"], "intent_ranking": fake.parse_ranking}
                    if fake.parse_theme_scores is not None:  # the theme component's output
                        parsed["theme_scores"] = fake.parse_theme_scores
                    return self._json(200, parsed)
                return self._json(404, {})

            def log_message(self, *args):
                pass

        self.server, self.url = serve(Handler)

    def close(self) -> None:
        stop(self.server)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if os.environ.get("TEST_DATABASE") == "postgresql":
        name = f"intake_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'intake.db'}"


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    upgrade(database_url)
    return database_url


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    yield fake
    fake.close()


def make_settings(database_url: str, rasa_url: str, **overrides) -> Settings:
    values = dict(
        env="test",
        database_url=database_url,
        rasa_url=rasa_url,
        rasa_token="rasa-token",
        action_server_url="http://127.0.0.1:9",  # nothing listens: reported as down
        admin_token=ADMIN_TOKEN,
        service_token=SERVICE_TOKEN,
        werkplaatsen_file=Path(ROOT / "config" / "werkplaatsen.yml"),
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def client(migrated: str, fake_rasa: FakeRasa) -> Iterator[TestClient]:
    app = create_app(make_settings(migrated, fake_rasa.url))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def staff() -> dict:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def service() -> dict:
    return {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture
def twilio():
    """A loopback fake of Twilio's Messages API (tests/backend/fake_twilio.py)."""
    from tests.backend.fake_twilio import FakeTwilio

    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture
def wa(migrated, fake_rasa, twilio):
    """The app with WhatsApp configured against the fakes, the bot scripted."""
    from tests.backend.whatsapp_helpers import script, whatsapp_app

    script(fake_rasa)
    with whatsapp_app(migrated, fake_rasa, twilio) as client:
        yield client
