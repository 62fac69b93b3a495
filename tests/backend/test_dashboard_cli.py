"""`python -m backend.dashboard.cli`: create users (password from INTAKE_NEW_PASSWORD or a
prompt), refuse weak passwords, reset a password."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import select

from backend.dashboard import auth, cli
from backend.db import Database
from backend.models import StaffSession, StaffUser
from backend.settings import ROOT

GOOD = "Paarse-Olifant-Danst-17"


@pytest.fixture
def env(migrated, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", migrated)
    monkeypatch.setenv("INTAKE_ENV", "test")
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv(cli.PASSWORD_ENV, raising=False)
    return migrated


@pytest.fixture
def db(migrated):
    database = Database(migrated)
    yield database
    database.engine.dispose()


def user(db: Database, email: str) -> StaffUser | None:
    with db.session() as s:
        return s.scalar(select(StaffUser).where(StaffUser.email == email))


def new_email() -> str:
    return f"cli-{uuid.uuid4().hex[:8]}@werkplaats.example"


def test_create_user_from_the_environment(env, db, monkeypatch, capsys):
    email = new_email()
    monkeypatch.setenv(cli.PASSWORD_ENV, GOOD)
    code = cli.main(["create-user", "--name", "Sanne de Vries", "--email", email.upper(),
                     "--role", "student"])
    assert code == 0, capsys.readouterr().err
    assert f"created student Sanne de Vries <{email}>" in capsys.readouterr().out
    created = user(db, email)
    assert created.role == "student" and created.active
    assert GOOD not in created.password_hash and auth.verify_password(GOOD, created.password_hash)


def test_create_user_asks_twice_at_a_prompt(env, db, monkeypatch):
    email = new_email()
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: True)
    assert cli.main(["create-user", "--name", "Bram", "--email", email,
                     "--role", "coordinator"]) == 0
    assert user(db, email).role == "coordinator"


def test_different_answers_at_the_prompt_create_nobody(env, db, monkeypatch):
    email = new_email()
    answers = iter([GOOD, GOOD + "!"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: True)
    assert cli.main(["create-user", "--name", "Bram", "--email", email, "--role", "admin"]) == 2
    assert user(db, email) is None


@pytest.mark.parametrize("weak", ["kort", "wachtwoord12345", "aaaaaaaaaaaaaaaaaa",
                                  "bram-bakker-2024"])
def test_weak_passwords_are_refused(env, db, monkeypatch, capsys, weak):
    email = new_email()
    monkeypatch.setenv(cli.PASSWORD_ENV, weak)
    code = cli.main(["create-user", "--name", "Bram Bakker", "--email", email,
                     "--role", "student"])
    assert code == 2
    assert "weak password" in capsys.readouterr().err
    assert user(db, email) is None


def test_a_duplicate_email_is_refused(env, db, monkeypatch, capsys):
    email = new_email()
    monkeypatch.setenv(cli.PASSWORD_ENV, GOOD)
    assert cli.main(["create-user", "--name", "A", "--email", email, "--role", "student"]) == 0
    assert cli.main(["create-user", "--name", "B", "--email", email, "--role", "admin"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert user(db, email).name == "A"


def test_an_unknown_role_is_refused(env, monkeypatch):
    monkeypatch.setenv(cli.PASSWORD_ENV, GOOD)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["create-user", "--name", "A", "--email", new_email(), "--role", "baas"])
    assert exit_info.value.code == 2


def test_set_password_ends_the_users_sessions(env, db, monkeypatch):
    email = new_email()
    monkeypatch.setenv(cli.PASSWORD_ENV, GOOD)
    assert cli.main(["create-user", "--name", "A", "--email", email, "--role", "student"]) == 0
    with db.session() as s:
        auth.start_session(s, user=s.scalar(select(StaffUser).where(StaffUser.email == email)))
    monkeypatch.setenv(cli.PASSWORD_ENV, "Nieuwe-Zomer-Regen-88")
    assert cli.main(["set-password", "--email", email]) == 0
    changed = user(db, email)
    assert auth.verify_password("Nieuwe-Zomer-Regen-88", changed.password_hash)
    with db.session() as s:
        sessions = s.scalars(select(StaffSession).where(StaffSession.user_id == changed.id))
        assert sessions.all() == []


def test_the_module_runs_as_a_command(env, db):
    email = new_email()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), cli.PASSWORD_ENV: GOOD}
    done = subprocess.run(
        [sys.executable, "-m", "backend.dashboard.cli", "create-user", "--name", "Sanne",
         "--email", email, "--role", "student"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert user(db, email) is not None
    listing = subprocess.run([sys.executable, "-m", "backend.dashboard.cli", "list-users"],
                             cwd=ROOT, env=environment, capture_output=True, text=True,
                             timeout=120)
    assert email in listing.stdout
