"""Helpers for the dashboard tests: users, signing in, CSRF tokens, a conversation waiting for a
person (plain functions; the database is shared by the session, so e-mails are unique)."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from backend.dashboard import auth
from backend.models import Conversation
from tests.backend.helpers import start_conversation

PASSWORD = "Groene-Kikker-Springt-42"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(client: TestClient, role: str, name: str | None = None,
              password: str = PASSWORD) -> str:
    """Create a user with this role; returns the e-mail address."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@werkplaats.example"
    with client.app.state.db.session() as s:
        auth.create_user(s, name=name or f"Test {role.title()}", email=email, role=role,
                         password=password)
    return email


def login_token(client: TestClient) -> str:
    page = client.get("/dashboard/login")
    assert page.status_code == 200, page.text
    return _CSRF.search(page.text).group(1)


def login(client: TestClient, email: str, password: str = PASSWORD, follow: bool = False):
    return client.post("/dashboard/login", follow_redirects=follow,
                       data={"email": email, "password": password,
                             "csrf_token": login_token(client), "next": "/dashboard"})


def sign_in(client: TestClient, role: str, name: str | None = None) -> str:
    """A new user with `role`, signed in on `client`; returns the CSRF token of the session."""
    email = make_user(client, role, name)
    response = login(client, email)
    assert response.status_code == 303, response.text
    return csrf_of(client)


def csrf_of(client: TestClient, path: str = "/dashboard") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return _CSRF.search(page.text).group(1)


def waiting_conversation(client: TestClient, service: dict,
                         text: str = "Ik wil een webshop voor mijn bakkerij") -> tuple[str, dict]:
    """A web chat in which the entrepreneur said `text` and then asked for a person."""
    cid, headers = start_conversation(client)
    sent = client.post(f"/api/v1/conversations/{cid}/messages", json={"text": text},
                       headers=headers)
    assert sent.status_code == 200, sent.text
    asked = client.post(f"/api/v1/conversations/{cid}/handover", json={"reason": "asked"},
                        headers=service)
    assert asked.status_code == 200, asked.text
    return cid, headers


def conversation(client: TestClient, cid: str) -> Conversation:
    with client.app.state.db.session() as s:
        return s.get(Conversation, cid)
