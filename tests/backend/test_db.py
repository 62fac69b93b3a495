"""backend.db: URL spelling, the unit of work, SQLite's foreign keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from backend.db import Database, normalise_url
from backend.models import Conversation, Message


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///var/intake.db", "sqlite:///var/intake.db"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


@pytest.fixture
def db(migrated) -> Iterator[Database]:
    database = Database(migrated)
    yield database
    database.engine.dispose()


def test_session_commits_on_success(db):
    with db.session() as s:
        s.add(Conversation(id="db-commit-test", token_hash="x" * 64))
    with db.session() as s:
        assert s.get(Conversation, "db-commit-test") is not None


def test_session_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Conversation(id="db-rollback-test", token_hash="x" * 64))
        s.flush()
        raise RuntimeError("halfway")
    with db.session() as s:
        assert s.get(Conversation, "db-rollback-test") is None


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(Message(conversation_id="no-such-conversation", sender="user", text="hoi"))
        s.flush()


def test_the_schema_is_at_the_latest_migration(db):
    with db.session() as s:
        version = s.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    from alembic.script import ScriptDirectory

    from backend.migrate import alembic_config

    assert version == ScriptDirectory.from_config(alembic_config("unused")).get_current_head()


def test_upgrade_twice_is_harmless(migrated):
    from backend.migrate import upgrade

    upgrade(migrated)  # already at head: nothing to do, nothing breaks
