"""Dashboard users and their sessions.

- Passwords: scrypt (standard library) with a random salt per user, compared in constant time;
  the parameters are stored with each hash, so they can be raised later.
- Sessions: server-side rows; the cookie holds a random token and the database only its SHA-256,
  so a leaked database does not sign anyone in. Sessions expire after SESSION_TTL (absolute).
- CSRF: a random token per session, sent back in every POST form.
- Logins: a small in-memory limiter against password guessing (per process)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.models import StaffSession, StaffUser, utcnow

ROLES = ("student", "coordinator", "admin")
ROLE_NAMES = {"student": "helpdeskstudent", "coordinator": "coördinator", "admin": "beheerder"}
SESSION_TTL = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_COMMON = ("wachtwoord", "password", "welkom", "qwerty", "azerty", "123456", "654321",
           "letmein", "geheim", "werkplaats", "helpdesk", "iloveyou", "abcdef")


class WeakPassword(ValueError):
    """The password is too easy to guess; the message (Dutch) says why."""


class UserError(ValueError):
    """A user cannot be created or changed as asked (bad e-mail, role, duplicate)."""


# --- passwords ----------------------------------------------------------------------------------

def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024,
                            **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected),
                                maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))  # same work for unknown e-mail addresses


def check_password_strength(password: str, *, name: str = "", email: str = "") -> None:
    """Raise WeakPassword unless the password is long, varied and not a common choice."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"Het wachtwoord mag hoogstens {MAX_PASSWORD_LENGTH} tekens zijn.")
    if len(set(password)) < 6:
        raise WeakPassword("Het wachtwoord heeft te weinig verschillende tekens.")
    low = password.lower()
    if any(word in low for word in _COMMON):
        raise WeakPassword("Het wachtwoord bevat een veelgebruikt woord of rijtje.")
    personal = [part for part in re.split(r"[\s@._-]+", f"{name} {email}".lower())
                if len(part) >= 4]
    if any(part in low for part in personal):
        raise WeakPassword("Het wachtwoord lijkt op je naam of e-mailadres.")


# --- users --------------------------------------------------------------------------------------

def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(db: Session, *, name: str, email: str, role: str, password: str) -> StaffUser:
    name, email = name.strip(), normalise_email(email)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise UserError(f"{email!r} is not an e-mail address")
    if not 0 < len(name) <= 120:
        raise UserError("the name must be 1 to 120 characters")
    if db.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise UserError(f"a user with e-mail {email} already exists")
    check_password_strength(password, name=name, email=email)
    user = StaffUser(name=name, email=email, role=role, password_hash=hash_password(password))
    db.add(user)
    db.flush()
    return user


def set_password(db: Session, *, email: str, password: str) -> StaffUser:
    """A new password; every session of that user ends."""
    user = db.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if user is None:
        raise UserError(f"no user with e-mail {email}")
    check_password_strength(password, name=user.name, email=user.email)
    user.password_hash = hash_password(password)
    db.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    db.flush()
    return user


def authenticate(db: Session, *, email: str, password: str) -> StaffUser | None:
    """The active user with this e-mail and password, or None (in about the same time)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    user = db.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    if user is None or not user.active:
        verify_password(password, _DUMMY_HASH)
        return None
    return user if verify_password(password, user.password_hash) else None


# --- sessions -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffContext:
    """Who is signed in, for one request."""

    user_id: int
    name: str
    email: str
    role: str
    csrf_token: str
    expires_at: datetime

    def can(self, role: str) -> bool:
        """At least `role`: student < coordinator < admin."""
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def start_session(db: Session, *, user: StaffUser, now: datetime | None = None) -> str:
    """A new session for a signed-in user; returns the token for the cookie."""
    now = now or utcnow()
    db.execute(delete(StaffSession).where(StaffSession.expires_at < now))  # tidy up
    token = secrets.token_urlsafe(32)
    db.add(StaffSession(id=_token_hash(token), user_id=user.id,
                        csrf_token=secrets.token_urlsafe(32), created_at=now,
                        expires_at=now + SESSION_TTL))
    user.last_login_at = now
    db.flush()
    return token


def load_session(db: Session, *, token: str | None,
                 now: datetime | None = None) -> StaffContext | None:
    """The session for a cookie token, or None when missing, expired or the user is inactive."""
    if not token or len(token) > 200:
        return None
    row = db.get(StaffSession, _token_hash(token))
    if row is None or _aware(row.expires_at) <= (now or utcnow()):
        return None
    user = db.get(StaffUser, row.user_id)
    if user is None or not user.active or user.role not in ROLES:
        return None
    return StaffContext(user_id=user.id, name=user.name, email=user.email, role=user.role,
                        csrf_token=row.csrf_token, expires_at=_aware(row.expires_at))


def end_session(db: Session, *, token: str | None) -> None:
    if token:
        db.execute(delete(StaffSession).where(StaffSession.id == _token_hash(token)))


def same_token(expected: str | None, given: object) -> bool:
    """Constant-time comparison of CSRF tokens; anything missing or malformed is False."""
    return (bool(expected) and isinstance(given, str) and given.isascii()
            and hmac.compare_digest(expected.encode(), given.encode()))


def display_names(db: Session, emails: set[str]) -> dict[str, str]:
    """E-mail -> name, for showing who claimed a conversation."""
    if not emails:
        return {}
    rows = db.execute(select(StaffUser.email, StaffUser.name).where(StaffUser.email.in_(emails)))
    return {email: name for email, name in rows}


# --- login rate limiting ------------------------------------------------------------------------

class LoginLimiter:
    """At most `attempts` failed logins per key in `window` seconds (in memory, per process)."""

    def __init__(self, attempts: int = 5, window: float = 15 * 60) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
