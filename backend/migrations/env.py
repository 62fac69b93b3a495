"""Alembic environment: the URL comes from backend.migrate (or DATABASE_URL for the CLI)."""

from alembic import context

from backend.db import make_engine, normalise_url
from backend.models import Base
from backend.settings import load_settings

config = context.config
target_metadata = Base.metadata
url = config.attributes.get("url") or load_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=normalise_url(url), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # batch operations rebuild tables: foreign keys would refuse to drop the old one
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end the implicit transaction, or alembic never commits
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
