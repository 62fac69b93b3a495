"""WhatsApp as plain text: buttons become numbered options (answered with the number or the
words), long texts are split for Twilio, and media get a friendly Dutch answer. Pure functions."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 1600  # Twilio's limit for one WhatsApp Body (counted here in UTF-16 units: safe)
OPTIONS_HINT = "Typ het nummer of je antwoord."
HELPDESK_PHONE = "085 - 000 00 00 (werkdagen 9 tot 17 uur)"

# What the transcript shows for a message that is not (only) text, and what the bot answers.
VOICE = "[spraakbericht]"
IMAGE = "[afbeelding]"
VIDEO = "[video]"
DOCUMENT = "[bestand]"
CONTACT_CARD = "[contactkaart]"
LOCATION = "[locatie]"
EMPTY = "[leeg bericht]"
NOTICES = {
    VOICE: "Ik kan helaas geen spraakberichten beluisteren. Wil je je antwoord typen? Bellen "
    f"mag ook: {HELPDESK_PHONE}.",
    IMAGE: "Dank je! Afbeeldingen kan ik helaas niet bekijken. Wil je in een paar woorden typen "
    "wat je wilt laten zien?",
    VIDEO: "Dank je! Video's kan ik helaas niet bekijken. Wil je in een paar woorden typen wat "
    "je bedoelt?",
    DOCUMENT: "Dank je! Bestanden kan ik helaas niet openen. Wil je typen wat erin staat, of "
    "wat je vraag is?",
    CONTACT_CARD: "Dank je! Een contactkaart kan ik niet lezen. Wil je de gegevens typen?",
    LOCATION: "Dank je voor je locatie! Ik kan daar niks mee. Wil je de postcode en plaats van "
    "je bedrijf typen? Bijvoorbeeld: 3511 AB Utrecht.",
    EMPTY: "Ik zie geen tekst in je bericht. Wil je je antwoord typen?",
}
_OPENER = re.compile(
    r"^((hallo|hoi|hey|hee|hi|hai|hello|hoihoi|dag|beste|yo|goede(n)?(morgen|middag|avond|dag)|"
    r"goeiemorgen|goeiemiddag|goeienavond|test|start|begin|beginnen)"
    r"( daar| allemaal| werkplaats| digitale werkplaats)?[\s!.,?]*)+$"
)
_NUMBER = re.compile(r"^\s*(?:optie\s*|nummer\s*|nr\.?\s*)?(\d{1,2})\s*[.)]?\s*$", re.I)


def notice_for(text: str) -> str | None:
    """The friendly answer to a recorded non-text message, or None for ordinary text."""
    for marker, answer in NOTICES.items():
        if text.startswith(marker):
            return answer
    return None


def describe_inbound(params: dict[str, str]) -> str:
    """What an inbound Twilio message is, as a line for the transcript."""
    body = (params.get("Body") or "").strip()
    try:
        media = int(params.get("NumMedia") or 0)
    except ValueError:
        media = 0
    if media > 0:
        kind = (params.get("MediaContentType0") or "").lower()
        marker = (VOICE if kind.startswith("audio/") else IMAGE if kind.startswith("image/")
                  else VIDEO if kind.startswith("video/")
                  else CONTACT_CARD if "vcard" in kind else DOCUMENT)
        return f"{marker} {body}".strip()
    if params.get("Latitude") and params.get("Longitude"):
        where = ", ".join(p for p in (params.get("Label"), params.get("Address")) if p)
        spot = f"{params['Latitude']},{params['Longitude']}"
        return f"{LOCATION} {spot}" + (f" ({where})" if where else "")
    return body or EMPTY


def is_opener(text: str) -> bool:
    """'Hallo!' and the like: a first message that only opens the conversation."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"[^\w\s!.,?]", " ", t)
    return bool(_OPENER.match(re.sub(r"\s+", " ", t).strip()))


def render(text: str, buttons: list[dict] | None = None) -> str:
    """A bot message with its buttons as numbered lines."""
    titles = [str(b.get("title") or b.get("payload") or "") for b in buttons or []]
    titles = [t for t in titles if t]
    if not titles:
        return text
    lines = [f"{i}. {title}" for i, title in enumerate(titles, 1)]
    return "\n".join([text.rstrip(), "", *lines, OPTIONS_HINT]).strip()


def _squash(text: str) -> str:
    return re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def resolve_option(text: str, buttons: list[dict] | None) -> str:
    """The payload of the option the entrepreneur chose ('2', '2.', or the option's words);
    anything else is passed on unchanged."""
    options = [b for b in buttons or [] if b.get("payload") or b.get("title")]
    if not options:
        return text
    match = _NUMBER.match(text)
    if match and 1 <= int(match.group(1)) <= len(options):
        chosen = options[int(match.group(1)) - 1]
        return str(chosen.get("payload") or chosen.get("title"))
    said = _squash(text)
    for option in options:
        if said and said in (_squash(str(option.get("title") or "")),
                             _squash(str(option.get("payload") or ""))):
            return str(option.get("payload") or option.get("title"))
    return text


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Parts of at most `limit` characters, cut at a paragraph, line or word where possible."""
    parts: list[str] = []
    rest = text.strip()
    while _units(rest) > limit:
        cut = limit
        while _units(rest[:cut]) > limit:
            cut -= 1
        window = rest[:cut]
        at = max(window.rfind("\n\n"), window.rfind("\n"))
        if at < limit // 2:
            at = window.rfind(" ")
        if at < limit // 2:
            at = cut
        parts.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def flatten(text: str, limit: int = 255) -> str:
    """One line for a template variable (WhatsApp refuses newlines there), cut to `limit`."""
    line = re.sub(r"\s+", " ", text).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
