"""What a caller said, as a value: an e-mail address or a postcode from Dutch speech
("anna apenstaartje bakkerij de korst punt n l", "3 5 1 1 a b"), yes or no, a choice by number,
keyed digits; and a value spelled back for the ear ("a, n, n, a, apenstaartje, ... punt n l").
Pure functions, no I/O."""

from __future__ import annotations

import re
import unicodedata

from bot import parsing

_EMAIL = re.compile(r"^[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
                    r"(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}$")
# spoken symbols, longest first (several words before one)
_SYMBOLS = [
    (r"liggend streepje|laag streepje|lage streep|onderstreepje|underscore", "_"),
    (r"apenstaartje|apestaartje|apenstaart|at-teken|at", "@"),
    (r"puntje|punt|dot", "."),
    (r"koppelteken|minteken|streepje|streep|min|minnetje|-", "-"),
    (r"plusteken|plus", "+"),
]
_EMAIL_LEAD = re.compile(
    r"^(?:(?:ja|nee|oke|oké|nou|sorry)[,]?\s+)?(?:(?:het|dat|mijn|ons|m'n)\s+)?"
    r"(?:(?:e-?mail|mail)(?:adres)?\s+)?(?:is\s+)?(?:het\s+)?", re.I)
_TLDS = ("nl", "com", "be", "eu", "org", "net", "info", "de", "frl", "amsterdam")
# addresses people say as a word: spoken whole, not spelled
SAID_AS_WORDS = ("gmail", "hotmail", "outlook", "live", "icloud", "ziggo", "kpnmail", "kpnplanet",
                 "planet", "xs4all", "yahoo", "hetnet", "home", "telfort", "com", "org", "net",
                 "info")
_SPELL = {"@": "apenstaartje", ".": "punt", "-": "streepje", "_": "laag streepje", "+": "plus"}

# Dutch letter names and the Dutch spelling alphabet, for postcode letters
LETTER_NAMES = {
    "aa": "a", "bee": "b", "be": "b", "cee": "c", "ce": "c", "see": "c", "dee": "d", "ee": "e",
    "ef": "f", "gee": "g", "ge": "g", "ha": "h", "haa": "h", "ie": "i", "jee": "j", "ka": "k",
    "kaa": "k", "el": "l", "em": "m", "oo": "o", "pee": "p", "pe": "p", "ku": "q", "kuu": "q",
    "er": "r", "es": "s", "tee": "t", "te": "t", "uu": "u", "vee": "v", "ve": "v", "wee": "w",
    "we": "w", "iks": "x", "ix": "x", "ypsilon": "y", "zet": "z", "zed": "z",
    "anton": "a", "bernard": "b", "cornelis": "c", "dirk": "d", "eduard": "e", "ferdinand": "f",
    "gerard": "g", "hendrik": "h", "izaak": "i", "johan": "j", "karel": "k", "lodewijk": "l",
    "maria": "m", "nico": "n", "otto": "o", "pieter": "p", "quotient": "q", "richard": "r",
    "simon": "s", "theodoor": "t", "victor": "v", "willem": "w", "xantippe": "x",
    "zacharias": "z",
}
_FILLERS = re.compile(r"\b(?:eh|ehm|uh|uhm|hm|hmm|euh)\b")
_SECOND_ONLY = {"en": "n"}  # 'en' is 'and' too: a letter only after another letter
_YES_KEYS, _NO_KEYS = {"1"}, {"2"}
_CHOICE_WORDS = {1: ("whatsapp", "whats app", "wats app", "app", "appen", "berichtje"),
                 2: ("terugbellen", "terug bellen", "bellen", "bel me", "bel mij", "terugbel")}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower().replace("’", "'")
    return re.sub(r"\s+", " ", text).strip(" .,!?;:")


# ---------- e-mail ----------

def email_from_speech(text: str) -> str | None:
    """'anna apenstaartje bakkerij de korst punt n l' -> 'anna@bakkerijdekorst.nl'; None when
    what was said is not an e-mail address."""
    t = _EMAIL_LEAD.sub("", _plain(text), count=1).replace("@", " @ ")
    for words, symbol in _SYMBOLS:
        t = re.sub(rf"(?<![\w]){words}(?![\w])", f" {symbol} ", t)
    tokens = [w for w in re.split(r"[\s,]+", t) if w]
    if tokens.count("@") != 1:
        return None
    at = tokens.index("@")
    domain = tokens[at + 1:]
    # 'gmail com' (no 'punt' heard): the last word is a top-level domain
    if "." not in domain and len(domain) > 1 and domain[-1] in _TLDS:
        domain.insert(len(domain) - 1, ".")
    value = "".join(tokens[:at]) + "@" + "".join(domain)
    value = value.strip(".")
    return value if _EMAIL.match(value) and ".." not in value else None


def spell_email(value: str) -> str:
    """'anna@bakkerij.nl' -> 'a, n, n, a, apenstaartje, b, a, k, k, e, r, i, j, punt n l'.
    Well-known providers and .com are said as a word; the top-level domain is spelled
    without pauses."""
    local, _, domain = value.partition("@")
    parts = _spelled(local) + ["apenstaartje"]
    *labels, top = domain.split(".")
    for i, label in enumerate(labels):
        if i:
            parts.append("punt")
        parts += [label] if label in SAID_AS_WORDS else _spelled(label)
    parts.append("punt " + (top if top in SAID_AS_WORDS else " ".join(top)))
    return ", ".join(parts)


def _spelled(text: str) -> list[str]:
    return [_SPELL.get(ch, ch) for ch in text]


# ---------- postcode ----------

def _number_token(token: str) -> str | None:
    """'3' -> '3', '35' -> '35', 'vijfendertig' -> '35', 'een' -> '1'; else None."""
    if token.isdigit():
        return token
    value = parsing.words_to_number(token)
    return None if value is None else str(value)


def _letter(token: str) -> str | None:
    if len(token) == 1 and token.isalpha():
        return token
    return LETTER_NAMES.get(token)


def _letters_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Two letters starting at tokens[i]: ('ab', index after them)."""
    if i >= len(tokens):
        return None
    first, second = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
    second_letter = _letter(second) or _SECOND_ONLY.get(second)
    if _letter(first) and second_letter:
        return _letter(first) + second_letter, i + 2
    if len(first) == 2 and first.isalpha() and first.isascii():
        return first, i + 1
    return None


def _spoken(text: str) -> tuple[str, list[re.Match]]:
    """The text plainly, and its words and numbers (with their positions)."""
    t = _plain(text)
    t = re.sub(r"\b(\w) (?:als in|van|zoals) \w+", r"\1", t)  # 'a van anton'
    t = _FILLERS.sub(" ", t)
    return t, list(re.finditer(r"\d+|[^\W\d_]+", t))


def _tokens(text: str) -> list[str]:
    return [m.group(0) for m in _spoken(text)[1]]


def postcode_from_speech(text: str) -> tuple[str, str] | None:
    """('3511 AB', 'Utrecht') from '3 5 1 1 a b utrecht', 'drie vijf elf AB',
    'vijfendertig elf a b' or '3511AB'; None without four digits and two letters."""
    plain, found = _spoken(text)
    tokens = [m.group(0) for m in found]
    for start in range(len(tokens)):
        digits, j = "", start
        while j < len(tokens) and len(digits) < 4:
            number = _number_token(tokens[j])
            if number is None:
                break
            digits, j = digits + number, j + 1
        if len(digits) != 4 or digits[0] == "0":
            continue
        letters = _letters_at(tokens, j)
        if letters is None:
            continue
        rest = plain[found[letters[1] - 1].end():]
        place = re.sub(r"(?<='s-)\w", lambda m: m.group(0).upper(), parsing.clean_place(rest))
        return f"{digits} {letters[0].upper()}", place
    return None


def postcode_letters(text: str) -> str | None:
    """The two letters of a postcode said on their own: 'a b', 'bee ka', 'AB' -> 'AB'."""
    tokens = [t for t in _tokens(text) if t not in ("de", "letters", "het", "is", "zijn")]
    found = _letters_at(tokens, 0)
    return found[0].upper() if found and found[1] == len(tokens) else None


def keyed_postcode_digits(digits: str) -> str | None:
    """The four digits of a postcode keyed in ('3511'), else None."""
    value = keyed(digits)
    return value if re.fullmatch(r"[1-9]\d{3}", value) else None


def spell_postcode(postcode: str, place: str = "") -> str:
    """'3511 AB', 'Utrecht' -> '3, 5, 1, 1, A, B, in Utrecht'."""
    spelled = ", ".join(ch for ch in postcode if not ch.isspace())
    return f"{spelled}, in {place}" if place else spelled


# ---------- answers ----------

def keyed(digits: str) -> str:
    """What was keyed, without the closing '#' (or '*')."""
    return re.sub(r"[^0-9]", "", digits or "")


def yes_no(text: str) -> bool | None:
    """'ja', 'klopt', '1' -> True; 'nee', 'klopt niet', '2' -> False; else None."""
    t = _plain(text)
    if t in _YES_KEYS:
        return True
    if t in _NO_KEYS:
        return False
    answer = parsing.parse_yes_no(t)
    if answer is None and t in ("een", "één", "eén"):
        return True
    if answer is None and t == "twee":
        return False
    return answer


def choice(text: str, count: int) -> int | None:
    """The option (1..count) chosen by number ('1', 'twee', 'optie 2') or by its words."""
    t = _plain(text)
    match = re.fullmatch(r"(?:(?:ik )?(?:kies|zeg|wil|neem) )?(?:optie |nummer |keuze )?(\w+)", t)
    if match:
        word = match.group(1)
        number = int(word) if word.isdigit() else (
            1 if word in ("een", "één", "eén", "eentje") else parsing.words_to_number(word))
        if number is not None and 1 <= number <= count:
            return number
    for number, words in _CHOICE_WORDS.items():
        if number <= count and any(re.search(rf"\b{w}\b", t) for w in words):
            return number
    return None


_PERSON = re.compile(r"\b(medewerker|een mens|iemand spreken|echt persoon|persoon spreken)\b")


def asks_for_person(text: str) -> bool:
    """'medewerker', 'ik wil een mens': the bot hands over (it understands this at any point,
    so the hub passes it on instead of treating it as an answer to its own question)."""
    return bool(_PERSON.search(_plain(text)))
