"""The app factory: start-up checks, the body limit and the JSON error handlers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.services.werkplaatsen import WerkplaatsConfigError
from tests.backend.conftest import make_settings
from tests.backend.helpers import start_conversation


@pytest.mark.parametrize(
    "content",
    [None, "werkplaatsen: [\n", "werkplaatsen:\n  - name: Noord\n    postcodes: ['3-99']\n"],
    ids=["missing", "invalid yaml", "bad range"],
)
def test_create_app_refuses_a_bad_werkplaatsen_file(tmp_path, migrated, fake_rasa, content):
    path = tmp_path / "werkplaatsen.yml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(WerkplaatsConfigError):
        create_app(make_settings(migrated, fake_rasa.url, werkplaatsen_file=path))


def test_create_app_uses_the_configured_werkplaatsen_file(tmp_path, migrated, fake_rasa):
    path = tmp_path / "werkplaatsen.yml"
    path.write_text("default: Centraal\nwerkplaatsen:\n  - name: Alles\n    postcodes: ['10-99']\n"
                    "    themes: [data]\n    offers: [helpdeskuur]\n")
    hours = tmp_path / "helpdesk.yml"  # the real one names werkplaatsen this file does not have
    hours.write_text("hours: {monday: '09:00-17:00'}\n")
    app = create_app(make_settings(migrated, fake_rasa.url, werkplaatsen_file=path,
                                   helpdesk_file=hours))
    assert app.state.directory.names() == ["Alles", "Centraal"]


def test_body_limit_is_configurable(migrated, fake_rasa):
    app = create_app(make_settings(migrated, fake_rasa.url, max_body_bytes=100))
    with TestClient(app) as client:
        cid, headers = start_conversation(client)
        url = f"/api/v1/conversations/{cid}/messages"
        assert client.post(url, json={"text": "kort"}, headers=headers).status_code == 200
        response = client.post(url, json={"text": "x" * 200}, headers=headers)
        assert response.status_code == 413
        assert response.json() == {"detail": "request body too large"}


def test_a_non_numeric_content_length_is_refused(client):
    cid, headers = start_conversation(client)
    response = client.post(
        f"/api/v1/conversations/{cid}/messages",
        content=b'{"text": "hoi"}',
        headers={**headers, "Content-Type": "application/json", "Content-Length": "abc"},
    )
    assert response.status_code in (400, 413)


def test_unknown_paths_are_json_404(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_wrong_method_is_405(client):
    assert client.delete("/api/v1/conversations").status_code == 405


def test_unexpected_errors_are_a_json_500_without_details(migrated, fake_rasa, staff):
    app = create_app(make_settings(migrated, fake_rasa.url))

    async def boom(_text):
        raise RuntimeError("secret internals")

    app.state.rasa.parse = boom
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/classify", json={"text": "webshop"}, headers=staff)
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error"}
    assert "secret internals" not in response.text
