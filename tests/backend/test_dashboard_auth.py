"""Dashboard sign-in: password hashing, login (good and bad), expiring sessions, logout, the
cookie's flags, login CSRF and rate limiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from backend.app import create_app
from backend.dashboard import auth
from backend.models import StaffSession, StaffUser, utcnow
from tests.backend.conftest import make_settings
from tests.backend.dashboard_helpers import (
    PASSWORD,
    login,
    login_token,
    make_user,
    sign_in,
)


def test_passwords_are_salted_scrypt_hashes():
    first = auth.hash_password("Rode-Appel-Valt-99")
    second = auth.hash_password("Rode-Appel-Valt-99")
    assert first.startswith("scrypt$") and first != second  # a salt per hash
    assert "Rode-Appel" not in first
    assert auth.verify_password("Rode-Appel-Valt-99", first)
    assert not auth.verify_password("Rode-Appel-Valt-98", first)
    assert not auth.verify_password("x", "not-a-hash")


@pytest.mark.parametrize("weak", ["kort1A!", "aaaaaaaaaaaaaaaa", "Wachtwoord2024!!",
                                  "123456789012abc", "sanne.devries-2024"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(auth.WeakPassword):
        auth.check_password_strength(weak, name="Sanne de Vries", email="sanne.devries@x.nl")


def test_a_good_password_signs_in_and_shows_the_queue(client):
    email = make_user(client, "student", name="Sanne Student")
    response = login(client, email)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Sanne Student" in page.text and "Wachtrij" in page.text
    with client.app.state.db.session() as s:
        user = s.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user.last_login_at is not None


def test_the_session_cookie_is_httponly_samesite_and_path_bound(client):
    response = login(client, make_user(client, "student"))
    cookie = response.headers["set-cookie"]
    assert "dw_staff=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # plain http in tests
    with client.app.state.db.session() as s:  # only a hash of the token is stored
        token = client.cookies.get("dw_staff")
        assert s.get(StaffSession, token) is None
        assert len(s.scalars(select(StaffSession.id)).all()) >= 1


def test_the_cookie_is_secure_behind_https(migrated, fake_rasa):
    app = create_app(make_settings(migrated, fake_rasa.url,
                                   public_base_url="https://helpdesk.example"))
    with TestClient(app, base_url="https://testserver") as https_client:
        response = login(https_client, make_user(https_client, "student"))
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("password", [PASSWORD + "x", "", PASSWORD.lower()])
def test_a_bad_password_does_not_sign_in(client, password):
    email = make_user(client, "student")
    response = login(client, email, password=password)
    assert response.status_code == 401
    assert "horen niet bij elkaar" in response.text
    assert "dw_staff" not in client.cookies
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_an_unknown_email_does_not_sign_in(client):
    response = login(client, "niemand@werkplaats.example")
    assert response.status_code == 401


def test_an_inactive_user_cannot_sign_in(client):
    email = make_user(client, "student")
    with client.app.state.db.session() as s:
        s.execute(update(StaffUser).where(StaffUser.email == email).values(active=False))
    assert login(client, email).status_code == 401


def test_without_a_session_pages_lead_to_the_login(client):
    response = client.get("/dashboard/tickets?status=nieuw", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/dashboard/login?next=%2Fdashboard%2Ftickets%3Fstatus%3Dnieuw")
    api = client.get("/dashboard/api/queue")
    assert api.status_code == 401 and api.json()["login"] == "/dashboard/login"


def test_an_expired_session_no_longer_works(client):
    sign_in(client, "coordinator")
    assert client.get("/dashboard", follow_redirects=False).status_code == 200
    with client.app.state.db.session() as s:
        s.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/dashboard/login")
    assert client.get("/dashboard/api/queue").status_code == 401


def test_sessions_last_eight_hours(client):
    sign_in(client, "student")
    with client.app.state.db.session() as s:
        row = s.scalars(select(StaffSession).order_by(StaffSession.created_at.desc())).first()
        assert row.expires_at - row.created_at == timedelta(hours=8)


def test_logout_ends_the_session(client):
    csrf = sign_in(client, "student")
    token = client.cookies.get("dw_staff")
    response = client.post("/dashboard/logout", data={"csrf_token": csrf},
                           follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/login?uitgelogd=1"
    client.cookies.set("dw_staff", token, path="/dashboard")  # a stolen copy is useless now
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_logout_needs_the_csrf_token(client):
    sign_in(client, "student")
    assert client.post("/dashboard/logout", data={"csrf_token": "nope"}).status_code == 403
    assert client.get("/dashboard", follow_redirects=False).status_code == 200


def test_the_login_form_has_its_own_csrf_token(client):
    email = make_user(client, "student")
    login_token(client)
    response = client.post("/dashboard/login", data={"email": email, "password": PASSWORD,
                                                     "csrf_token": "forged"})
    assert response.status_code == 403
    assert "dw_staff" not in client.cookies


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/dashboard//evil.example", "/elders"])
def test_login_only_redirects_into_the_dashboard(client, target):
    email = make_user(client, "student")
    response = client.post("/dashboard/login", follow_redirects=False,
                           data={"email": email, "password": PASSWORD,
                                 "csrf_token": login_token(client), "next": target})
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"


def test_login_goes_back_to_the_page_asked_for(client):
    email = make_user(client, "student")
    response = client.post("/dashboard/login", follow_redirects=False,
                           data={"email": email, "password": PASSWORD,
                                 "csrf_token": login_token(client),
                                 "next": "/dashboard/tickets?status=nieuw"})
    assert response.headers["location"] == "/dashboard/tickets?status=nieuw"


def test_repeated_failures_are_slowed_down(client):
    email = make_user(client, "student")
    codes = [login(client, email, password="Fout-Wachtwoord-123").status_code for _ in range(5)]
    assert codes == [401] * 5
    blocked = login(client, email)  # even the right password, for a while
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.text
    assert "dw_staff" not in client.cookies


def test_dashboard_pages_send_security_headers(client):
    page = client.get("/dashboard/login")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
