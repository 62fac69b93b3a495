"""What the entrepreneur reads once the ticket is stored: who picks the question up, what fits,
and honestly whether students are there now, with something to do instead of a silent wait.
Built from the ticket the backend returns (its `routing`, backend/services/routing.py)."""

from __future__ import annotations

from datetime import date

from actions.texts import ALTERNATIVE_PHRASES, MONTHS, OFFER_PHRASES
from bot.theme_scores import THEME_LABELS

STUDENT_OFFERS = {"kort_project", "project_10_20_weken", "hackathon", "werkstudent"}
MAX_OFFERS = 3  # a short list: the werkplaats goes through the rest with them


def _join(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def dutch_date(day: date, today: date) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _theme_words(theme: str | None) -> str:
    return "dit soort vragen" if theme in (None, "overig") else \
        f"vragen over {THEME_LABELS.get(theme, theme)}"


def _who(ticket: dict, routing: dict) -> list[str]:
    lines = [f"{ticket['werkplaats']} pakt je vraag op."]
    region = routing.get("region_werkplaats")
    if routing.get("reason") == "buurwerkplaats" and region:
        lines.append(f"De werkplaats in je eigen regio ({region}) doet geen "
                     f"{_theme_words(ticket.get('theme'))}. Deze werkplaats in de buurt wel.")
    elif routing.get("reason") == "landelijk":
        lines.append("Het loket zoekt samen met jou wat past." if region is None else
                     f"De werkplaatsen bij jou in de buurt doen geen "
                     f"{_theme_words(ticket.get('theme'))}. Het loket zoekt samen met jou wat "
                     "past.")
    return lines


def _offers(routing: dict) -> list[str]:
    phrases = [OFFER_PHRASES[o] for o in routing.get("offers") or [] if o in OFFER_PHRASES]
    if not phrases:
        return []
    return [f"Wat past bij je vraag: {_join(phrases[:MAX_OFFERS], 'en')}."]


def _no_students(werkplaats: str, routing: dict, today: date) -> list[str]:
    labels = [str(label) for label in routing.get("no_students") or []]
    back = routing.get("available_from")
    when = f"In de {_join(labels, 'en de')}" if labels else "Op dit moment"
    lines = [f"{when} zijn er geen studenten, tot {dutch_date(date.fromisoformat(back), today)}."
             if back else f"{when} zijn er geen studenten."]
    alternatives = [ALTERNATIVE_PHRASES[o] for o in routing.get("alternatives") or []
                    if o in ALTERNATIVE_PHRASES]
    if alternatives:
        by = routing.get("alternatives_by")
        via = f"via {by} " if by and by != werkplaats else ""
        ask = "Heb je haast? Wacht dan niet: je kunt" if routing.get("urgency") == \
            "zo snel mogelijk" else "Wil je niet wachten? Dan kun je"
        lines.append(f"{ask} {via}{_join(alternatives, 'of')}.")
    else:
        lines.append("De werkplaats belt je als er weer studenten zijn.")
    return lines


def _steps(routing: dict | None, today: date) -> list[str]:
    if routing is None:  # a backend without routing: the general steps
        middle = ("2. Samen kijken jullie wat past: een kort project, een langer project met "
                  "studenten, een workshop of een vragenuur.")
        last = "3. Daarna gaan studenten met je vraag aan de slag."
    else:
        middle = "2. Samen kiezen jullie wat het beste past."
        back = routing.get("available_from")
        if not STUDENT_OFFERS & set(routing.get("offers") or []):
            last = "3. Daarna helpt de werkplaats je verder, of wijst je de weg."
        elif routing.get("students_available", True):
            last = "3. Daarna gaan studenten met je vraag aan de slag."
        elif back:
            last = (f"3. Vanaf {dutch_date(date.fromisoformat(back), today)} gaan studenten met "
                    "je vraag aan de slag.")
        else:
            last = "3. Zodra er weer studenten zijn, gaan ze met je vraag aan de slag."
    return ["Wat gebeurt er nu?",
            "1. Binnen 5 werkdagen neemt iemand van de werkplaats contact met je op.", middle, last]


def ticket_message(ticket: dict, today: date | None = None) -> str:
    """The whole reply after a stored ticket, in plain Dutch."""
    today = today or date.today()
    routing = ticket.get("routing") if isinstance(ticket.get("routing"), dict) else None
    lines = [f"Dank je wel! Je aanvraag is verstuurd. Je nummer is {ticket['reference']}."]
    if routing is None:
        lines.append(f"{ticket['werkplaats']} pakt je vraag op.")
    else:
        lines += _who(ticket, routing) + _offers(routing)
        if routing.get("students_available") is False:
            lines += _no_students(ticket["werkplaats"], routing, today)
    lines += _steps(routing, today)
    lines.append("Bewaar je nummer. Heb je nog een andere vraag? Typ 'opnieuw'.")
    return "\n".join(lines)
