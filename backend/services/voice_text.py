"""The bot's messages for the ear (the phone line): no URLs, emoji or markup, shorter, buttons
as "Zeg 1 voor ..., of 2 voor ...", and what the caller said or keyed mapped back to a button's
payload; the hub's own phone texts (spelled-back confirmation, keypad entry, the choice between
WhatsApp and a callback). Pure functions."""

from __future__ import annotations

import re
import unicodedata

from backend.services import whatsapp_text

MAX_SAY_CHARS = 600  # one spoken message: longer texts are cut at a sentence
_URL = re.compile(r"(https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
_MARKUP = re.compile(r"[*_`#>|~\[\]]")
_TYPE = re.compile(r"\b([Tt])yp\b")  # "typ 'geen'": a caller says it
_NUMBER_WORDS = {
    "een": 1, "één": 1, "eén": 1, "eentje": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
    "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
}
_SPOKEN_NUMBER = re.compile(
    r"^\s*(?:(?:ik\s+)?(?:kies|zeg|neem)\s+)?(?:optie|nummer|keuze)?\s*(\w+)\s*[.!]?\s*$", re.I)
HINTS_EMAIL = "apenstaartje, punt nl, punt com, gmail punt com, hotmail punt com, outlook punt com"
HINTS_POSTCODE = "postcode, 1234 AB, 3511 AB Utrecht"
HINTS_NUMBER = "een, twee, drie, vier, vijf, tien, twintig, vijftig, honderd"
HINTS_YES_NO = "ja, nee, medewerker"
HINTS_LETTERS = "a, b, c, d, e, f, g, h, j, k, l, m, n, p, r, s, t, v, w, x, z"
HINTS_CONFIRM = "ja, klopt, nee, klopt niet"
HINTS_CHOICE = "een, twee, WhatsApp, terugbellen"

# What the bot's form asks for (Rasa's requested_slot), and how a caller may answer it.
SPELLED_SLOTS = ("contact_email", "postcode")  # by voice: spelled back before the bot gets it
KEYPAD_SLOTS = ("employees", "maturity", "kvk_number", "contact_phone", "postcode")
_SLOT_HINTS = {"contact_email": HINTS_EMAIL, "postcode": HINTS_POSTCODE,
               "employees": HINTS_NUMBER, "maturity": HINTS_NUMBER,
               "kvk_number": HINTS_NUMBER, "contact_phone": HINTS_NUMBER}

# The hub's own phone texts: short sentences, for the ear.
KEYPAD = "Of toets het in en sluit af met hekje."
KEYPAD_POSTCODE = "Of toets de vier cijfers in en sluit af met hekje."
CONFIRM = ("Ik heb genoteerd: {spelled}. Klopt dat? Zeg ja of nee, of toets 1 voor ja en 2 voor "
           "nee.")
NOT_UNDERSTOOD = "Sorry, dat verstond ik niet."
SAY_AGAIN = {
    "contact_email": "Oké. Zeg je e-mailadres nog een keer. Spel het gerust letter voor letter, "
                     "bijvoorbeeld: a, n, n, a, apenstaartje.",
    "postcode": "Oké. Zeg je postcode nog een keer: eerst de vier cijfers, dan de twee letters.",
}
LETTERS = "En de twee letters van je postcode? Zeg ze een voor een."
CHOICE = ("Het lukt nog niet zo goed via de telefoon. Zeg 1 om verder te gaan via WhatsApp, dan "
          "sturen we je een berichtje. Zeg 2 om teruggebeld te worden.")
CHOICE_WITHOUT_WHATSAPP = ("Het lukt nog niet zo goed via de telefoon. Verder gaan via WhatsApp "
                           "kan nu helaas niet. Zeg 2 om teruggebeld te worden.")
NO_NUMBER = ("Het lukt nog niet zo goed via de telefoon. Je nummer is afgeschermd, dus terugbellen "
             "of een WhatsApp-bericht sturen lukt niet. Chat gerust met ons op de website van de "
             "Digitale Werkplaats, of bel later nog eens. Tot ziens!")
WHATSAPP_MESSAGE = ("Hoi! Je belde net met de Digitale Werkplaats. Stuur hier een berichtje en we "
                    "gaan verder waar we waren.")
WHATSAPP_COMING = ("Goed. Je krijgt zo een WhatsApp-berichtje van ons op dit nummer. Daar gaan we "
                   "verder waar we waren. Tot ziens!")
WHATSAPP_WRITE_US = ("Goed. Stuur ons een WhatsApp-bericht op nummer {number}. Dan gaan we daar "
                     "verder waar we waren. Tot ziens!")
CALLBACK_CHOSEN = "Goed. Een medewerker belt je {when} terug op dit nummer. Tot ziens!"
ONE_MOMENT = "Een ogenblikje."


def _is_emoji(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("So", "Cs", "Co", "Sk") or ch in "\u200d\ufe0f\ufe0e\u20e3"


def for_ear(text: str, limit: int = MAX_SAY_CHARS) -> str:
    """A bot message as one spoken text: URLs, e-mail addresses, emoji and markup dropped,
    "typ" said as "zeg", whitespace squashed, at most `limit` characters (cut after a sentence
    where possible)."""
    text = _URL.sub(" ", text)
    text = _EMAIL.sub("het e-mailadres op de website", text)
    text = _TYPE.sub(lambda m: "Zeg" if m.group(1) == "T" else "zeg", text)  # on the phone
    text = "".join(" " if _is_emoji(ch) else ch for ch in unicodedata.normalize("NFC", text))
    text = _MARKUP.sub(" ", text)
    text = re.sub(r"\(\s*\)", " ", text)
    text = re.sub(r"\s*\n\s*[-•]\s*", ", ", text)  # bullet lists become a sentence
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.!?:;])", r"\1", text)
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
    return window[: cut + 1] if cut > limit // 3 else window.rsplit(" ", 1)[0] + "."


def button_titles(buttons: list[dict] | None) -> list[str]:
    titles = [for_ear(str(b.get("title") or b.get("payload") or ""), 80) for b in buttons or []]
    return [t for t in titles if t]


def options_sentence(buttons: list[dict] | None) -> str:
    """'Zeg 1 voor Ja, of 2 voor Nee.' (or key the number)."""
    titles = button_titles(buttons)
    if not titles:
        return ""
    parts = [f"{i} voor {t.rstrip('.!?')}" for i, t in enumerate(titles, 1)]
    if len(parts) == 1:
        return f"Zeg {parts[0]}."
    return f"Zeg {', '.join(parts[:-1])}, of {parts[-1]}."


def speak(text: str, buttons: list[dict] | None = None) -> str:
    """What the caller hears for one bot message."""
    return " ".join(p for p in (for_ear(text), options_sentence(buttons)) if p)


def hints(text: str, buttons: list[dict] | None = None, slot: str | None = None) -> str:
    """Speech recognition hints for the answer to this question (Gather hints): by the slot
    the bot asks for when known, else by the question's words."""
    low = text.lower()
    found: list[str] = button_titles(buttons)
    if slot in _SLOT_HINTS:
        found.append(_SLOT_HINTS[slot])
        if buttons:
            found.append(HINTS_YES_NO)
        return ", ".join(dict.fromkeys(h for h in found if h))[:900]
    if "e-mail" in low or "email" in low or "mailadres" in low:
        found.append(HINTS_EMAIL)
    if "postcode" in low:
        found.append(HINTS_POSTCODE)
    if re.search(r"\bhoeveel|\baantal|\bnummer|telefoon|\bjaar\b", low):
        found.append(HINTS_NUMBER)
    if low.rstrip().endswith("?") or buttons:
        found.append(HINTS_YES_NO)
    return ", ".join(dict.fromkeys(h for h in found if h))[:900]


def number_said(text: str) -> int | None:
    """'2', 'twee', 'optie twee', 'nummer 2.' -> 2; anything else None."""
    match = _SPOKEN_NUMBER.match(unicodedata.normalize("NFC", text or "").lower())
    if not match:
        return None
    word = match.group(1)
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def resolve(text: str, buttons: list[dict] | None) -> str:
    """The payload of the button the caller chose (a spoken or keyed number, or the button's
    words); anything else unchanged."""
    options = [b for b in buttons or [] if b.get("payload") or b.get("title")]
    if not options:
        return text
    number = number_said(text)
    if number is not None and 1 <= number <= len(options):
        chosen = options[number - 1]
        return str(chosen.get("payload") or chosen.get("title"))
    return whatsapp_text.resolve_option(text, options)


def keypad_prompt(slot: str | None) -> str:
    """'Of toets het in ...' for questions answered with a number, else ''."""
    if slot == "postcode":
        return KEYPAD_POSTCODE
    return KEYPAD if slot in KEYPAD_SLOTS else ""


def phone_number_for_ear(number: str) -> str:
    """'whatsapp:+31970100001' -> '0, 9, 7, 0, 1, 0, 0, 0, 1' (Dutch numbers as dialled here)."""
    digits = re.sub(r"\D", "", number.removeprefix("whatsapp:"))
    if number.removeprefix("whatsapp:").startswith("+31"):
        digits = "0" + digits[2:]
    return ", ".join(digits)
