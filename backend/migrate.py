"""Apply database migrations: `python -m backend.migrate` (make run does this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from backend.settings import load_settings

HERE = Path(__file__).resolve().parent


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    settings = load_settings()
    upgrade(settings.database_url)
    print(f"database ready: {settings.database_url.split('@')[-1]}")
