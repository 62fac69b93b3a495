"""Callback requests in the dashboard: the open ones (newest first), each with a 'gedaan'
button (a CSRF-checked form) once someone has called the entrepreneur back."""

from __future__ import annotations

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
)
from backend.db import Database
from backend.services import callbacks

router = APIRouter(route_class=DashboardRoute)
PAGE = "/dashboard/terugbellen"
LIMIT = 200
REASONS = {
    "outside_hours": "buiten openingstijden",
    "no_answer": "niemand nam op",
    "caller_choice": "koos zelf voor terugbellen",
    "claim_timeout": "niemand pakte het op",
    "hangup": "hing op tijdens het wachten",
    "bot_down": "assistent was niet bereikbaar",
}


@router.get("/terugbellen")
def callback_list(request: Request, staff: auth.StaffContext = Depends(current_staff),
                  db: Database = Depends(database)) -> Response:
    with db.session() as s:
        items = callbacks.listing(s, status="open", limit=LIMIT)
    done = request.query_params.get("gedaan", "")[:20]
    notice = f"{done} staat op gedaan." if done else ""
    return render(request, "dashboard/callbacks.html", staff, page="callbacks", items=items,
                  reasons=REASONS, notice=notice)


@router.post("/terugbellen/{key}/gedaan")
def callback_done(request: Request, key: str,
                  staff: auth.StaffContext = Depends(current_staff),
                  form: dict[str, str] = Depends(checked_form),
                  db: Database = Depends(database)) -> Response:
    note = form.get("notitie", "").strip()[:2000]
    try:
        with db.session() as s:
            row = callbacks.mark_done(s, key=key[:20], staff=staff.email, note=note)
    except callbacks.CallbackNotFound:
        return error_page(request, staff, 404, "Dit terugbelverzoek bestaat niet.")
    except callbacks.CallbackConflict:
        return error_page(request, staff, 409, "Iemand anders heeft dit terugbelverzoek al op "
                          "gedaan gezet.")
    return back(PAGE, gedaan=row["reference"])
