"""The lexicons behind the place and sector entities: Dutch places (bot/data/places.txt) and
sectors with the words people use for them (bot/data/sectors.yml). Pure Python, no spaCy."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
LEVELS = ("normal", "ambiguous", "strict")
KINDS = ("business", "agent", "field", "own", "activity")
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


def unaccented(text: str) -> str:
    """'Damwâld' -> 'Damwald', 'Goënga' -> 'Goenga' (how most people type them)."""
    text = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


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
                found.setdefault(key(unaccented(spelling)), place)
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
def _sectors_data() -> dict:
    return yaml.safe_load((DATA / "sectors.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def sector_forms() -> dict[str, SectorForm]:
    """Every word or phrase (lower-case) -> SectorForm. The first listing of a form wins."""
    data = _sectors_data()
    found: dict[str, SectorForm] = {}
    for sector, kinds in data.items():
        for kind, forms in kinds.items():
            if kind not in KINDS:
                raise ValueError(f"sectors.yml: {sector} has unknown kind {kind}")
            if kind == "activity":
                continue  # see sector_activities()
            for entry in forms:
                singular, _, plural = str(entry).partition("/")
                for variant in _variants(key(singular), kind):
                    found.setdefault(variant, SectorForm(sector, kind, False))
                if plural:
                    for variant in _variants(key(plural), "plural"):
                        found.setdefault(variant, SectorForm(sector, kind, True))
    return found


# --------------------------------------------------------------------------- activities
@dataclass(frozen=True)
class Activity:
    """'wij verkopen fietsen': a verb (with its particle, "leggen ... aan") and the objects that
    make it a sector's work. objects == ("*",): the verb alone says it ("ik fotografeer")."""
    sector: str
    verb: str  # the infinitive
    particle: str  # "" or the separable part: "aan" in "we leggen tuinen aan"
    objects: tuple[str, ...]
    prefer: bool  # wins over other activities in the same clause ("kleding online verkopen")
    order: int


# Infinitives whose first person is no regular derivation.
IRREGULAR_STEMS = {"doen": "doe", "gaan": "ga", "staan": "sta", "slaan": "sla", "zien": "zie",
                   "hebben": "heb", "zijn": "ben", "komen": "kom", "stucen": "stuc",
                   "stylen": "style", "tatoeëren": "tatoeëer", "tatoeeren": "tatoeeer",
                   "piercen": "pierce", "apk'en": "apk", "coachen": "coach", "hosten": "host",
                   "printen": "print", "trainen": "train", "mailen": "mail", "checken": "check"}
# -eren verbs with an unstressed e ("ik lever", not "ik leveer"); the others are loans: repareer.
NATIVE_EREN = {"leveren", "timmeren", "schilderen", "veranderen", "verbeteren", "opleveren",
               "afleveren", "verzekeren", "herinneren", "bewateren", "uitleveren"}


def verb_stem(infinitive: str) -> str:
    """The first person singular: 'verkopen' -> 'verkoop', 'knippen' -> 'knip', 'geven' -> 'geef',
    'repareren' -> 'repareer', 'leveren' -> 'lever', 'ontwikkelen' -> 'ontwikkel'."""
    if infinitive in IRREGULAR_STEMS:
        return IRREGULAR_STEMS[infinitive]
    if infinitive.endswith("ueren"):
        return infinitive[:-3] + "er"  # distribueren -> distribueer
    stem = infinitive[:-2] if infinitive.endswith("en") else infinitive[:-1]
    doubled = len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou"
    if doubled:
        return stem[:-1]  # knipp -> knip: a closed syllable, the vowel stays short
    stem = stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1])
    m = re.search(r"(?:^|[^aeiouy])([aeou])([^aeiouyjw])$", stem)
    if not m:
        return stem
    schwa = m.group(1) == "e" and m.group(2) in "lrmn" and re.search(r"[aeiouy]", stem[:m.start(1)])
    if schwa and (not infinitive.endswith("eren") or infinitive in NATIVE_EREN
                  or infinitive.endswith("ieren")):
        return stem  # ontwikkel, lever, timmer: an unstressed e is not lengthened
    return stem[:m.start(1)] + m.group(1) * 2 + m.group(2)


# What people say besides the written first person: "ik hou koeien", "ik rij taxi".
SPOKEN_FORMS = {"houden": "hou", "rijden": "rij"}


def verb_forms(infinitive: str) -> list[tuple[str, str]]:
    """[(form, person)]: 'verkoop' 1 (ik), 'verkoopt' 3 (het bedrijf, die), 'verkopen' plural."""
    stem = verb_stem(infinitive)
    third = stem if stem.endswith("t") else stem + "t"
    forms = [(stem, "1"), (third, "3"), (infinitive, "plural")]
    if infinitive in SPOKEN_FORMS:
        forms.append((SPOKEN_FORMS[infinitive], "1"))
    return forms


@lru_cache(maxsize=1)
def sector_activities() -> tuple[Activity, ...]:
    """The activity rules of sectors.yml, in file order."""
    data = _sectors_data()
    out = []
    for sector, kinds in data.items():
        for rule in kinds.get("activity") or []:
            objects = tuple(key(str(o)) for o in rule["what"])
            for verb in rule["do"]:
                verb, _, particle = key(str(verb)).partition(" ... ")
                out.append(Activity(sector, verb, particle, objects, bool(rule.get("prefer")),
                                    len(out)))
    return tuple(out)


@lru_cache(maxsize=1)
def activity_verbs() -> dict[str, list[tuple[Activity, str]]]:
    """Every verb form (lower-case) -> [(activity, person)]."""
    found: dict[str, list[tuple[Activity, str]]] = {}
    for activity in sector_activities():
        for form, person in verb_forms(activity.verb):
            found.setdefault(form, []).append((activity, person))
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
