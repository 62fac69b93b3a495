"""backend.services.helpdesk_hours: config/helpdesk.yml, when the helpdesk is staffed, and how
the next opening is told to an entrepreneur (Dutch)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.app import create_app
from backend.services.helpdesk_hours import HelpdeskConfigError, OfficeHours, load_office_hours
from backend.settings import ROOT
from tests.backend.conftest import make_settings

AMS = ZoneInfo("Europe/Amsterdam")
REAL = ROOT / "config" / "helpdesk.yml"


def ams(*args) -> datetime:
    """An aware Amsterdam datetime: ams(2027, 2, 1, 10, 0)."""
    return datetime(*args, tzinfo=AMS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def real() -> OfficeHours:
    return load_office_hours(REAL)


def write(tmp_path, text: str):
    path = tmp_path / "helpdesk.yml"
    path.write_text(text, encoding="utf-8")
    return path


# --- loading ---------------------------------------------------------------------------------


def test_the_real_config(real):
    assert real.tz.key == "Europe/Amsterdam"
    week = {d: (time(9), time(17)) for d in range(4)}
    assert real.hours == {**week, 4: (time(9), time(16))}  # no weekend, Friday until 16:00
    assert date(2026, 12, 25) in real.holidays and date(2027, 4, 27) in real.holidays
    assert len(real.holidays) == 5
    assert [(lo, hi, why) for lo, hi, why in real.closed_periods] == [
        (date(2026, 12, 19), date(2027, 1, 3), "kerstvakantie"),
        (date(2027, 7, 17), date(2027, 8, 29), "zomervakantie"),
    ]
    assert real.claim_timeout == timedelta(minutes=15)
    assert real.expected_wait_minutes == 10


def test_a_minimal_file_gets_the_defaults(tmp_path):
    hours = load_office_hours(write(tmp_path, "hours:\n  Monday: ' 8:30 - 12:00 '\n"))
    assert hours.tz.key == "Europe/Amsterdam"
    assert hours.hours == {0: (time(8, 30), time(12))}  # day names in any case, spaces allowed
    assert hours.holidays == frozenset() and hours.closed_periods == ()
    assert hours.claim_timeout == timedelta(minutes=15)
    assert hours.expected_wait_minutes == 10


def test_a_custom_file(tmp_path):
    hours = load_office_hours(write(tmp_path, (
        "timezone: America/New_York\n"
        "claim_timeout_minutes: 3\n"
        "expected_wait_minutes: '25'\n"
        "hours:\n  saturday: '10:00-14:00'\n"
        "holidays: ['2027-02-13']\n"
        "closed_periods:\n  - {from: '2027-03-01', to: 2027-03-07}\n"
    )))
    assert hours.tz.key == "America/New_York"
    assert hours.hours == {5: (time(10), time(14))}
    assert hours.holidays == {date(2027, 2, 13)}
    assert hours.closed_periods == ((date(2027, 3, 1), date(2027, 3, 7), ""),)
    assert hours.claim_timeout == timedelta(minutes=3)
    assert hours.expected_wait_minutes == 25
    # opening hours are local to the configured timezone
    assert hours.scheduled_open(datetime(2027, 2, 6, 10, 30, tzinfo=ZoneInfo("America/New_York")))
    assert not hours.scheduled_open(ams(2027, 2, 6, 10, 30))  # 04:30 in New York


# --- scheduled_open --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (ams(2027, 2, 1, 10, 0), True),  # Monday
        (ams(2027, 2, 1, 8, 59), False),
        (ams(2027, 2, 1, 9, 0), True),  # opening time is inside
        (ams(2027, 2, 1, 16, 59), True),
        (ams(2027, 2, 1, 17, 0), False),  # closing time is outside
        (ams(2027, 2, 5, 15, 59), True),  # Friday
        (ams(2027, 2, 5, 16, 30), False),  # Friday closes at 16:00
        (ams(2027, 2, 6, 12, 0), False),  # Saturday
        (ams(2027, 2, 7, 12, 0), False),  # Sunday
        (ams(2027, 4, 26, 10, 0), True),  # the Monday before King's Day
        (ams(2027, 4, 27, 10, 0), False),  # King's Day (a holiday, on a Tuesday)
        (ams(2026, 12, 25, 10, 0), False),  # Christmas
        (ams(2026, 12, 18, 10, 0), True),  # the Friday before the Christmas break
        (ams(2026, 12, 21, 10, 0), False),  # inside the Christmas break
        (ams(2027, 1, 4, 10, 0), True),  # the first Monday after it
        (ams(2027, 7, 16, 10, 0), True),
        (ams(2027, 7, 19, 10, 0), False),  # summer break
        (ams(2027, 8, 30, 10, 0), True),
    ],
)
def test_scheduled_open(real, when, is_open):
    assert real.scheduled_open(when) is is_open


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (utc(2027, 2, 1, 8, 30), True),  # 09:30 in Amsterdam (CET, +1)
        (utc(2027, 2, 1, 7, 30), False),  # 08:30
        (utc(2027, 2, 1, 15, 30), True),  # 16:30
        (utc(2027, 2, 1, 16, 30), False),  # 17:30
    ],
)
def test_scheduled_open_converts_to_local_time(real, when, is_open):
    assert real.scheduled_open(when) is is_open


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        # spring forward on Sunday 2027-03-28: 07:30 UTC is 08:30 before, 09:30 after
        (utc(2027, 3, 26, 7, 30), False),
        (utc(2027, 3, 29, 7, 30), True),
        (utc(2027, 3, 22, 15, 30), True),  # 16:30 CET
        (utc(2027, 3, 29, 15, 30), False),  # 17:30 CEST
        # fall back on Sunday 2026-10-25: 07:30 UTC is 09:30 before, 08:30 after
        (utc(2026, 10, 23, 7, 30), True),
        (utc(2026, 10, 26, 7, 30), False),
    ],
)
def test_scheduled_open_across_daylight_saving(real, when, is_open):
    assert real.scheduled_open(when) is is_open


def test_closed_periods_include_both_ends(tmp_path):
    hours = load_office_hours(write(tmp_path, (
        "hours: {monday: '09:00-17:00', tuesday: '09:00-17:00', wednesday: '09:00-17:00',"
        " thursday: '09:00-17:00'}\n"
        "closed_periods:\n  - {from: 2027-02-02, to: 2027-02-03, reason: studiedag}\n"
    )))
    opened = [hours.scheduled_open(ams(2027, 2, d, 12, 0)) for d in (1, 2, 3, 4)]
    assert opened == [True, False, False, True]


# --- is_open ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "override", "is_open"),
    [
        (ams(2027, 2, 1, 10, 0), None, True),
        (ams(2027, 2, 6, 10, 0), None, False),
        (ams(2027, 2, 6, 10, 0), True, True),  # a coordinator opens on a Saturday
        (ams(2026, 12, 21, 10, 0), True, True),  # ... or during a break
        (ams(2027, 2, 1, 10, 0), False, False),  # ... or closes during office hours
        (ams(2027, 2, 6, 10, 0), False, False),
    ],
)
def test_is_open_follows_the_override(real, when, override, is_open):
    assert real.is_open(when, override) is is_open


def test_is_open_without_override_is_the_schedule(real):
    assert real.is_open(ams(2027, 2, 1, 10, 0)) is True
    assert real.is_open(ams(2027, 2, 1, 8, 0)) is False


# --- next_opening and how it is told ----------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "opening", "told"),
    [
        (ams(2027, 2, 1, 7, 0), ams(2027, 2, 1, 9, 0), "vandaag om 09:00"),  # Monday early
        (ams(2027, 2, 1, 17, 30), ams(2027, 2, 2, 9, 0), "morgen om 09:00"),
        (ams(2027, 2, 1, 10, 0), ams(2027, 2, 2, 9, 0), "morgen om 09:00"),  # while open
        (ams(2027, 2, 5, 16, 30), ams(2027, 2, 8, 9, 0), "maandag om 09:00"),  # Friday 16:30
        (ams(2027, 2, 6, 12, 0), ams(2027, 2, 8, 9, 0), "maandag om 09:00"),  # Saturday
        (ams(2027, 2, 7, 23, 59), ams(2027, 2, 8, 9, 0), "morgen om 09:00"),  # Sunday night
        (ams(2027, 4, 26, 18, 0), ams(2027, 4, 28, 9, 0), "woensdag om 09:00"),  # King's Day
        # the Christmas break: the date, not a weekday name
        (ams(2026, 12, 18, 17, 0), ams(2027, 1, 4, 9, 0), "op 4 januari om 09:00"),
        (ams(2027, 7, 16, 16, 0), ams(2027, 8, 30, 9, 0), "op 30 augustus om 09:00"),
    ],
)
def test_next_opening(real, now, opening, told):
    assert real.next_opening(now) == opening
    assert real.describe_next_opening(now) == told


def test_next_opening_uses_the_local_date_not_the_utc_date(real):
    now = utc(2027, 2, 1, 23, 30)  # Monday in UTC, already Tuesday 00:30 in Amsterdam
    assert real.next_opening(now) == ams(2027, 2, 2, 9, 0)
    assert real.describe_next_opening(now) == "vandaag om 09:00"


def test_next_opening_across_daylight_saving(real):
    opening = real.next_opening(ams(2027, 3, 26, 17, 0))  # Friday, CET
    assert opening == utc(2027, 3, 29, 7, 0)  # Monday 09:00 CEST
    assert opening.utcoffset() == timedelta(hours=2)
    assert real.describe_next_opening(ams(2027, 3, 26, 17, 0)) == "maandag om 09:00"


def test_a_weekday_name_only_within_a_week(tmp_path):
    hours = load_office_hours(write(tmp_path, "hours:\n  monday: '10:30-12:00'\n"))
    # Tuesday: next Monday is 6 days away
    assert hours.describe_next_opening(ams(2027, 2, 2, 10, 0)) == "maandag om 10:30"
    # Monday after opening: next Monday is a week away, "maandag" would be ambiguous
    assert hours.describe_next_opening(ams(2027, 2, 1, 11, 0)) == "op 8 februari om 10:30"
    assert hours.describe_next_opening(ams(2027, 2, 1, 10, 0)) == "vandaag om 10:30"


def test_never_open(tmp_path):
    hours = load_office_hours(write(tmp_path, "hours: {}\n"))
    assert not hours.scheduled_open(ams(2027, 2, 1, 10, 0))
    assert hours.next_opening(ams(2027, 2, 1, 10, 0)) is None
    assert hours.describe_next_opening(ams(2027, 2, 1, 10, 0)) == "zodra de helpdesk weer open is"


# --- config errors ---------------------------------------------------------------------------

HOURS = "hours:\n  monday: '09:00-17:00'\n"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("timezone: Europe/Amsterdam\n", "hours"),  # missing hours
        ("hours: ['09:00-17:00']\n", "hours"),
        ("- monday\n", "hours"),
        ("", "hours"),
        ("hours: {monday: '9-17'}\n", "9-17"),
        ("hours: {monday: '09:00 tot 17:00'}\n", "09:00-17:00"),
        ("hours: {monday: }\n", "09:00-17:00"),
        ("hours: {monday: '17:00-09:00'}\n", "closes before it opens"),
        ("hours: {monday: '09:00-09:00'}\n", "closes before it opens"),
        ("hours: {monday: '09:00-24:30'}\n", "24:30"),
        ("hours: {monday: '09:75-17:00'}\n", "09:75"),
        ("hours: {maandag: '09:00-17:00'}\n", "maandag"),
        ("hours: {weekdays: '09:00-17:00'}\n", "weekdays"),
        ("hours: [\n", "YAML"),
        ("timezone: Mars/Olympus_Mons\n" + HOURS, "timezone"),
        ("timezone: ''\n" + HOURS, "timezone"),
        ("timezone: ../../etc/passwd\n" + HOURS, "timezone"),
        ("timezone: Europe\n" + HOURS, "timezone"),  # a directory of the tz database
        (HOURS + "holidays: ['2026-13-01']\n", "2026-13-01"),
        (HOURS + "holidays: [kerst]\n", "kerst"),
        (HOURS + "closed_periods:\n  - {from: volgende week, to: 2027-01-03}\n", "volgende week"),
        (HOURS + "closed_periods:\n  - {from: 2026-12-19}\n", "'from' and 'to'"),
        (HOURS + "closed_periods: [kerstvakantie]\n", "'from' and 'to'"),
        (HOURS + "closed_periods:\n  - {from: 2027-08-29, to: 2027-07-17}\n", "2027-07-17"),
        (HOURS + "claim_timeout_minutes: kwartier\n", "whole numbers"),
        (HOURS + "claim_timeout_minutes: 2.5\n", "whole numbers"),
        (HOURS + "expected_wait_minutes: [10]\n", "whole numbers"),
        (HOURS + "expected_wait_minutes: yes\n", "whole numbers"),
        (HOURS + "claim_timeout_minutes: 0\n", "at least 1"),
        (HOURS + "expected_wait_minutes: -5\n", "at least 1"),
    ],
)
def test_config_errors(tmp_path, content, needle):
    with pytest.raises(HelpdeskConfigError) as info:
        load_office_hours(write(tmp_path, content))
    assert needle in str(info.value)


def test_a_missing_file(tmp_path):
    with pytest.raises(HelpdeskConfigError, match="cannot read"):
        load_office_hours(tmp_path / "nope.yml")


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "helpdesk.yml"
    path.write_bytes(b"hours:\n  monday: '09:00-17:00'\n# caf\xe9\n")
    with pytest.raises(HelpdeskConfigError, match="cannot read"):
        load_office_hours(path)


def test_whole_minutes_as_text_or_float_are_fine(tmp_path):
    hours = load_office_hours(write(tmp_path, HOURS + "claim_timeout_minutes: '20'\n"
                                    "expected_wait_minutes: 5.0\n"))
    assert hours.claim_timeout == timedelta(minutes=20)
    assert hours.expected_wait_minutes == 5


# --- start-up --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [None, "hours: [\n", "hours: {monday: '9-17'}\n", "timezone: Nowhere\n" + HOURS],
    ids=["missing", "invalid yaml", "bad span", "bad timezone"],
)
def test_create_app_refuses_a_bad_helpdesk_file(tmp_path, migrated, fake_rasa, content):
    path = tmp_path / "helpdesk.yml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(HelpdeskConfigError):
        create_app(make_settings(migrated, fake_rasa.url, helpdesk_file=path))


def test_create_app_uses_the_configured_helpdesk_file(tmp_path, migrated, fake_rasa):
    path = write(tmp_path, HOURS + "expected_wait_minutes: 42\n")
    app = create_app(make_settings(migrated, fake_rasa.url, helpdesk_file=path))
    assert app.state.office_hours.expected_wait_minutes == 42
    assert app.state.office_hours.hours == {0: (time(9), time(17))}
