"""backend.api.deps: bearer-token checks for staff and the service."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.backend.conftest import ADMIN_TOKEN, SERVICE_TOKEN, make_settings
from tests.backend.helpers import bearer


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": ADMIN_TOKEN},  # no scheme
        {"Authorization": f"Basic {ADMIN_TOKEN}"},
        {"Authorization": f"Bearer {ADMIN_TOKEN[:-1]}"},
        {"Authorization": f"Bearer {ADMIN_TOKEN}x"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Bearer {ADMIN_TOKEN.upper()}"},
    ],
    ids=["no scheme", "basic", "prefix", "longer", "empty", "case"],
)
def test_only_the_exact_staff_token_is_accepted(client, headers):
    response = client.get("/api/v1/tickets", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_bearer_scheme_is_case_insensitive(client):
    assert client.get("/api/v1/tickets", headers={
        "Authorization": f"bearer {ADMIN_TOKEN}"}).status_code == 200


def test_unset_tokens_never_match(migrated, fake_rasa):
    """A deployment without a service token must not accept an empty one."""
    app = create_app(make_settings(migrated, fake_rasa.url, admin_token="", service_token=""))
    with TestClient(app) as client:
        for headers in ({}, {"Authorization": "Bearer "}, bearer(ADMIN_TOKEN),
                        bearer(SERVICE_TOKEN)):
            assert client.get("/api/v1/tickets", headers=headers).status_code == 401
            # refused before the (invalid) body is even looked at
            assert client.post("/api/v1/tickets", json={}, headers=headers).status_code == 401


def test_the_service_token_is_not_a_staff_token(client, service, staff):
    assert client.get("/api/v1/tickets", headers=service).status_code == 401
    assert client.get("/api/v1/tickets", headers=staff).status_code == 200
