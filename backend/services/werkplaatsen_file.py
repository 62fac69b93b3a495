"""Read and check config/werkplaatsen.yml. Any problem stops start-up with one message that names
the file, the werkplaats and the field (WerkplaatsConfigError)."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

import yaml

from backend.services.menukaart import ALTERNATIVES, OFFER_KEYS, THEMES, URGENCIES
from backend.services.provinces import PROVINCES, province_named
from backend.services.werkplaatsen import (
    DEFAULT_LOKET,
    Directory,
    Offer,
    Period,
    Werkplaats,
    WerkplaatsConfigError,
)

TOP_KEYS = ("default", "no_students", "werkplaatsen")
WERKPLAATS_KEYS = ("name", "contact", "postcodes", "provinces", "neighbours", "themes", "offers",
                   "no_students")
LOKET_KEYS = ("name", "contact", "themes", "offers", "no_students")
OFFER_OPTIONS = ("themes", "employees", "urgency")
PERIOD_KEYS = ("from", "to", "label")
MAX_NAME = 120  # Ticket.werkplaats


class _Loader(yaml.SafeLoader):
    """Dates stay text (so a wrong date is reported with its werkplaats and field) and a key
    that appears twice in one block is an error instead of silently replacing the first."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # the base class reports keys that cannot be keys
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _At:
    """Where in the file we are, for the error message."""

    def __init__(self, file: str, what: str) -> None:
        self.file, self.what = file, what

    def error(self, field: str, problem: str) -> WerkplaatsConfigError:
        return WerkplaatsConfigError(f"{self.file}: {self.what}, field '{field}': {problem}")


def _read(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError as exc:
        raise WerkplaatsConfigError(f"werkplaatsen file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise WerkplaatsConfigError(f"{path} is not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:  # a directory, unreadable, not UTF-8
        raise WerkplaatsConfigError(f"cannot read werkplaatsen file {path}: {exc}") from exc


def _known_keys(raw: dict, known: tuple[str, ...], at: _At, prefix: str = "") -> None:
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise at.error(f"{prefix}{key}", f"unknown key; {hint}known keys: {', '.join(known)}")


def _name(value: object, at: _At, field: str = "name") -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error(field, "needs a name (text)")
    if len(value.strip()) > MAX_NAME:
        raise at.error(field, f"is longer than {MAX_NAME} characters")
    return value.strip()


def _list(value: object, at: _At, field: str, example: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise at.error(field, f"must be a list like {example}")
    return value


def _range(text: object, at: _At) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2})-(\d{2})", str(text).strip())
    if not match or not 10 <= int(match.group(1)) <= int(match.group(2)):
        raise at.error("postcodes", f"postcode range {text!r} must look like '10-21' (the first "
                       "two digits of the postcode, from-to; Dutch postcodes start at 10)")
    return int(match.group(1)), int(match.group(2))


def _themes(value: object, at: _At, field: str) -> tuple[str, ...]:
    if value is None or value == []:
        raise at.error(field, f"needs at least one theme: {', '.join(THEMES)}")
    for theme in _list(value, at, field, "[data, automatisering]"):
        if theme not in THEMES:
            raise at.error(field, f"unknown theme {theme!r}; use: {', '.join(THEMES)}")
    return tuple(dict.fromkeys(value))


def _size(value: object, at: _At, field: str) -> tuple[int | None, int | None]:
    if not isinstance(value, dict) or not value:
        raise at.error(field, "must look like {min: 2, max: 50} (number of employees)")
    _known_keys(value, ("min", "max"), at, f"{field}.")
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise at.error(f"{field}.{key}", f"{number!r} is not a number of employees (0 or more)")
    low, high = value.get("min"), value.get("max")
    if low is not None and high is not None and low > high:
        raise at.error(field, f"min ({low}) is more than max ({high})")
    return low, high


def _offer(key: str, options: object, themes: tuple[str, ...], at: _At) -> Offer:
    field = f"offers.{key}"
    if options is None:
        return Offer(key)
    if not isinstance(options, dict):
        raise at.error(field, "must be empty or a block with themes, employees and/or urgency")
    _known_keys(options, OFFER_OPTIONS, at, f"{field}.")
    fits: tuple[str, ...] | None = None
    if "themes" in options:
        fits = _themes(options["themes"], at, f"{field}.themes")
        outside = [t for t in fits if t not in themes]
        if outside:
            raise at.error(f"{field}.themes", f"{outside[0]!r} is not one of this werkplaats's "
                           f"themes ({', '.join(themes)})")
    low, high = _size(options["employees"], at, f"{field}.employees") \
        if "employees" in options else (None, None)
    urgency: tuple[str, ...] | None = None
    if "urgency" in options:
        value = options["urgency"]
        if not isinstance(value, list) or not value:
            raise at.error(f"{field}.urgency", "must be a list like ['binnen 3 maanden', "
                           "'geen haast']")
        for item in value:
            if item not in URGENCIES:
                raise at.error(f"{field}.urgency", f"unknown urgency {item!r}; use: "
                               f"{', '.join(URGENCIES)}")
        urgency = tuple(dict.fromkeys(value))
    return Offer(key, fits, low, high, urgency)


def _offers(value: object, themes: tuple[str, ...], at: _At, *, required: bool) -> tuple:
    if isinstance(value, dict):
        entries = list(value.items())
    elif isinstance(value, list):  # [kort_project, {hackathon: {themes: [data]}}]
        entries = [next(iter(item.items())) if isinstance(item, dict) and len(item) == 1
                   else (item, None) for item in value]
    elif value is None:
        entries = []
    else:
        raise at.error("offers", "must be a list or a block of offers")
    if not entries:
        if not required:
            return tuple(Offer(key) for key in ALTERNATIVES)
        raise at.error("offers", f"needs at least one offer: {', '.join(OFFER_KEYS)}")
    offers: list[Offer] = []
    for key, options in entries:
        if not isinstance(key, str) or key not in OFFER_KEYS:
            raise at.error("offers", f"unknown offer {key!r}; use: {', '.join(OFFER_KEYS)}")
        if any(o.key == key for o in offers):
            raise at.error("offers", f"{key!r} is listed twice")
        offers.append(_offer(key, options, themes, at))
    return tuple(offers)


def _day(value: object, at: _At, field: str) -> date | tuple[int, int]:
    if value is None:
        raise at.error(field, "is missing: a date like 2027-07-01, or '07-01' for every year")
    text = value.strip() if isinstance(value, str) else ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{2}-\d{2}", text):
            month, day = int(text[:2]), int(text[3:])
            date(2000, month, day)  # a real month-day (2000 had a 29 February)
            return month, day
    except ValueError:
        raise at.error(field, f"{value!r} is not a date in the calendar") from None
    raise at.error(field, f"{value!r} must be a date like 2027-07-01, or a month-day like "
                   "'07-01' for every year")


def _periods(value: object, at: _At, field: str = "no_students") -> tuple[Period, ...]:
    periods = []
    example = "[{from: '07-01', to: '08-31', label: zomervakantie}]"
    for n, raw in enumerate(_list(value, at, field, example), 1):
        where = f"{field} #{n}"
        if not isinstance(raw, dict):
            raise at.error(where, f"must look like {example[1:-1]}")
        _known_keys(raw, PERIOD_KEYS, at, f"{where}.")
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            raise at.error(f"{where}.label", "needs a label, e.g. zomervakantie or tentamenweken")
        first, last = _day(raw.get("from"), at, f"{where}.from"), _day(raw.get("to"), at,
                                                                       f"{where}.to")
        if isinstance(first, date) != isinstance(last, date):
            raise at.error(where, "'from' and 'to' must both be dates (2027-07-01) or both "
                           "month-days ('07-01', every year)")
        if isinstance(first, date):
            if first > last:
                raise at.error(where, f"'from' ({first}) is after 'to' ({last})")
            periods.append(Period(label.strip(), first, last))
        else:
            periods.append(Period(label.strip(), yearly=(first, last)))
    return tuple(periods)


def _regions(raw: dict, at: _At) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """(ranges, where each range came from, provinces)."""
    ranges, sources, provinces = [], [], []
    for text in _list(raw.get("postcodes"), at, "postcodes", "['10-21']"):
        ranges.append(_range(text, at))
        sources.append("postcodes")
    for text in _list(raw.get("provinces"), at, "provinces", "[Utrecht]"):
        province = province_named(text) if isinstance(text, str) else None
        if province is None:
            raise at.error("provinces", f"unknown province {text!r}; use: {', '.join(PROVINCES)}")
        provinces.append(province)
        ranges.extend(PROVINCES[province])
        sources.extend([f"provinces ({province})"] * len(PROVINCES[province]))
    if not ranges:
        raise at.error("postcodes", "needs 'postcodes' or 'provinces': the region it serves")
    return ranges, sources, provinces


def _werkplaats(raw: object, i: int, file: str, shared: tuple[Period, ...]):
    at = _At(file, f"werkplaats #{i}")
    if not isinstance(raw, dict):
        raise WerkplaatsConfigError(f"{file}: werkplaats #{i} must be a block with name, "
                                    "postcodes or provinces, themes and offers")
    if isinstance(raw.get("name"), str) and raw["name"].strip():
        at = _At(file, f"werkplaats #{i} '{raw['name'].strip()[:MAX_NAME]}'")
    _known_keys(raw, WERKPLAATS_KEYS, at)
    name = _name(raw.get("name"), at)
    contact = raw.get("contact") or ""
    if not isinstance(contact, str):
        raise at.error("contact", "must be text (an e-mail address or phone number)")
    ranges, sources, provinces = _regions(raw, at)
    themes = _themes(raw.get("themes"), at, "themes")
    neighbours = _list(raw.get("neighbours"), at, "neighbours", "['Digitale Werkplaats Twente']")
    if not all(isinstance(n, str) for n in neighbours):
        raise at.error("neighbours", "must be a list of werkplaats names")
    wp = Werkplaats(
        name=name, contact=contact.strip(), ranges=tuple(ranges), themes=themes,
        offers=_offers(raw.get("offers"), themes, at, required=True),
        neighbours=tuple(dict.fromkeys(n.strip() for n in neighbours)),
        no_students=shared + _periods(raw.get("no_students"), at), provinces=tuple(provinces),
    )
    return wp, at, sources


def _loket(value: object, file: str, shared: tuple[Period, ...]) -> Werkplaats:
    at = _At(file, "default (the landelijk loket)")
    if value is None or isinstance(value, str):
        name = _name(value, at, "default") if value is not None else DEFAULT_LOKET
        return Werkplaats(name, "", (), THEMES, _offers(None, THEMES, at, required=False),
                          no_students=shared)
    if not isinstance(value, dict):
        raise at.error("default", "must be the loket's name, or a block with name, contact, "
                       "themes, offers and no_students")
    _known_keys(value, LOKET_KEYS, at)
    themes = _themes(value["themes"], at, "themes") if "themes" in value else THEMES
    contact = value.get("contact") or ""
    if not isinstance(contact, str):
        raise at.error("contact", "must be text (an e-mail address or phone number)")
    return Werkplaats(_name(value.get("name"), at), contact.strip(), (), themes,
                      _offers(value.get("offers"), themes, at, required=False),
                      no_students=shared + _periods(value.get("no_students"), at))


def _check_together(items: list, loket: Werkplaats) -> None:
    """Names are unique, regions do not overlap, neighbours exist."""
    names = {loket.name: "the landelijk loket (default)"}
    owners: dict[int, tuple[str, str]] = {}
    for wp, at, sources in items:
        if wp.name in names:
            raise at.error("name", f"'{wp.name}' is already used by {names[wp.name]}")
        names[wp.name] = at.what
        for (lo, hi), source in zip(wp.ranges, sources, strict=True):
            for prefix in range(lo, hi + 1):
                other = owners.setdefault(prefix, (wp.name, source))
                if other[0] != wp.name:
                    raise at.error(source.split()[0], f"postcode region {prefix} ({source}) is "
                                   f"also served by '{other[0]}' ({other[1]}); a region belongs "
                                   "to one werkplaats")
    werkplaatsen = [wp.name for wp, _at, _sources in items]
    for wp, at, _sources in items:
        for neighbour in wp.neighbours:
            if neighbour == wp.name:
                raise at.error("neighbours", "a werkplaats cannot be its own neighbour")
            if neighbour not in werkplaatsen:
                close = difflib.get_close_matches(neighbour, werkplaatsen, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise at.error("neighbours", f"'{neighbour}' is not a werkplaats in this "
                               f"file{hint}")


def load(path: Path) -> Directory:
    data = _read(path)
    file = path.name
    if not isinstance(data, dict) or not isinstance(data.get("werkplaatsen"), list):
        raise WerkplaatsConfigError(f"{path}: needs a 'werkplaatsen' list")
    top = _At(file, "top level")
    _known_keys(data, TOP_KEYS, top)
    if not data["werkplaatsen"]:
        raise top.error("werkplaatsen", "needs at least one werkplaats")
    shared = _periods(data.get("no_students"), top)
    items = [_werkplaats(raw, i, file, shared) for i, raw in enumerate(data["werkplaatsen"], 1)]
    loket = _loket(data.get("default"), file, shared)
    _check_together(items, loket)
    return Directory(loket.name, tuple(wp for wp, _at, _sources in items), loket)
