"""Entities in what an entrepreneur writes or says, normalised: e-mail, phone (E.164), postcode
("1234 AB"), place, number of employees, KvK-nummer and sector.

The EntityRuler in the Dutch spaCy pipeline (bot/spacy_nl.py, patterns in
bot/entity_patterns.py) proposes spans; `extract(doc)` normalises each one, trims or drops what
does not hold up, and applies the context rules (an ambiguous place needs "in/uit/te" or a
capital, "mijn boekhouder" is not the entrepreneur's sector). Some entities come from the words
around the spans: a team named by who is in it ("mijn vrouw en ik") and a sector from what the
business does ("wij verkopen fietsen", bot/data/sectors.yml). No rasa imports; spaCy is only
imported to build or load the pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot import entity_context as context
from bot import parsing
from bot.entity_patterns import NOT_POSTCODE_LETTERS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

LABELS = ("email", "phone", "postcode", "place", "employees", "kvk", "sector")
LETTERS = {name: (name if len(name) == 1 else letter) for name, letter in [
    ("bee", "b"), ("cee", "c"), ("dee", "d"), ("ee", "e"), ("ef", "f"), ("gee", "g"),
    ("ha", "h"), ("ie", "i"), ("jee", "j"), ("ka", "k"), ("el", "l"), ("em", "m"), ("en", "n"),
    ("oo", "o"), ("pee", "p"), ("kuu", "q"), ("ku", "q"), ("er", "r"), ("es", "s"), ("tee", "t"),
    ("uu", "u"), ("vee", "v"), ("wee", "w"), ("iks", "x"), ("ij", "y"), ("zet", "z"),
] + [(c, c) for c in "abcdefghijklmnopqrstuvwxyz"]}


@dataclass(frozen=True)
class Entity:
    label: str
    value: str | int
    start: int  # character offsets in the text
    end: int
    text: str
    rank: int = 0  # employees: how explicit the count is (lower wins)


# --------------------------------------------------------------------------- normalisers
def digits_of(tokens) -> str:
    """'nul zes twaalf 34' -> '061234'; other tokens are skipped, '+' and 'plus' kept."""
    out = ""
    for token in tokens:
        text = token.lower_.replace(".", "")
        if text.isdigit():
            out += text
        elif text in ("plus", "+"):
            out += "+"
        else:
            number = parsing.words_to_number(text)
            if number is not None:
                out += str(number)
    return out


def _trimmed(span: Span, parse) -> tuple[object, Span] | None:
    """parse(span); when that fails, retry with tokens cut from the end."""
    for end in range(span.end, span.start, -1):
        part = span.doc[span.start:end]
        value = parse(part)
        if value is not None:
            return value, part
    return None


def _phone(span: Span) -> str | None:
    if any(parsing.words_to_number(t.lower_) is not None for t in span):
        value = parsing.parse_phone(digits_of(span))
    else:
        value = parsing.parse_phone(span.text) if span.text[:1] in "+0(" else None
    return value if value and value[3] != "0" else None  # no Dutch number is +310...


def _kvk(span: Span) -> str | None:
    numbers = [t for t in span if any(c.isdigit() for c in t.text)
               or parsing.words_to_number(t.lower_) is not None]
    digits = digits_of(numbers) if numbers else ""
    if len(digits) != 8 and len(numbers) == 1:
        digits = "".join(c for c in numbers[0].text if c.isdigit())
    return digits if len(digits) == 8 and digits.isdigit() else None


def _postcode(span: Span) -> str | None:
    typed = parsing.POSTCODE_RE.search(span.text)
    if typed:
        letters = typed.group(2)
        keyword = span[0].lower_.rstrip(":") in ("postcode", "pc")
        if letters.lower() in NOT_POSTCODE_LETTERS and not letters.isupper() and not keyword \
                and " " in typed.group(0):
            return None  # "in 2018 is ...", unless written as a postcode or called one
        if letters.upper() in ("SA", "SD", "SS"):
            return None
        return f"{typed.group(1)} {letters.upper()}"
    digits, letters = "", ""
    for token in span:
        word = token.lower_
        if len(digits) < 4 and (word.isdigit() or parsing.words_to_number(word) is not None):
            digits += digits_of([token])
        elif len(digits) == 4 and (word in LETTERS or (len(word) == 2 and word.isalpha())):
            letters += LETTERS.get(word, word)
    if len(digits) == 4 and digits[0] != "0" and len(letters) == 2:
        if letters not in ("sa", "sd", "ss"):
            return f"{digits} {letters.upper()}"
    return None


def _email(span: Span) -> str | None:
    text = re.sub(r"\s*[(\[]at[)\]]\s*", "@", span.text, flags=re.I)
    if "@" in text and len(span) <= 5:
        return parsing.parse_email(text.replace(" ", ""))
    return parsing.parse_email(parsing.spoken_email(text))


def _employees(span: Span) -> tuple[int, int] | None:
    """(count, rank): rank 0 'met z'n vijven', 1 'ik en 3' or a list ('3 monteurs en 2 op
    kantoor'), 2 '12 man', 3 'zzp' or 'mijn vrouw en ik'."""
    text = parsing.normalise(span.text)
    last = span[-1].lower_
    collective = parsing.collective_number(last)
    if collective is not None and (len(span) == 1 or span[0].lower_ in context.COLLECTIVE_LEAD):
        return collective, 0
    if context.is_solo(span):
        return (1, 3) if context.solo_holds(span) else None
    if not context.count_holds(span) or not context.staff_holds(span):
        return None
    if last.isdigit() or parsing.words_to_number(last) is not None:
        if not context.bare_count_holds(span):
            return None
    extra, end = context.more_staff(span)
    count = parsing.parse_employees(text + context.self_tail(span, end))
    if count is None or not 0 < count + extra <= 100_000:
        return None
    if extra:
        return count + extra, 1
    return count, 1 if span[0].lower_ in ("ik", "ikzelf", "mezelf", "mijzelf", "mij") else 2


MAX_SPAN_TOKENS = 16  # longer candidates come from garbage, not from a phone number


def _normalised(span: Span) -> Entity | None:
    label = span.label_
    if len(span) > MAX_SPAN_TOKENS:
        return None
    value, part, rank = None, span, 0
    if label == "phone":
        value, part = _trimmed(span, _phone) or (None, span)
    elif label == "kvk":
        value, part = _trimmed(span, _kvk) or (None, span)
    elif label == "postcode":
        value = _postcode(span)
    elif label == "email":
        value = _email(span)
    elif label == "employees":
        value, rank = _employees(span) or (None, 0)
    elif label == "place":
        value = context.place_value(span)
    elif label == "sector":
        value = context.sector_value(span)
    if value is None:
        return None
    return Entity(label, value, part.start_char, part.end_char, part.text, rank)


# --------------------------------------------------------------------------- extraction
def extract(doc: Doc) -> list[Entity]:
    """The entities in a processed doc (one with the intake EntityRuler), normalised."""
    found = [e for e in (_normalised(span) for span in doc.ents) if e is not None]
    covered = {i for span in doc.ents for i in range(span.start, span.end)}
    found += context.fuzzy_entities(doc, covered, Entity)
    found += context.team_by_name(doc, Entity)
    found += context.sectors_inside_counts(doc, Entity)  # "we zijn 5 schilders"
    if not any(e.label == "sector" for e in found):
        found += context.activity_sector(doc, Entity)  # "wij verkopen fietsen"
    return resolve(found)


def resolve(entities: list[Entity]) -> list[Entity]:
    """One employee count per message (the most explicit), no duplicate values."""
    counts = [e for e in entities if e.label == "employees"]
    best = min(counts, key=lambda e: (e.rank, e.start)) if counts else None
    out, seen = [], set()
    for entity in sorted(entities, key=lambda e: e.start):
        if entity.label == "employees" and entity is not best:
            continue
        if (entity.label, entity.value) not in seen:
            seen.add((entity.label, entity.value))
            out.append(entity)
    return out


def values(entities: list[Entity]) -> dict[str, list]:
    """{label: [values in order]} for the labels that were found."""
    out: dict[str, list] = {}
    for entity in entities:
        out.setdefault(entity.label, []).append(entity.value)
    return out


_NLP: dict[str, Language] = {}


def pipeline(path: Path | None = None) -> Language:
    """The Dutch pipeline from var/spacy_nl (built there first when missing), cached."""
    from bot import spacy_nl

    path = path or spacy_nl.PIPELINE_DIR
    if str(path) not in _NLP:
        import spacy

        if not (path / "meta.json").exists() or (
            path == spacy_nl.PIPELINE_DIR and not spacy_nl.is_current(path)
        ):
            spacy_nl.build(path)
        _NLP[str(path)] = spacy.load(path)
    return _NLP[str(path)]


def extract_text(text: str, nlp: Language | None = None) -> list[Entity]:
    return extract((nlp or pipeline())(text or ""))


def as_rasa(found: list[Entity]) -> list[dict]:
    """Entities the way Rasa puts them in a parse result (the value normalised)."""
    return [{"entity": e.label, "value": e.value, "start": e.start, "end": e.end,
             "text": e.text, "confidence": None} for e in found]
