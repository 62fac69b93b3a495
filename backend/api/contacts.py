"""One person, several channels: a contact (E.164 phone number) and their conversations on
WhatsApp and the phone line, each with its channel and ticket."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select

from backend.api.deps import database, require_staff
from backend.db import Database
from backend.models import Ticket
from backend.services import inbox

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"],
                   dependencies=[Depends(require_staff)])


@router.get("/{phone}")
def contact(phone: str, db: Database = Depends(database)) -> dict:
    phone = phone.strip().replace(" ", "")
    if not inbox.E164.match(phone):
        raise HTTPException(422, "phone must be an E.164 number, e.g. +31612345678")
    with db.session() as s:
        items = inbox.conversations_of_contact(s, contact=phone)
        if not items:
            raise HTTPException(404, "no conversations with this number")
        references = dict(s.execute(select(Ticket.conversation_id, Ticket.reference).where(
            Ticket.conversation_id.in_([i["conversation_id"] for i in items]))).all())
    for item in items:
        item["ticket_reference"] = references.get(item["conversation_id"])
    return {"contact": phone, "conversations": items}
