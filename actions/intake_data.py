"""Turn the intake slots into the ticket the backend stores, and into the summary we read back."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from actions.form_order import theme_scores_of, unknown
from bot.theme_scores import THEME_LABELS, applicable, ranked

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    undefined=StrictUndefined,
    keep_trailing_newline=False,
    autoescape=False,  # plain text for chat, WhatsApp and speech; never rendered as HTML
)


def _or_none(value):
    return None if unknown(value) else value


def themes_of(slots: Mapping) -> tuple[str, list[dict], list[str]]:
    """(main theme, all themes with confidence, the themes that apply)."""
    scores = theme_scores_of(slots)
    choice = slots.get("theme_choice")
    if choice in THEME_LABELS:
        scores = dict(scores, **{choice: 1.0})
    items = ranked(scores)
    main = choice if choice in THEME_LABELS else items[0]["theme"]
    evidence = [(turn, weight) for turn, weight in slots.get("theme_evidence") or []]
    applying = applicable(scores, [] if choice in THEME_LABELS else evidence)
    if main not in applying:
        applying.insert(0, main)
    return main, items, applying


def question_text(slots: Mapping) -> str:
    parts = [slots.get("need_description"), slots.get("need_problem")]
    return " ".join(str(p).strip() for p in parts if not unknown(p))


def ticket_payload(conversation_id: str, slots: Mapping) -> dict:
    main, items, applying = themes_of(slots)
    employees = slots.get("employees")
    maturity = slots.get("maturity")
    payload = {
        "conversation_id": conversation_id,
        "question": question_text(slots) or "(geen omschrijving)",
        "theme": main,
        # The themes that apply, with their share of the evidence; details keep all four.
        "themes": [item for item in items if item["theme"] in applying],
        "company": {
            "name": str(slots.get("company_name") or "onbekend"),
            "sector": str(slots.get("sector") or ""),
            "employees": employees if isinstance(employees, int) else None,
            "postcode": str(slots.get("postcode") or ""),
            "place": str(slots.get("place") or ""),
            "kvk_number": _or_none(slots.get("kvk_number")),
        },
        "contact": {
            "name": str(slots.get("contact_name") or "onbekend"),
            "email": _or_none(slots.get("contact_email")),
            "phone": _or_none(slots.get("contact_phone")),
        },
        "consent": {
            "privacy": slots.get("consent_privacy") is True,
            "followup": slots.get("consent_followup") is True,
        },
        "intake": {
            "source": _or_none(slots.get("source")),
            "maturity": maturity if isinstance(maturity, int) else None,
        },
        "details": {
            "problem": _or_none(slots.get("need_problem")),
            "goal": _or_none(slots.get("need_goal")),
            "tried": _or_none(slots.get("need_tried")),
            "urgency": _or_none(slots.get("need_urgency")),
            "applicable_themes": ", ".join(applying),
            "theme_scores": ", ".join(f"{i['theme']} {i['confidence']:.2f}" for i in items),
            "eligibility": slots.get("eligibility") or "ok",
        },
    }
    payload["summary"] = render_summary(payload, applying, closing=False)
    return payload


def render_summary(payload: Mapping, applying: list[str], *, closing: bool = True) -> str:
    text = _env.get_template("summary.nl.j2").render(
        question=payload["question"],
        details=payload["details"],
        theme_labels=[THEME_LABELS[t] for t in applying],
        company=payload["company"],
        contact=payload["contact"],
        consent=payload["consent"],
    ).strip()
    if not closing:
        text = text.rsplit("\n\n", 1)[0].replace("Ik heb dit genoteerd:\n\n", "")
    return text
