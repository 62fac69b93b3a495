"""backend.models: timestamps and the ISO-8601 form used in the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from backend.models import iso, utcnow


def test_utcnow_is_aware_utc():
    now = utcnow()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_iso_treats_naive_values_as_utc():
    value = datetime(2026, 3, 1, 12, 30, 5)
    parsed = datetime.fromisoformat(iso(value))
    assert parsed.utcoffset() == timedelta(0)
    assert parsed.replace(tzinfo=None) == value


def test_iso_keeps_an_existing_timezone():
    amsterdam = timezone(timedelta(hours=1))
    value = datetime(2026, 3, 1, 12, 30, tzinfo=amsterdam)
    parsed = datetime.fromisoformat(iso(value))
    assert parsed.utcoffset() == timedelta(hours=1)
    assert parsed == value.astimezone(UTC)
