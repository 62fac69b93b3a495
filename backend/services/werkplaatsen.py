"""The werkplaatsen, their regions and their menukaart (config/werkplaatsen.yml).

The file is read and checked once, at start-up (the checks: backend/services/werkplaatsen_file.py).
This module holds what it describes. Which werkplaats gets a ticket: backend/services/routing.py.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from backend.services.menukaart import ALTERNATIVES, OFFER_LABELS, THEMES

DEFAULT_LOKET = "Landelijk loket"


@dataclass(frozen=True)
class Offer:
    key: str  # one of menukaart.OFFER_KEYS
    themes: tuple[str, ...] | None = None  # None: every theme of the werkplaats
    min_employees: int | None = None
    max_employees: int | None = None
    urgency: tuple[str, ...] | None = None  # None: any urgency

    def as_dict(self) -> dict:
        return {"offer": self.key, "label": OFFER_LABELS[self.key],
                "themes": list(self.themes) if self.themes is not None else None,
                "employees": {"min": self.min_employees, "max": self.max_employees},
                "urgency": list(self.urgency) if self.urgency is not None else None}


def _on(year: int, month: int, day: int) -> date:
    """That day in that year; 29 February becomes the 28th in a year without it."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A time without students: one-off dates, or (yearly) month-days that return every year.
    A yearly period whose end comes before its start runs over New Year (12-21 to 01-03)."""

    label: str
    start: date | None = None
    end: date | None = None
    yearly: tuple[tuple[int, int], tuple[int, int]] | None = None

    def span_containing(self, day: date) -> tuple[date, date] | None:
        """The (first, last) day of this period around `day`, or None when `day` is outside."""
        if self.yearly is None:
            return (self.start, self.end) if self.start <= day <= self.end else None
        first, last = self.yearly
        for year in (day.year - 1, day.year):
            start = _on(year, *first)
            end = _on(year + (1 if last < first else 0), *last)
            if start <= day <= end:
                return start, end
        return None

    def as_dict(self) -> dict:
        if self.yearly is not None:
            (m1, d1), (m2, d2) = self.yearly
            return {"label": self.label, "from": f"{m1:02d}-{d1:02d}", "to": f"{m2:02d}-{d2:02d}",
                    "yearly": True}
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat(),
                "yearly": False}


@dataclass(frozen=True)
class Werkplaats:
    name: str
    contact: str
    ranges: tuple[tuple[int, int], ...]  # postcode regions (first two digits), provinces included
    themes: tuple[str, ...] = THEMES
    offers: tuple[Offer, ...] = ()
    neighbours: tuple[str, ...] = ()  # tried in order when this one does not take the theme
    no_students: tuple[Period, ...] = ()
    provinces: tuple[str, ...] = ()

    def serves(self, prefix: int) -> bool:
        return any(lo <= prefix <= hi for lo, hi in self.ranges)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "contact": self.contact,
            "postcode_ranges": [f"{lo:02d}-{hi:02d}" for lo, hi in self.ranges],
            "provinces": list(self.provinces),
            "neighbours": list(self.neighbours),
            "themes": list(self.themes),
            "offers": [offer.as_dict() for offer in self.offers],
            "no_students": [period.as_dict() for period in self.no_students],
        }


@dataclass(frozen=True)
class Directory:
    default: str  # the landelijk loket: picks up what no werkplaats takes
    werkplaatsen: tuple[Werkplaats, ...]
    loket: Werkplaats | None = None  # the loket's own menukaart, when the file describes it

    @property
    def landelijk(self) -> Werkplaats:
        if self.loket is not None:
            return self.loket
        return Werkplaats(self.default, "", (), offers=tuple(Offer(k) for k in ALTERNATIVES))

    def werkplaats_for_postcode(self, postcode: str | None) -> Werkplaats | None:
        match = re.match(r"\s*(\d{2})", postcode or "")
        if match:
            prefix = int(match.group(1))
            for wp in self.werkplaatsen:
                if wp.serves(prefix):
                    return wp
        return None

    def for_postcode(self, postcode: str | None) -> str:
        """The name of the werkplaats of the postcode's region (the loket when there is none)."""
        wp = self.werkplaats_for_postcode(postcode)
        return wp.name if wp is not None else self.default

    def by_name(self, name: str) -> Werkplaats | None:
        return next((wp for wp in (*self.werkplaatsen, self.landelijk) if wp.name == name), None)

    def names(self) -> list[str]:
        return [wp.name for wp in self.werkplaatsen] + [self.default]


def load_directory(path: Path) -> Directory:
    """Read and check config/werkplaatsen.yml; a bad file raises WerkplaatsConfigError."""
    from backend.services.werkplaatsen_file import load  # the checks live there

    return load(path)


class WerkplaatsConfigError(ValueError):
    """The werkplaatsen file is missing or malformed: the message names file, werkplaats, field."""
