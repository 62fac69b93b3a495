"""A conversation in the dashboard: the transcript, the draft or final ticket, a reply box, and
claim / reply / release / close (backend/services/handover.py does the work)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.dashboard import auth, draft
from backend.dashboard.common import (
    CHANNELS,
    REASONS,
    SENDERS,
    STATES,
    DashboardRoute,
    back,
    checked_form,
    current_staff,
    database,
    error_page,
    in_thread,
    local_time,
    render,
)
from backend.db import Database
from backend.models import Conversation, Ticket
from backend.rasa_client import RasaUnavailable
from backend.services import conversations, handover, tickets

router = APIRouter(route_class=DashboardRoute)
OUTCOMES = ("vraag beantwoord", "intake afgerond met ticket", "doorverwezen",
            "terugbelafspraak gemaakt", "geen reactie van de ondernemer",
            "geen echte vraag")
NOTICES = {
    "geclaimd": "Je hebt het gesprek overgenomen. De ondernemer ziet dat er een medewerker is.",
    "verstuurd": "Je bericht is verstuurd.",
    "teruggegeven": "Het gesprek is teruggegeven aan de assistent.",
    "teruggegeven-stil": "Het gesprek is teruggegeven aan de assistent. De assistent is even "
                         "niet bereikbaar en reageert op het volgende bericht van de ondernemer.",
    "afgesloten": "Het gesprek is afgesloten.",
}
ERRORS = {
    "bezet": "Iemand anders heeft dit gesprek al overgenomen.",
    "status": "Dat kan niet (meer): de status van het gesprek is intussen veranderd.",
    "niet-van-jou": "Je kunt alleen antwoorden in een gesprek dat jij hebt overgenomen.",
    "geen-recht": "Alleen wie het gesprek heeft overgenomen (of een coördinator) kan dit doen.",
    "leeg": "Typ eerst een bericht.",
    "te-lang": "Je bericht is te lang: maximaal 5000 tekens.",
    "uitkomst": "Kies een uitkomst om het gesprek af te sluiten.",
}


def _page(cid: str) -> str:
    return f"/dashboard/conversations/{cid}"


def _find(s: Session, cid: str) -> Conversation | None:
    return s.get(Conversation, cid) if len(cid) <= 40 else None


def _ticket(s: Session, cid: str) -> Ticket | None:
    return s.scalar(select(Ticket).where(Ticket.conversation_id == cid))


def _messages(request: Request, items: list[dict]) -> list[dict]:
    return [{"from": m["from"], "who": SENDERS.get(m["from"], m["from"]), "text": m["text"],
             "at": local_time(request, m["at"], "%H:%M"),
             "at_full": local_time(request, m["at"])} for m in items]


def _view(request: Request, s: Session, cid: str, staff: auth.StaffContext,
          since: int = 0) -> dict | None:
    """The conversation as the page (and its JSON) shows it, with the messages after the
    first `since`."""
    c = _find(s, cid)
    if c is None:
        return None
    transcript = conversations.transcript(s, conversation_id=cid)
    ticket = _ticket(s, cid)
    names = auth.display_names(s, {c.assigned_to} if c.assigned_to else set())
    mine = c.state == "human" and c.assigned_to == staff.email
    manage = mine or staff.can("coordinator") or c.state != "human"
    return {
        "id": c.id, "state": c.state, "state_label": STATES.get(c.state, c.state),
        "channel": CHANNELS.get(c.channel, c.channel),
        "reason": REASONS.get(c.handover_reason or "", c.handover_reason or ""),
        "requested_at": local_time(request, c.handover_requested_at),
        "callback": c.callback, "outcome": c.outcome,
        "assigned_to": names.get(c.assigned_to or "", c.assigned_to),
        "mine": mine,
        "actions": {  # which forms the page shows (the routes check again)
            "claim": c.state in ("bot", "waiting_for_human"),
            "reply": mine,
            "release": manage and c.state in ("human", "waiting_for_human"),
            "close": manage and c.state != "closed",
        },
        "ticket_reference": ticket.reference if ticket else None,
        "ticket": tickets.ticket_dict(ticket) if ticket else None,
        "message_count": len(transcript),
        "messages": _messages(request, transcript[max(0, since):]),
    }


@router.get("/conversations/{cid}")
async def conversation_page(request: Request, cid: str,
                            staff: auth.StaffContext = Depends(current_staff),
                            db: Database = Depends(database)) -> Response:
    def load() -> dict | None:
        with db.session() as s:
            return _view(request, s, cid, staff)

    view = await in_thread(load)
    if view is None:
        return error_page(request, staff, 404, "Dit gesprek bestaat niet (meer).")
    draft_rows = None
    if view["ticket"] is None:
        draft_rows = await draft.fetch_draft(request.app.state.settings, cid)
    q = request.query_params
    return render(request, "dashboard/conversation.html", staff, page="conversation", c=view,
                  draft=draft_rows, outcomes=OUTCOMES,
                  notice=NOTICES.get(q.get("melding", ""), ""),
                  error=ERRORS.get(q.get("fout", ""), ""))


@router.get("/api/conversations/{cid}")
def conversation_json(request: Request, cid: str, since: int = 0,
                      staff: auth.StaffContext = Depends(current_staff),
                      db: Database = Depends(database)) -> JSONResponse:
    """What changed, for the page's poll: the state and the messages after the first `since`."""
    with db.session() as s:
        view = _view(request, s, cid, staff, since=since)
    if view is None:
        return JSONResponse({"detail": "gesprek niet gevonden"}, 404)
    view.pop("ticket")
    return JSONResponse(view)


def _act(db: Database, cid: str, fn, **kwargs) -> str:
    """Run a hand-over step; returns '' or an error code for the page."""
    try:
        with db.session() as s:
            fn(s, conversation_id=cid, **kwargs)
    except handover.HandoverConflict as exc:
        return "bezet" if "already claimed" in str(exc) else "status"
    return ""


def _may_manage(db: Database, cid: str, staff: auth.StaffContext) -> str | None:
    """None when the conversation is gone, else '' (allowed) or an error code."""
    with db.session() as s:
        c = _find(s, cid)
        if c is None:
            return None
        if c.state == "human" and c.assigned_to != staff.email and not staff.can("coordinator"):
            return "geen-recht"
        return ""


@router.post("/conversations/{cid}/claim")
def claim(request: Request, cid: str, staff: auth.StaffContext = Depends(current_staff),
          _form: dict = Depends(checked_form), db: Database = Depends(database)) -> Response:
    with db.session() as s:
        if _find(s, cid) is None:
            return error_page(request, staff, 404, "Dit gesprek bestaat niet (meer).")
    error = _act(db, cid, handover.claim, staff=staff.email)
    return back(_page(cid), fout=error, melding="" if error else "geclaimd")


@router.post("/conversations/{cid}/reply")
def reply(request: Request, cid: str, staff: auth.StaffContext = Depends(current_staff),
          form: dict = Depends(checked_form), db: Database = Depends(database)) -> Response:
    text = conversations.clean_text(form.get("text", ""))
    with db.session() as s:
        c = _find(s, cid)
        if c is None:
            return error_page(request, staff, 404, "Dit gesprek bestaat niet (meer).")
        mine = c.state == "human" and c.assigned_to == staff.email
    error = ("niet-van-jou" if not mine else "leeg" if not text
             else "te-lang" if len(text) > 5000 else "")
    if not error:
        error = _act(db, cid, handover.reply, staff=staff.email, text=text)
    return back(_page(cid), fout=error, melding="" if error else "verstuurd")


@router.post("/conversations/{cid}/release")
async def release(request: Request, cid: str, staff: auth.StaffContext = Depends(current_staff),
                  _form: dict = Depends(checked_form),
                  db: Database = Depends(database)) -> Response:
    allowed = await in_thread(_may_manage, db, cid, staff)
    if allowed is None:
        return error_page(request, staff, 404, "Dit gesprek bestaat niet (meer).")
    error = allowed or await in_thread(_act, db, cid, handover.release)
    if error:
        return back(_page(cid), fout=error)
    try:  # the bot says it is back and picks up the intake where it stopped
        await request.app.state.turns.resume(conversation_id=cid)
    except RasaUnavailable:
        return back(_page(cid), melding="teruggegeven-stil")
    return back(_page(cid), melding="teruggegeven")


@router.post("/conversations/{cid}/close")
def close(request: Request, cid: str, staff: auth.StaffContext = Depends(current_staff),
          form: dict = Depends(checked_form), db: Database = Depends(database)) -> Response:
    allowed = _may_manage(db, cid, staff)
    if allowed is None:
        return error_page(request, staff, 404, "Dit gesprek bestaat niet (meer).")
    outcome = form.get("outcome", "")
    note = conversations.clean_text(form.get("note", ""))
    error = allowed or ("" if outcome in OUTCOMES else "uitkomst")
    if not error:
        full = f"{outcome}: {note}" if note else outcome
        error = _act(db, cid, handover.close, outcome=full[:200])
    return back(_page(cid), fout=error, melding="" if error else "afgesloten")
