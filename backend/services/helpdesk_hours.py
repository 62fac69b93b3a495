"""When the helpdesk is staffed: office hours, holidays and closed periods (config/helpdesk.yml),
and a coordinator's 'open/closed right now' override."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


class HelpdeskConfigError(ValueError):
    """config/helpdesk.yml is missing or malformed."""


@dataclass(frozen=True)
class OfficeHours:
    tz: ZoneInfo
    hours: dict[int, tuple[time, time]]  # weekday -> (open, close)
    holidays: frozenset[date]
    closed_periods: tuple[tuple[date, date, str], ...]
    claim_timeout: timedelta
    expected_wait_minutes: int
    # a werkplaats with its own days, hours or holidays (config: werkplaatsen: {name: {...}})
    werkplaatsen: dict[str, OfficeHours] = field(default_factory=dict, compare=False)

    def for_werkplaats(self, name: str | None) -> OfficeHours:
        return self.werkplaatsen.get(name or "", self)

    def _closed_day(self, day: date) -> bool:
        return day in self.holidays or any(lo <= day <= hi for lo, hi, _ in self.closed_periods)

    def scheduled_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        span = self.hours.get(local.weekday())
        return (span is not None and not self._closed_day(local.date())
                and span[0] <= local.time() < span[1])

    def is_open(self, now: datetime, override: bool | None = None) -> bool:
        return override if override is not None else self.scheduled_open(now)

    def next_opening(self, now: datetime) -> datetime | None:
        local = now.astimezone(self.tz)
        for offset in range(0, 400):
            day = local.date() + timedelta(days=offset)
            span = self.hours.get(day.weekday())
            if span is None or self._closed_day(day):
                continue
            start = datetime.combine(day, span[0], self.tz)
            if start > local:
                return start
        return None

    def describe_next_opening(self, now: datetime) -> str:
        """'morgen om 09:00', 'maandag om 09:00', 'op 4 januari om 09:00' (Dutch, for people)."""
        when = self.next_opening(now)
        if when is None:
            return "zodra de helpdesk weer open is"
        local = now.astimezone(self.tz).date()
        clock = when.strftime("%H:%M")
        if when.date() == local:
            return f"vandaag om {clock}"
        if when.date() == local + timedelta(days=1):
            return f"morgen om {clock}"
        if when.date() - local < timedelta(days=7):
            return f"{DAY_NL[when.weekday()]} om {clock}"
        months = ("januari februari maart april mei juni juli augustus september oktober "
                  "november december").split()
        return f"op {when.day} {months[when.month - 1]} om {clock}"


def _span(text: object, where: str) -> tuple[time, time]:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", str(text).strip())
    if not m:
        raise HelpdeskConfigError(f"{where}: hours {text!r} must look like '09:00-17:00'")
    try:
        start, end = time(int(m[1]), int(m[2])), time(int(m[3]), int(m[4]))
    except ValueError as exc:
        raise HelpdeskConfigError(f"{where}: {text!r}: {exc}") from None
    if start >= end:
        raise HelpdeskConfigError(f"{where}: {text!r} closes before it opens")
    return start, end


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise HelpdeskConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _minutes(value: object, path: Path) -> int:
    # int() alone would turn 2.5 into 2 and YAML's `yes` into 1
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise HelpdeskConfigError(f"{path}: minutes must be whole numbers")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise HelpdeskConfigError(f"{path}: minutes must be whole numbers") from None


def load_office_hours(path: Path) -> OfficeHours:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise HelpdeskConfigError(f"cannot read {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise HelpdeskConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("hours"), dict):
        raise HelpdeskConfigError(f"{path}: needs an 'hours' mapping (monday: '09:00-17:00')")
    default = _parse(data, path, None)
    sections = data.get("werkplaatsen") or {}
    if not isinstance(sections, dict):
        raise HelpdeskConfigError(f"{path}: 'werkplaatsen' must map a werkplaats name to its hours")
    own = {}
    for name, section in sections.items():
        if not isinstance(section, dict):
            raise HelpdeskConfigError(f"{path}: werkplaats {name!r} needs a mapping")
        own[str(name)] = _parse(section, path, default)
    return replace(default, werkplaatsen=own)


def _parse(data: dict, path: Path, base: OfficeHours | None) -> OfficeHours:
    """One helpdesk's hours; a werkplaats section takes what it leaves out from `base`."""
    where = path.name if base is None else f"{path.name} werkplaatsen"
    if base is not None and "timezone" not in data:
        tz = base.tz
    else:
        try:
            tz = ZoneInfo(str(data.get("timezone", "Europe/Amsterdam")))
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: 'Europe' is a folder
            raise HelpdeskConfigError(
                f"{path}: unknown timezone {data.get('timezone')!r}") from None
    if base is not None and "hours" not in data:
        hours = dict(base.hours)
    else:
        if not isinstance(data.get("hours"), dict):
            raise HelpdeskConfigError(f"{where}: 'hours' must map days to '09:00-17:00'")
        hours = {}
        for day, span in data["hours"].items():
            if str(day).lower() not in DAYS:
                raise HelpdeskConfigError(f"{path}: unknown day {day!r} (use monday ... sunday)")
            hours[DAYS.index(str(day).lower())] = _span(span, f"{where} {day}")
    periods = []
    for i, p in enumerate(data.get("closed_periods") or []):
        if not isinstance(p, dict) or "from" not in p or "to" not in p:
            raise HelpdeskConfigError(f"{path}: closed_periods #{i + 1} needs 'from' and 'to'")
        start, end = _date(p["from"], path.name), _date(p["to"], path.name)
        if end < start:
            raise HelpdeskConfigError(f"{path}: closed_periods #{i + 1} ends ({end}) before it "
                                      f"starts ({start})")
        periods.append((start, end, str(p.get("reason", ""))))
    if base is not None and "closed_periods" not in data:
        periods = list(base.closed_periods)
    holidays = frozenset(_date(d, path.name) for d in data.get("holidays") or [])
    if base is not None and "holidays" not in data:
        holidays = base.holidays
    timeout = _minutes(data.get("claim_timeout_minutes", 15), path) if base is None or (
        "claim_timeout_minutes" in data) else int(base.claim_timeout.total_seconds() // 60)
    wait = _minutes(data.get("expected_wait_minutes", 10), path) if base is None or (
        "expected_wait_minutes" in data) else base.expected_wait_minutes
    if timeout < 1 or wait < 1:
        raise HelpdeskConfigError(f"{path}: minutes must be at least 1")
    return OfficeHours(
        tz=tz, hours=hours, holidays=holidays, closed_periods=tuple(periods),
        claim_timeout=timedelta(minutes=timeout), expected_wait_minutes=wait,
    )
