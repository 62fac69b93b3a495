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


def test_migrations_create_a_missing_postgres_database():
    """DATABASE_URL may name a database that does not exist yet: make run creates it."""
    import uuid

    from sqlalchemy import create_engine, inspect, text

    from backend.migrate import upgrade
    from tests.backend.conftest import PG_ADMIN_URL

    name = f"intake_new_{uuid.uuid4().hex[:8]}"
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        upgrade(url)
        engine = create_engine(url)
        assert {"conversations", "messages", "tickets"} <= set(inspect(engine).get_table_names())
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrading_a_database_that_holds_data(tmp_path, database_url):
    """A database at revision 0001 with conversations, messages and a ticket upgrades to head
    without losing anything (on SQLite this once failed on the foreign keys)."""
    import uuid

    from alembic import command
    from sqlalchemy import create_engine, text

    from backend.migrate import alembic_config, upgrade
    from tests.backend.conftest import PG_ADMIN_URL

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'old.db'}"
        admin = None
    else:
        name = f"intake_old_{uuid.uuid4().hex[:8]}"
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        command.upgrade(alembic_config(url), "0001")
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO conversations (id, token_hash, channel, state, "
                              "created_at, updated_at) VALUES ('c1', 'h', 'webchat', 'bot', "
                              "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO messages (conversation_id, sender, text, buttons, at) "
                              "VALUES ('c1', 'user', 'hoi', '[]', CURRENT_TIMESTAMP)"))
        upgrade(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT state, callback FROM conversations")).all() == [
                ("bot", False)]
            assert conn.execute(text("SELECT text FROM messages")).scalar() == "hoi"
        engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
