"""What the helpdesk group reads: the hand-over post, its status line, and short Dutch answers.

Pure functions (no Telegram, no database). Privacy rule: a post names the theme, the channel,
the waiting time, the reason, the ticket and callback references, and the first name of the
student who has it; never the entrepreneur's name, e-mail, phone, company or words (nor the
note a student adds to an outcome in the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CLAIM_PREFIX = "claim:"
CLAIM_BUTTON = "Oppakken"
MAX_NAME = 64  # Telegram's own limit for a first name

THEMES = {
    "online_marketing_sales": "online marketing & sales",
    "data": "data",
    "automatisering": "(kantoor)automatisering",
    "overig": "iets anders",
}
CHANNELS = {"webchat": "websitechat", "whatsapp": "WhatsApp", "phone": "telefoon",
            "voice": "telefoon"}
REASONS = {
    "asked": "de ondernemer vraagt om een medewerker",
    "bot_failed": "de bot kwam er niet uit",
    "frustrated": "de ondernemer lijkt gefrustreerd",
    "sensitive": "gevoelig onderwerp",
    "staff": "door de helpdesk gestart",
}

CALLBACK_TITLES = {
    "outside_hours": "Terugbelverzoek: de helpdesk was dicht",
    "claim_timeout": "Terugbelverzoek: niemand pakte het op tijd op",
    "no_answer": "Terugbelverzoek: de helpdesk nam de telefoon niet op",
    "caller_choice": "Terugbelverzoek: de beller wil teruggebeld worden",
    "hangup": "Terugbelverzoek: de beller hing op tijdens het wachten",
    "bot_down": "Terugbelverzoek: de assistent was niet bereikbaar",
}

WAITING = "Wie pakt dit op? Gebruik de knop hieronder."
CALLBACK_WAITING = ("Wordt teruggebeld. Wie neemt contact op? Pak het op met de knop hieronder; "
                    "de gegevens staan in het dashboard (Terugbellen).")
RELEASED = "Teruggegeven aan de bot."
SUPERSEDED = "Dit verzoek is voorbij; er is een nieuwer bericht over dit gesprek."
HOW_TO = ("Antwoord op dit bericht (Beantwoorden) om de ondernemer te schrijven; /vrij geeft het "
          "gesprek terug aan de bot, /sluit [uitkomst] sluit het af.")
CLAIMED_OK = "Je hebt dit gesprek opgepakt. Antwoord op het bericht om de ondernemer te schrijven."
CLAIMED_AGAIN = "Je had dit gesprek al opgepakt."
UNKNOWN_POST = "Deze aanvraag ken ik niet (meer)."
OLD_POST = "Dit is een oud bericht over dit gesprek; gebruik het nieuwste."
BACK_WITH_BOT = "Dit gesprek is teruggegeven aan de bot."
ALREADY_CLOSED = "Dit gesprek is al gesloten."
CLAIM_FIRST = "Pak het gesprek eerst op met de knop 'Oppakken'."
USE_AS_REPLY = "Gebruik /vrij of /sluit als antwoord op het bericht van de aanvraag."
UNKNOWN_COMMAND = "Onbekend commando. Gebruik /vrij of /sluit [uitkomst]."
TEXT_ONLY = "Alleen tekst kan naar de ondernemer worden doorgestuurd."
EMPTY_TEXT = "Er staat geen tekst in je bericht."
NOT_ANONYMOUS = "Stuur dit als jezelf (niet anoniem), dan weet de ondernemer wie antwoordt."
TOO_LONG = "Dit bericht is te lang; stuur het in kortere stukken."
UNKNOWN_BUTTON = "Deze knop ken ik niet."
SOMETHING_WRONG = "Er ging iets mis; probeer het zo nog eens."


def taken_by(name: str | None) -> str:
    return f"Al opgepakt door {name or 'iemand anders'}."


def holder(name: str | None, via: str | None) -> str:
    """Who has a conversation, as the group may read it: a first name and where they work."""
    if via == "phone":
        return "de helpdesk aan de telefoon"
    name = name or "iemand anders"
    return f"{name} via dashboard" if via == "dashboard" else name


def only_claimer(name: str | None) -> str:
    who = name or "iemand anders"
    return f"Dit gesprek is opgepakt door {who}; alleen die kan hier antwoorden."


def claimed_line(name: str, minutes: int) -> str:
    return f"Opgepakt door {name} na {_duration(minutes)}. {HOW_TO}"


def released_line(name: str) -> str:
    return f"Teruggegeven aan de bot door {name}."


def closed_line(name: str, outcome: str) -> str:
    return f"Gesloten door {name} (uitkomst: {outcome})."


def public_outcome(outcome: str | None) -> str:
    """The dashboard stores 'uitkomst: notitie'; the note stays out of the group."""
    return (outcome or "afgehandeld").split(":", 1)[0].strip() or "afgehandeld"


@dataclass(frozen=True)
class PostView:
    """What a hand-over post may show (and nothing else)."""

    conversation_id: str
    state: str
    channel: str
    reason: str | None
    requested_at: datetime
    callback: bool
    theme: str | None
    ticket_reference: str | None
    claimed_at: datetime | None = None
    claimer: str | None = None  # a first name (see holder)
    claimed_via: str | None = None  # telegram | dashboard | phone | other
    outcome: str | None = None
    callback_reference: str | None = None
    callback_reason: str | None = None
    superseded: bool = False  # a newer request about the conversation has its own post


def has_button(view: PostView) -> bool:
    """'Oppakken' is offered only while the request this post is about waits for a person."""
    return view.state == "waiting_for_human" and not view.superseded


def status_line(view: PostView, now: datetime) -> str:
    """The last line of a post: what is happening with the request now."""
    if view.superseded:
        return SUPERSEDED
    if view.state == "waiting_for_human":
        return CALLBACK_WAITING if view.callback else WAITING
    if view.state == "bot":
        return RELEASED
    if view.state == "closed":
        return f"Afgesloten ({public_outcome(view.outcome)})."
    minutes = minutes_between(view.requested_at, view.claimed_at or now)
    if view.claimed_via == "telegram":
        return claimed_line(view.claimer or "student", minutes)
    if view.claimed_via == "phone":
        return ("Doorverbonden: de helpdesk heeft de beller aan de telefoon "
                f"(na {_duration(minutes)}).")
    return f"Opgepakt door {holder(view.claimer, view.claimed_via)} na {_duration(minutes)}."


def first_name(value: str | None) -> str:
    """The student's first name as shown and stored: one line, at most 64 characters."""
    name = " ".join((value or "").split())[:MAX_NAME]
    return name or "student"


def minutes_between(start: datetime, end: datetime) -> int:
    start = start.replace(tzinfo=UTC) if start.tzinfo is None else start
    end = end.replace(tzinfo=UTC) if end.tzinfo is None else end
    return max(0, int((end - start).total_seconds() // 60))


def _duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} u {minutes % 60} min"


def render(view: PostView, now: datetime, line: str | None = None) -> str:
    """The group message for one hand-over request; the status line follows the conversation
    unless one is given (a student's own action, named)."""
    requested = view.requested_at
    requested = requested.replace(tzinfo=UTC) if requested.tzinfo is None else requested
    waited = minutes_between(requested, view.claimed_at or now)
    if view.callback:
        title = CALLBACK_TITLES.get(view.callback_reason or "", CALLBACK_TITLES["outside_hours"])
    else:
        title = "Nieuwe hand-over: een ondernemer wacht op een student"
    lines = [
        title,
        f"Thema: {THEMES.get(view.theme, view.theme) if view.theme else 'nog onbekend'}",
        f"Kanaal: {CHANNELS.get(view.channel, view.channel)}",
        f"Wachttijd: {_duration(waited)} (sinds {requested.astimezone(AMSTERDAM):%H:%M})",
        f"Reden: {REASONS.get(view.reason or '', view.reason or 'onbekend')}",
    ]
    if view.ticket_reference:
        lines.append(f"Ticket: {view.ticket_reference}")
    if view.callback_reference:
        lines.append(f"Terugbelverzoek: {view.callback_reference}")
    return "\n".join(lines) + "\n\n" + (line or status_line(view, now))


def parse_command(text: str | None) -> tuple[str | None, str]:
    """('vrij', '') / ('sluit', 'uitkomst') / ('unknown', '') for another /command, or
    (None, text) for an ordinary message. '/vrij@WerkplaatsBot' works in groups too."""
    if not text or not text.lstrip().startswith("/"):
        return None, text or ""
    head, _, rest = text.strip().partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    if name in ("vrij", "sluit"):
        return name, " ".join(rest.split())
    return "unknown", ""
