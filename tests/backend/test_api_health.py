"""GET /healthz: database, Rasa and the action server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.backend.conftest import make_settings
from tests.backend.helpers import LoopbackServer, closed_port_url


@pytest.fixture
def action_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer(
        lambda method, path, body: (200, {"status": "ok"}) if path == "/health" else (404, {})
    )
    yield server
    server.close()


def healthz(database_url: str, rasa_url: str, **overrides) -> tuple[int, dict]:
    app = create_app(make_settings(database_url, rasa_url, **overrides))
    with TestClient(app) as client:
        response = client.get("/healthz")
    return response.status_code, response.json()


def test_action_server_down_is_503(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["rasa"] == "ok"
    assert body["action_server"] == "down"
    assert body["status"] != "ok"


def test_all_up_is_200(migrated, fake_rasa, action_server):
    status, body = healthz(migrated, fake_rasa.url, action_server_url=action_server.url)
    assert status == 200, body
    assert body == {"status": "ok", "database": "ok", "rasa": "ok", "action_server": "ok"}
    assert {"method": "GET", "path": "/health", "body": b""} in action_server.requests


def test_rasa_down_is_503(migrated, fake_rasa, action_server):
    fake_rasa.up = False
    status, body = healthz(migrated, fake_rasa.url, action_server_url=action_server.url)
    assert status == 503
    assert (body["database"], body["rasa"], body["action_server"]) == ("ok", "down", "ok")


def test_rasa_not_listening_is_503(migrated, action_server):
    status, body = healthz(migrated, closed_port_url(), action_server_url=action_server.url)
    assert status == 503
    assert body["rasa"] == "down"


def test_rasa_without_a_loaded_model_is_down(migrated, action_server):
    rasa = LoopbackServer(lambda method, path, body: (200, {"model_file": None}))
    try:
        status, body = healthz(migrated, rasa.url, action_server_url=action_server.url)
    finally:
        rasa.close()
    assert status == 503
    assert body["rasa"] == "down"


def test_action_server_error_is_down(migrated, fake_rasa):
    broken = LoopbackServer(lambda method, path, body: (500, {}))
    try:
        status, body = healthz(migrated, fake_rasa.url, action_server_url=broken.url)
    finally:
        broken.close()
    assert status == 503
    assert body["action_server"] == "down"


def test_database_down_is_503(tmp_path, fake_rasa, action_server):
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'intake.db'}"
    status, body = healthz(url, fake_rasa.url, action_server_url=action_server.url)
    assert status == 503
    assert (body["database"], body["rasa"], body["action_server"]) == ("down", "ok", "ok")
