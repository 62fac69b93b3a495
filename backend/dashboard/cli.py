"""Manage dashboard users from the command line (DATABASE_URL as for the backend).

    python -m backend.dashboard.cli create-user --name "Sanne de Vries" \\
        --email sanne@example.nl --role student
    python -m backend.dashboard.cli set-password --email sanne@example.nl
    python -m backend.dashboard.cli list-users

The password is asked twice at a prompt, or read from INTAKE_NEW_PASSWORD (for scripts); it is
never a command-line argument (those end up in shell history and `ps`). Weak passwords are
refused. Exit codes: 0 done, 1 cannot (duplicate, unknown user, no database), 2 bad input."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from backend.dashboard import auth
from backend.db import Database
from backend.models import StaffUser
from backend.settings import load_settings

PASSWORD_ENV = "INTAKE_NEW_PASSWORD"


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _password() -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CliError(f"no password: set {PASSWORD_ENV} or run this in a terminal", 2)
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nog een keer: "):
        raise CliError("the two passwords differ", 2)
    return first


def _create(db: Database, args: argparse.Namespace) -> str:
    password = _password()
    try:
        with db.session() as s:
            user = auth.create_user(s, name=args.name, email=args.email, role=args.role,
                                    password=password)
            return f"created {user.role} {user.name} <{user.email}>"
    except auth.WeakPassword as exc:
        raise CliError(f"weak password: {exc}", 2) from None
    except auth.UserError as exc:
        raise CliError(str(exc), 1 if "already exists" in str(exc) else 2) from None


def _set_password(db: Database, args: argparse.Namespace) -> str:
    password = _password()
    try:
        with db.session() as s:
            user = auth.set_password(s, email=args.email, password=password)
            return f"new password for {user.email}; their sessions have ended"
    except auth.WeakPassword as exc:
        raise CliError(f"weak password: {exc}", 2) from None
    except auth.UserError as exc:
        raise CliError(str(exc), 1) from None


def _list(db: Database, _args: argparse.Namespace) -> str:
    with db.session() as s:
        users = s.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.email)).all()
        return "\n".join(f"{u.role:<12} {u.email:<40} {u.name}{'' if u.active else ' (inactive)'}"
                         for u in users) or "no users yet"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m backend.dashboard.cli",
                                description="Manage helpdesk dashboard users.")
    sub = p.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="add a student, coordinator or admin")
    create.add_argument("--name", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=auth.ROLES)
    create.set_defaults(run=_create)
    reset = sub.add_parser("set-password", help="give a user a new password")
    reset.add_argument("--email", required=True)
    reset.set_defaults(run=_set_password)
    listing = sub.add_parser("list-users", help="show all users")
    listing.set_defaults(run=_list)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    db = Database(load_settings().database_url)
    try:
        print(args.run(db, args))
        return 0
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except (OperationalError, ProgrammingError):
        print("error: the database is not ready; run `python -m backend.migrate` first",
              file=sys.stderr)
        return 1
    finally:
        db.engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
