"""Intake tickets: idempotent creation per conversation, lookup and listing."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.db import Database
from backend.models import Conversation, Ticket, iso
from backend.services.conversations import ConversationNotFound
from backend.services.menukaart import OFFER_LABELS, offer_key
from backend.services.routing import route
from backend.services.werkplaatsen import Directory

STATUSES = ("nieuw", "in behandeling", "gematcht", "doorverwezen", "afgerond")
# What a coordinator can assign to a ticket (what the werkplaats offers the entrepreneur): the
# staff labels of the menukaart's offer keys (backend/services/menukaart.py), as stored before.
OFFERS = tuple(OFFER_LABELS.values())
# details["routing"]: the backend's routing outcome, kept in the ticket's details JSON.
ROUTING = "routing"
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
_DUTCH_POSTCODE = re.compile(r"[1-9]\d{3}[A-Z]{2}")


def _reference(ticket: Ticket) -> str:
    return f"DW-{ticket.created_at.year}-{ticket.id:05d}"


def _existing(db: Session, conversation_id: str) -> Ticket | None:
    return db.scalar(select(Ticket).where(Ticket.conversation_id == conversation_id))


def _storable(value):
    """The same data without NUL characters, which PostgreSQL cannot store in text."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


class ReservedDetail(ValueError):
    """The ticket's details use a key the backend fills in itself."""


def dutch_today() -> date:
    return datetime.now(DUTCH_TIME).date()


def create_ticket(
    database: Database, *, data: dict, directory: Directory, today: date | None = None
) -> tuple[Ticket, bool]:
    """Create the ticket for a conversation, or return the one it already has: (ticket, created).
    The werkplaats, the offers that fit and the students' availability come from routing
    (backend/services/routing.py) on `today` (default: today in the Netherlands)."""
    data = _storable(data)
    if ROUTING in (data.get("details") or {}):
        raise ReservedDetail(f"details.{ROUTING} is filled in by the backend")
    conversation_id = data["conversation_id"]
    try:
        with database.session() as db:
            conversation = db.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound(conversation_id)
            existing = _existing(db, conversation_id)
            if existing is not None:
                return existing, False
            company, contact = data["company"], data["contact"]
            postcode = (company.get("postcode") or "").strip()
            compact = postcode.upper().replace(" ", "")
            if _DUTCH_POSTCODE.fullmatch(compact):  # "3511ab" -> "3511 AB"; others as given
                postcode = f"{compact[:4]} {compact[4:]}"
            details = data.get("details") or {}
            urgency = details.get("urgency")
            routing = route(directory, postcode=postcode, theme=data["theme"],
                            employees=company.get("employees"),
                            urgency=urgency if isinstance(urgency, str) else None,
                            today=today or dutch_today())
            ticket = Ticket(
                conversation_id=conversation_id,
                channel=conversation.channel,
                theme=data["theme"],
                themes=sorted(data["themes"], key=lambda t: -t["confidence"]),
                question=data["question"],
                summary=data.get("summary", ""),
                company_name=company["name"],
                sector=company.get("sector") or "",
                employees=company.get("employees"),
                postcode=postcode,
                place=company.get("place") or "",
                kvk_number=company.get("kvk_number"),
                contact_name=contact["name"],
                email=(contact.get("email") or None) and contact["email"].lower(),
                phone=contact.get("phone"),
                werkplaats=routing.werkplaats,
                consent_privacy=data["consent"]["privacy"],
                consent_followup=data["consent"].get("followup", False),
                source=(data.get("intake") or {}).get("source"),
                maturity=(data.get("intake") or {}).get("maturity"),
                details={**details, ROUTING: routing.as_dict()},
            )
            db.add(ticket)
            db.flush()
            ticket.reference = _reference(ticket)
            db.flush()
            return ticket, True
    except IntegrityError:
        # A concurrent write for the same conversation won: return that one.
        with database.session() as db:
            existing = _existing(db, conversation_id)
            if existing is None:
                raise
            return existing, False


def get_ticket(db: Session, *, reference: str) -> Ticket | None:
    return db.scalar(select(Ticket).where(Ticket.reference == reference))


def list_tickets(
    db: Session,
    *,
    theme: str | None = None,
    status: str | None = None,
    werkplaats: str | None = None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
    limit: int = 200,
) -> list[Ticket]:
    """Newest first. `created_from` is inclusive, `created_before` exclusive (aware, in UTC)."""
    query = select(Ticket).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    if theme:
        query = query.where(Ticket.theme == theme)
    if status:
        query = query.where(Ticket.status == status)
    if werkplaats:
        query = query.where(Ticket.werkplaats == werkplaats)
    if created_from is not None:
        query = query.where(Ticket.created_at >= created_from)
    if created_before is not None:
        query = query.where(Ticket.created_at < created_before)
    return list(db.scalars(query))


class TicketNotFound(LookupError):
    """No ticket with that reference."""


class InvalidTicketChange(ValueError):
    """A status or offer that does not exist; the message says which ones do."""


def _ticket_or_raise(db: Session, reference: str) -> Ticket:
    ticket = get_ticket(db, reference=reference)
    if ticket is None:
        raise TicketNotFound(reference)
    return ticket


def set_status(db: Session, *, reference: str, status: str) -> Ticket:
    """Move a ticket to one of STATUSES (a coordinator's decision)."""
    if status not in STATUSES:
        raise InvalidTicketChange(
            f"unknown status {status!r}; use one of: {', '.join(STATUSES)}"
        )
    ticket = _ticket_or_raise(db, reference)
    ticket.status = status
    db.flush()
    return ticket


def assign_offer(db: Session, *, reference: str, offer: str | None) -> Ticket:
    """Assign one of OFFERS (or its menukaart key, e.g. 'helpdeskuur') to a ticket, or clear it
    with None. The label is stored, as it always was."""
    key = offer_key(offer) if offer is not None else None
    if offer is not None and key is None:
        raise InvalidTicketChange(f"unknown offer {offer!r}; use one of: {', '.join(OFFERS)}")
    ticket = _ticket_or_raise(db, reference)
    ticket.offer = OFFER_LABELS[key] if key is not None else None
    db.flush()
    return ticket


def ticket_dict(ticket: Ticket) -> dict:
    details = ticket.details or {}
    # the routing outcome is a block; a client's own (text) detail of that name stays a detail
    routing = details.get(ROUTING) if isinstance(details.get(ROUTING), dict) else None
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "channel": ticket.channel,
        "conversation_id": ticket.conversation_id,
        "created_at": iso(ticket.created_at),
        "theme": ticket.theme,
        "themes": ticket.themes,
        "question": ticket.question,
        "summary": ticket.summary,
        "company": {
            "name": ticket.company_name,
            "sector": ticket.sector,
            "employees": ticket.employees,
            "postcode": ticket.postcode,
            "place": ticket.place,
            "kvk_number": ticket.kvk_number,
        },
        "contact": {"name": ticket.contact_name, "email": ticket.email, "phone": ticket.phone},
        "werkplaats": ticket.werkplaats,
        "consent": {"privacy": ticket.consent_privacy, "followup": ticket.consent_followup},
        "intake": {"source": ticket.source, "maturity": ticket.maturity},
        "details": {k: v for k, v in details.items() if k != ROUTING or routing is None},
        "offer": ticket.offer,
        "offer_key": offer_key(ticket.offer) if ticket.offer else None,
        "routing": routing,  # None for tickets written before routing existed
    }
