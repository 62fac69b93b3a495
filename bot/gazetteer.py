"""The lexicons behind the place and sector entities: Dutch places (bot/data/places.txt) and
sectors with the words people use for them (bot/data/sectors.yml). Pure Python, no spaCy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("normal", "ambiguous", "strict")
KINDS = ("business", "agent", "field", "own")
# Heads of compounds that people also write apart: "hoveniers bedrijf", "fysio-praktijk".
HEADS = ("bedrijf", "kantoor", "praktijk", "zaak", "winkel", "bureau", "salon", "studio",
         "centrum", "onderneming", "werkplaats")
FUZZY_MIN = 7  # only names this long are matched with one typo


@dataclass(frozen=True)
class Place:
    name: str  # canonical spelling
    level: str  # normal | ambiguous | strict


@dataclass(frozen=True)
class SectorForm:
    sector: str
    kind: str  # business | agent | field | own
    plural: bool


def key(text: str) -> str:
    """Lookup key: lower-case, curly quotes straightened, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """Every spelling (canonical and aliases, lower-case) -> Place."""
    found: dict[str, Place] = {}
    level = "normal"
    for raw in (DATA / "places.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            level = line.strip("[]")
            if level not in LEVELS:
                raise ValueError(f"places.txt: unknown section {line}")
            continue
        name, _, aliases = line.partition("=")
        place = Place(name.strip(), level)
        for spelling in [name, *aliases.split(";")]:
            if spelling.strip():
                found.setdefault(key(spelling), place)
    return found


def _diminutives(form: str) -> list[str]:
    last = form[-1]
    out = [form + "je", form + "tje", form + "etje"]
    if last in "lnmr" and len(form) > 2 and form[-2] in "aeiou" and form[-3] not in "aeiou":
        out.append(form + last + "etje")  # salon -> salonnetje
    return out


def _variants(form: str, kind: str) -> list[str]:
    """The form, written apart or hyphenated at a compound head, and its diminutives."""
    out = [form]
    for head in HEADS:
        if form.endswith(head) and len(form) - len(head) >= 3 and " " not in form:
            stem = form[: -len(head)]
            out += [f"{stem} {head}", f"{stem}-{head}"]
    if kind in ("business", "own") and " " not in form and len(form) >= 5:
        out += _diminutives(form)
    return out


@lru_cache(maxsize=1)
def sector_forms() -> dict[str, SectorForm]:
    """Every word or phrase (lower-case) -> SectorForm. The first listing of a form wins."""
    data = yaml.safe_load((DATA / "sectors.yml").read_text(encoding="utf-8"))
    found: dict[str, SectorForm] = {}
    for sector, kinds in data.items():
        for kind, forms in kinds.items():
            if kind not in KINDS:
                raise ValueError(f"sectors.yml: {sector} has unknown kind {kind}")
            for entry in forms:
                singular, _, plural = str(entry).partition("/")
                for variant in _variants(key(singular), kind):
                    found.setdefault(variant, SectorForm(sector, kind, False))
                if plural:
                    for variant in _variants(key(plural), "plural"):
                        found.setdefault(variant, SectorForm(sector, kind, True))
    return found


def sectors() -> list[str]:
    return sorted({form.sector for form in sector_forms().values()})


def damerau_levenshtein_1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True  # substitution
        return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


@lru_cache(maxsize=4096)
def fuzzy_place(word: str) -> Place | None:
    """A one-typo match for a single-word place name ('amsterdm' -> Amsterdam), or None."""
    return _fuzzy(key(word), places())


@lru_cache(maxsize=4096)
def fuzzy_sector(word: str) -> SectorForm | None:
    """A one-typo match for a single-word sector form ('bakerij' -> bakkerij), or None."""
    return _fuzzy(key(word), sector_forms())


def _fuzzy(word: str, index: dict):
    if len(word) < FUZZY_MIN - 1 or not word.isalpha() or word in index:
        return None
    hits = {index[name] for name in index
            if " " not in name and len(name) >= FUZZY_MIN and damerau_levenshtein_1(word, name)}
    return hits.pop() if len(hits) == 1 else None
