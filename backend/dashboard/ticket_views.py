"""Tickets in the dashboard: a filtered list, and a ticket page where a coordinator changes the
status and assigns an offer (backend/services/tickets.py does the work)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from backend.dashboard import auth
from backend.dashboard.common import (
    DashboardRoute,
    back,
    checked_form,
    current_staff,
    database,
    error_page,
    render,
    require,
)
from backend.db import Database
from backend.services import tickets

router = APIRouter(route_class=DashboardRoute)
LIMIT = 200


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _utc_midnight(request: Request, day: date) -> datetime:
    """The start of a Dutch calendar day, in UTC (tickets are stored in UTC)."""
    local = datetime.combine(day, time(0), request.app.state.office_hours.tz)
    return local.astimezone(UTC)


@router.get("/tickets")
def ticket_list(request: Request, theme: str = "", status: str = "", werkplaats: str = "",
                van: str = "", tot: str = "",
                staff: auth.StaffContext = Depends(current_staff),
                db: Database = Depends(database)) -> Response:
    start, end = _day(van), _day(tot)
    problems = [f"{raw} is geen geldige datum (gebruik jjjj-mm-dd)"
                for raw, day in ((van, start), (tot, end)) if raw and day is None]
    with db.session() as s:
        rows = tickets.list_tickets(
            s, theme=theme[:40] or None, status=status[:40] or None,
            werkplaats=werkplaats[:120] or None,
            created_from=_utc_midnight(request, start) if start else None,
            created_before=_utc_midnight(request, end + timedelta(days=1)) if end else None,
            limit=LIMIT,
        )
        items = [tickets.ticket_dict(t) for t in rows]
    filters = {"theme": theme, "status": status, "werkplaats": werkplaats, "van": van,
               "tot": tot}
    return render(request, "dashboard/tickets.html", staff, page="tickets", items=items,
                  filters=filters, statuses=tickets.STATUSES, limit=LIMIT, problems=problems,
                  werkplaatsen=request.app.state.directory.names())


@router.get("/tickets/{reference}")
def ticket_page(request: Request, reference: str,
                staff: auth.StaffContext = Depends(current_staff),
                db: Database = Depends(database)) -> Response:
    with db.session() as s:
        ticket = tickets.get_ticket(s, reference=reference[:20])
        item = tickets.ticket_dict(ticket) if ticket else None
    if item is None:
        return error_page(request, staff, 404, f"Er is geen ticket {reference[:20]}.")
    notice = "De wijziging is opgeslagen." if request.query_params.get("melding") else ""
    return render(request, "dashboard/ticket.html", staff, page="tickets", t=item,
                  statuses=tickets.STATUSES, offers=tickets.OFFERS,
                  can_edit=staff.can("coordinator"), notice=notice)


@router.post("/tickets/{reference}")
def change_ticket(request: Request, reference: str,
                  staff: auth.StaffContext = Depends(require("coordinator")),
                  form: dict[str, str] = Depends(checked_form),
                  db: Database = Depends(database)) -> Response:
    """A coordinator sets the status and the offer (an empty offer clears it)."""
    try:
        with db.session() as s:
            if "status" in form:
                tickets.set_status(s, reference=reference, status=form["status"])
            if "offer" in form:
                tickets.assign_offer(s, reference=reference, offer=form["offer"] or None)
    except tickets.TicketNotFound:
        return error_page(request, staff, 404, f"Er is geen ticket {reference[:20]}.")
    except tickets.InvalidTicketChange:
        return error_page(request, staff, 422, "Kies een status en aanbod uit de lijst.")
    return back(f"/dashboard/tickets/{reference}", melding="opgeslagen")
