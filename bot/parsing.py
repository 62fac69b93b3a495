"""Parse and normalise what entrepreneurs type or say. Pure Python: no rasa imports, so the
actions, the bot components and the tests all use the same rules."""

from __future__ import annotations

import re
import unicodedata

NUMBER_WORDS = {
    "nul": 0, "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
    "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13,
    "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18,
    "negentien": 19, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
    "zeventig": 70, "tachtig": 80, "negentig": 90, "honderd": 100, "duizend": 1000,
}
COLLECTIVE = {"tweeën": 2, "tweetjes": 2, "drieën": 3, "vieren": 4, "vijven": 5, "zessen": 6,
              "zevenen": 7, "achten": 8, "negenen": 9, "tienen": 10}
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
POSTCODE_RE = re.compile(r"\b([1-9]\d{3})\s?-?([A-Za-z]{2})\b")
KVK_RE = re.compile(r"(?<!\d)(\d{8})(?!\d)")
DONT_KNOW_RE = re.compile(
    r"^(ik )?(heb )?(weet (ik )?(het |'?t )?niet|geen (flauw )?idee|weet niet|idk|"
    r"geen idee eigenlijk|weet ik veel|"
    r"ik zou het niet weten|geen flauw benul|nvt|n\.v\.t\.?|onbekend|sla (maar )?over|"
    r"overslaan|skip|moet ik opzoeken|weet ik zo niet|heb ik niet( bij de hand)?)\b"
)
YES_WORDS = {"ja", "jazeker", "jawel", "jep", "jup", "ja hoor", "yes", "klopt", "prima", "goed",
             "is goed", "oke", "ok", "okay", "oké", "akkoord", "zeker", "graag", "ja graag",
             "dat mag", "ja dat mag", "ja, dat mag", "mag", "prima hoor", "doe maar", "yep", "jaa",
             "ja klopt", "klopt helemaal", "dat klopt", "correct", "helemaal goed", "ja prima"}
NO_WORDS = {"nee", "neen", "nope", "nee hoor", "liever niet", "nee, liever niet", "niet",
            "nee dank je", "neej", "nee bedankt", "no", "niet akkoord", "klopt niet", "nah",
            "nee dat klopt niet", "dat klopt niet", "nee, dat klopt niet"}


def normalise(text: str) -> str:
    """Lower-case, unify quotes and whitespace, drop trailing punctuation and emoji."""
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'").replace("`", "'")
    text = re.sub(r"[^\w\s@.,'+\-/&()]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip(" .,!?")


def is_dont_know(text: str) -> bool:
    return bool(DONT_KNOW_RE.match(normalise(text)))


def parse_yes_no(text: str) -> bool | None:
    t = re.sub(r"^((eh+m?|ehm|uh+|nou|oh|ah|tja|hmm+)[ ,]+)+", "", normalise(text))
    t = t.replace("oké", "oke").replace("okee", "oke")
    if re.match(r"^(idd|inderdaad)\b", t):
        return True
    if re.match(r"^(dat )?klopt (\w+ )?niet\b", t):
        return False
    if t in YES_WORDS or re.match(r"^(ja|jazeker|jawel|klopt|prima|akkoord|yes|oke|ok)\b", t):
        return True
    if t in NO_WORDS or re.match(r"^(nee|neen|nope|no|niet akkoord|liever niet)\b", t):
        return False
    return None


def words_to_number(text: str) -> int | None:
    """'vijf' -> 5, 'vijfentwintig' -> 25, 'honderdtwintig' -> 120 (good enough for sizes)."""
    t = text.strip().lower()
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    tens = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
    m = re.fullmatch(rf"(\w+?)(?:ën|en)({tens})", t)
    if m and m.group(1) in NUMBER_WORDS and NUMBER_WORDS[m.group(1)] < 10:
        return NUMBER_WORDS[m.group(1)] + NUMBER_WORDS[m.group(2)]
    m = re.fullmatch(r"(\w*?)honderd(\w*)", t)
    if m:
        head = words_to_number(m.group(1)) if m.group(1) else 1
        tail = words_to_number(m.group(2)) if m.group(2) else 0
        if head is not None and tail is not None:
            return head * 100 + tail
    return None


def numbers_in(text: str) -> list[int]:
    """All numbers in a text, digits or Dutch number words, in order."""
    out: list[int] = []
    for token in re.findall(r"\d+(?:[.,]\d+)?|[a-zéë]+", normalise(text)):
        if token[0].isdigit():
            out.append(int(float(token.replace(",", "."))))
        else:
            value = words_to_number(token)
            if value is not None and token not in {"een", "één"}:
                out.append(value)
    return out


def parse_employees(text: str) -> int | None:
    """Number of people working in the business, the entrepreneur included."""
    t = normalise(text)
    m = re.search(r"\b(?:niet|geen)\b.*\bmaar\b(.*)$", t)
    if m and parse_employees(m.group(1)) is not None:  # a correction: 'niet 12 maar 14'
        return parse_employees(m.group(1))
    if re.search(r"\b(zzp|zzp'?er|eenmanszaak|alleen ik|in m'?n eentje|mijn eentje|"
                 r"ik werk alleen|alleen mezelf|solo|ik ben alleen)\b", t):
        return 1
    m = re.search(r"met (?:z'?n|zijn|ons) (\w+)", t)
    if m:
        word = m.group(1)
        if word.isdigit():
            return int(word)
        if collective_number(word) is not None:
            return collective_number(word)
    numbers = [n for n in numbers_in(t) if 0 < n < 1_000_000]
    if not numbers:
        if re.search(r"\b(een|één) (man|persoon|medewerker)\b", t):
            return 1
        return None
    total = numbers[0]
    if re.search(r"(\b(en ik|plus mij|plus ik|met mij erbij|en mezelf)|\+ ?ik)\b", t) or re.match(
        r"(ik|ikzelf|mezelf|mijzelf|mij)\s*(\+|(en|plus|met)\b)", t
    ):
        total += 1
    return total


def collective_number(word: str) -> int | None:
    """'vijven' -> 5, 'tweeën' -> 2, 'zessen' -> 6, 'twaalven' -> 12, '6en' -> 6 (met z'n ...)."""
    word = (word or "").replace("’", "'").lower()
    if word in COLLECTIVE:
        return COLLECTIVE[word]
    stem = re.sub(r"-?(ën|en)$", "", word)
    if stem == word or not stem:
        return None
    if stem.isdigit():
        return int(stem)
    stem = re.sub(r"v$", "f", stem)  # twaalven -> twaalf
    stem = re.sub(r"([bcdfgklmnprst])\1$", r"\1", stem)  # zessen -> zes
    return words_to_number(stem)


def parse_email(text: str) -> str | None:
    m = EMAIL_RE.search(text or "")
    return m.group(0).lower().strip(".") if m else None


def spoken_email(text: str) -> str:
    """'jan punt de vries apenstaartje gmail punt com' -> 'jan.devries@gmail.com' (phone)."""
    t = normalise(text)
    t = re.sub(r"^((mijn|ons|m'?n|het)\s+)?(e-?mail(adres)?|mailadres|mail)\s+(is\s+)?"
               r"(?!(apenstaartje|at)\b)|^(het|dat) is\s+", "", t)
    t = re.sub(r"\s*(\b(apenstaartje|at)\b|@)\s*", "@", t)
    t = re.sub(r"\s*\b(punt|dot)\b\s*", ".", t)
    t = re.sub(r"\s*\b(streepje|min)\b\s*", "-", t)
    return t.replace(" ", "")


def parse_phone(text: str) -> str | None:
    """Dutch phone numbers to E.164: '06-12345678', '+31 6 1234 5678', '010 123 4567'."""
    t = re.sub(r"(?<=\d)[\s\-.()/]+(?=\d)", "", text or "")
    t = t.replace("(0)", "")
    m = re.search(r"(?:\+|00)31\s?0?(\d{9})(?!\d)", t)
    if m:
        return "+31" + m.group(1)
    m = re.search(r"(?<![\d+])0(\d{9})(?!\d)", t)
    if m:
        return "+31" + m.group(1)
    m = re.search(r"\+(\d{10,14})(?!\d)", t)
    if m:
        return "+" + m.group(1)
    return None


def parse_postcode(text: str) -> tuple[str, str] | None:
    """('3511 AB', 'Utrecht') or ('3511 AB', '') from '3511ab utrecht'."""
    m = POSTCODE_RE.search(text or "")
    if not m:
        return None
    postcode = f"{m.group(1)} {m.group(2).upper()}"
    return postcode, clean_place(text[m.end():]) or clean_place(text[: m.start()])


def clean_place(text: str) -> str:
    known = _known_place(text)
    if known:
        return known
    t = re.sub(r"\b(postcode|plaats|in|te|het is|is|de|gevestigd|zitten|we|wij|zit|ik)\b", " ",
               text or "", flags=re.I)
    t = re.sub(r"[^\w\s'\-]", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" -")
    if not t or any(ch.isdigit() for ch in t) or len(t) > 60:
        return ""
    return " ".join(w if w.lower() in {"aan", "den", "op", "bij"} or w.startswith("'")
                    else w[:1].upper() + w[1:] for w in t.split())


def parse_kvk(text: str) -> str | None:
    m = KVK_RE.search(re.sub(r"(?<=\d)[\s.]+(?=\d)", "", text or ""))
    return m.group(1) if m else None


def parse_maturity(text: str) -> int | None:
    numbers = [n for n in numbers_in(re.sub(r"/\s*10\b", " ", text)) if 1 <= n <= 10]
    if re.search(r"\bvan de 10\b|\bop 10\b|uit 10", normalise(text)) and len(numbers) > 1:
        numbers = [n for n in numbers if n != 10] or numbers
    return numbers[0] if numbers else None


def parse_urgency(text: str) -> str:
    t = normalise(text)
    calm = re.search(r"geen (haast|spoed)|niet (zo |heel |erg |echt )?(dringend|urgent|direct)", t)
    if re.search(r"zsm|zo snel|asap|meteen|direct|nu al|deze week|deze maand|spoed|dringend|"
                 r"urgent|gister|haast", t) and not calm:
        return "zo snel mogelijk"
    if calm or re.search(r"rustig|volgend jaar|ooit|maakt niet uit", t):
        return "geen haast"
    if re.search(r"maand|weken|kwartaal|zomer|najaar|voorjaar|binnenkort|na de", t):
        return "binnen 3 maanden"
    return text.strip()[:120]


def clean_name(text: str) -> str:
    t = re.sub(r"^(ik ben|ik heet|mijn naam is|naam is|dit is|met|de naam is|het is|we heten|"
               r"wij heten|het bedrijf heet|mijn bedrijf heet|ons bedrijf heet|bedrijfsnaam is|"
               r"de bedrijfsnaam is)\s+", "", (text or "").strip(), flags=re.I)
    return t.strip(" .,!?\"'")[:200]


def looks_like_name(text: str) -> bool:
    t = clean_name(text)
    return 1 <= len(t) <= 80 and bool(re.search(r"[A-Za-zÀ-ÿ]", t)) and "@" not in t


def is_known_place(text: str) -> bool:
    """Whether `text` is a place (or an alias of one, 'Den Bosch') in the gazetteer."""
    from bot import gazetteer

    return bool(text) and gazetteer.places().get(gazetteer.key(text)) is not None


def _known_place(text: str) -> str:
    """A place from bot/data/places.txt in its own spelling ('de bilt' -> 'De Bilt'); an alias
    keeps the entrepreneur's word ('den bosch' -> 'Den Bosch'), see clean_place."""
    from bot import gazetteer

    t = re.sub(r"^((we|wij|ik) (zitten|zit)|gevestigd|het is|plaats:?|in|te|uit|op)\s+", "",
               (text or "").strip(" .,!?"), flags=re.I)
    t = re.sub(r"^(in|te|uit|op)\s+", "", t, flags=re.I)
    place = gazetteer.places().get(gazetteer.key(t))
    if place is None or gazetteer.key(place.name) != gazetteer.key(t):
        return ""
    return place.name
