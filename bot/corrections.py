"""Recognise a correction of the intake summary: 'nee, het zijn er 12', 'mijn mail is ...'.
Pure Python. Returns slot -> new value for what it could recognise."""

from __future__ import annotations

import re

from bot import parsing

# Words the entrepreneur uses for each field; also the payloads of the 'what is wrong' buttons.
FIELDS = {
    "company_name": ("bedrijfsnaam", r"bedrijfsnaam|naam van (het|mijn|ons) bedrijf|bedrijf heet"),
    "sector": ("branche", r"branche|sector|bedrijfstak"),
    "employees": ("aantal medewerkers",
                  r"medewerkers|werknemers|mensen|man\b|fte|personeel|zijn er|met z'?n|"
                  r"(we|wij) zijn (\w+ )?met\b"),
    "postcode": ("postcode en plaats", r"postcode|\badres|plaats|woonplaats|gevestigd"),
    "kvk_number": ("kvk-nummer", r"kvk"),
    "contact_name": ("jouw naam", r"mijn naam|ik heet|jouw naam|naam klopt|contactpersoon"),
    "contact_email": ("e-mail", r"e-?mail|mail|mailadres"),
    "contact_phone": ("telefoon", r"telefoon|nummer|mobiel|06"),
    "need_description": ("je vraag", r"vraag|probleem|omschrijving"),
    "source": ("hoe je ons kent", r"gehoord|bron|via wie"),
    "maturity": ("cijfer digitaal", r"cijfer|schaal|digitaal"),
}


def field_for(text: str) -> str | None:
    """The field a 'wijzig X' button or a plain field name points to."""
    t = parsing.normalise(text)
    t = re.sub(r"^(wijzig|aanpassen|verander|de|het)\s+", "", t)
    for slot, (label, _pattern) in FIELDS.items():
        if t == label:
            return slot
    for slot, (_label, pattern) in FIELDS.items():
        if re.search(pattern, t):
            return slot
    return None


def _after_keyword(text: str, pattern: str) -> str:
    m = re.search(rf"(?:{pattern})\s*(?:is|moet zijn|wordt|=|:)?\s*(?P<value>.+)$", text,
                  flags=re.I)
    value = parsing.clean_name(m.group("value")) if m else ""
    # 'de branche klopt niet' names the field, it gives no new value
    if re.search(r"\b(klopt|fout|verkeerd|onjuist|niet goed|niet juist)\b", value, flags=re.I):
        return ""
    return value


def detect(text: str) -> dict:
    """Values found in a correction; an empty dict means: ask what should change."""
    found: dict = {}
    email = parsing.parse_email(text)
    if email:
        found["contact_email"] = email
    pc = parsing.parse_postcode(text)
    if pc:
        found["postcode"] = pc[0]
        # only a place we know ("Oeps, de postcode is 3441 BK" names no place)
        if pc[1] and parsing.is_known_place(pc[1]):
            found["place"] = pc[1]
    kvk = parsing.parse_kvk(text)
    if kvk and "kvk" in text.lower():
        found["kvk_number"] = kvk
    phone = parsing.parse_phone(text)
    if phone and "kvk_number" not in found:
        found["contact_phone"] = phone
    if found:
        return found
    t = parsing.normalise(text)
    if re.search(FIELDS["employees"][1], t):
        n = parsing.parse_employees(t)
        if n is not None:
            return {"employees": n}
    if re.search(r"cijfer|schaal", t):
        m = parsing.parse_maturity(t)
        if m is not None:
            return {"maturity": m}
    for slot in ("company_name", "contact_name", "sector"):
        value = _after_keyword(text, FIELDS[slot][1])
        if value and len(value) >= 2:
            return {slot: value}
    return {}
