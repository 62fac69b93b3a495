"""Which werkplaats picks up a question, which offers of its menukaart fit, and whether students
are available. Pure: the configuration and today's date are passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backend.services.menukaart import (
    ALTERNATIVES,
    UNKNOWN_URGENCY,
    URGENCIES,
    URGENT,
)
from backend.services.werkplaatsen import Directory, Werkplaats
from bot.parsing import parse_urgency

REASONS = ("postcode", "buurwerkplaats", "landelijk")
# The order offers are proposed in, by urgency: quick help first when it is urgent, a longer
# project first when there is time.
_QUICK = ("helpdeskuur", "kort_project", "hackathon", "webinar_masterclass", "werkstudent",
          "project_10_20_weken", "doorverwijzing")
_SOON = ("kort_project", "project_10_20_weken", "hackathon", "werkstudent", "webinar_masterclass",
         "helpdeskuur", "doorverwijzing")
_CALM = ("project_10_20_weken", "kort_project", "hackathon", "werkstudent", "webinar_masterclass",
         "helpdeskuur", "doorverwijzing")
ORDER = {URGENT: _QUICK, "binnen 3 maanden": _SOON, "geen haast": _CALM, UNKNOWN_URGENCY: _SOON}


@dataclass(frozen=True)
class Availability:
    students_available: bool
    available_from: date | None = None  # the first day students are back (None: available now)
    labels: tuple[str, ...] = ()  # why not: 'zomervakantie', ...


@dataclass(frozen=True)
class Routing:
    werkplaats: str
    reason: str  # one of REASONS
    region_werkplaats: str | None  # the werkplaats of the postcode's region, if any
    urgency: str  # one of URGENCIES
    offers: tuple[str, ...]  # offer keys that fit, best first
    availability: Availability
    alternatives: tuple[str, ...] = ()  # offers without students, when students are away
    alternatives_by: str | None = None  # who offers those alternatives

    def as_dict(self) -> dict:
        when = self.availability
        return {
            "werkplaats": self.werkplaats,
            "reason": self.reason,
            "region_werkplaats": self.region_werkplaats,
            "urgency": self.urgency,
            "offers": list(self.offers),
            "students_available": when.students_available,
            "available_from": when.available_from.isoformat() if when.available_from else None,
            "no_students": list(when.labels),
            "alternatives": list(self.alternatives),
            "alternatives_by": self.alternatives_by,
        }


def urgency_of(text: str | None) -> str:
    """The need_urgency slot's text as one of URGENCIES ('zo snel mogelijk', ...)."""
    text = (text or "").strip()
    if text in URGENCIES:
        return text
    parsed = parse_urgency(text) if text else UNKNOWN_URGENCY
    return parsed if parsed in URGENCIES else UNKNOWN_URGENCY


def availability(werkplaats: Werkplaats, today: date) -> Availability:
    """Students are away when today lies in one of the werkplaats's no-student periods; they are
    back the day after it (after the last one, when periods follow each other)."""
    day, labels = today, []
    for _ in range(len(werkplaats.no_students) + 1):
        spans = [(period, period.span_containing(day)) for period in werkplaats.no_students]
        inside = [(period, span) for period, span in spans if span is not None]
        if not inside:
            break
        for period, _span in inside:
            if period.label not in labels:
                labels.append(period.label)
        day = max(span[1] for _p, span in inside) + timedelta(days=1)
    else:  # the periods cover the whole year: no date to promise
        return Availability(False, None, tuple(labels))
    if day == today:
        return Availability(True)
    return Availability(False, day, tuple(labels))


def _fits(offer, werkplaats: Werkplaats, theme: str, employees: int | None, urgency: str) -> bool:
    themes = offer.themes if offer.themes is not None else werkplaats.themes
    if theme not in themes:
        return False
    if employees is not None:
        if offer.min_employees is not None and employees < offer.min_employees:
            return False
        if offer.max_employees is not None and employees > offer.max_employees:
            return False
    return offer.urgency is None or urgency == UNKNOWN_URGENCY or urgency in offer.urgency


def propose(werkplaats: Werkplaats, *, theme: str, employees: int | None, urgency: str,
            students_available: bool = True) -> tuple[str, ...]:
    """The offers of the werkplaats that fit theme, size and urgency, best first. Urgent while
    students are away: what goes on without students comes first."""
    order = ORDER.get(urgency, _SOON)
    keys = sorted((o.key for o in werkplaats.offers
                   if _fits(o, werkplaats, theme, employees, urgency)), key=order.index)
    if not students_available and urgency == URGENT:
        keys.sort(key=lambda key: key not in ALTERNATIVES)  # stable: keeps the order otherwise
    return tuple(keys)


def _choose(directory: Directory, home: Werkplaats | None, theme: str) -> tuple[Werkplaats, str]:
    if home is None:
        return directory.landelijk, "landelijk"
    if theme in home.themes:
        return home, "postcode"
    for name in home.neighbours:
        neighbour = directory.by_name(name)
        if neighbour is not None and theme in neighbour.themes:
            return neighbour, "buurwerkplaats"
    return directory.landelijk, "landelijk"


def route(directory: Directory, *, postcode: str | None, theme: str, employees: int | None = None,
          urgency: str | None = None, today: date) -> Routing:
    """Assign by postcode; when that werkplaats does not take the theme, the first neighbour that
    does; otherwise (or without a postcode in any region) the landelijk loket."""
    home = directory.werkplaats_for_postcode(postcode)
    chosen, reason = _choose(directory, home, theme)
    level = urgency_of(urgency)
    when = availability(chosen, today)
    offers = propose(chosen, theme=theme, employees=employees, urgency=level,
                     students_available=when.students_available)
    alternatives: tuple[str, ...] = ()
    by = None
    if not when.students_available:
        alternatives, by = tuple(o for o in offers if o in ALTERNATIVES), chosen.name
        loket = directory.landelijk
        if not alternatives and loket.name != chosen.name:  # never a silent wait: ask the loket
            alternatives = tuple(o for o in propose(loket, theme=theme, employees=employees,
                                                    urgency=level, students_available=False)
                                 if o in ALTERNATIVES)
            by = loket.name
        by = by if alternatives else None
    return Routing(chosen.name, reason, home.name if home else None, level, offers, when,
                   alternatives, by)
