"""Dashboard pages: login/logout, the live queue, the helpdesk switch. The conversation and
ticket pages live in conversation_views.py and ticket_views.py; `router` holds them all."""

from __future__ import annotations

import secrets
import threading

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from backend.dashboard import auth, callback_views, conversation_views, ticket_views
from backend.dashboard.common import (
    CHANNELS,
    COOKIE_PATH,
    LOGIN_COOKIE,
    REASONS,
    SESSION_COOKIE,
    THEMES,
    DashboardRoute,
    back,
    checked_form,
    current_staff,
    database,
    error_page,
    read_form,
    render,
    require,
)
from backend.db import Database
from backend.services import handover

router = APIRouter(prefix="/dashboard", include_in_schema=False, route_class=DashboardRoute)
_limiter_lock = threading.Lock()
SWITCH = {"open": True, "closed": False, "auto": None}


def _limiters(request: Request) -> tuple[auth.LoginLimiter, auth.LoginLimiter]:
    """(per e-mail and address: 5 failures / 15 min, per address: 30 / 15 min), per app."""
    state = request.app.state
    with _limiter_lock:
        if not hasattr(state, "dashboard_login_limiters"):
            state.dashboard_login_limiters = (auth.LoginLimiter(5), auth.LoginLimiter(30))
    return state.dashboard_login_limiters


def _secure(request: Request) -> bool:
    return request.app.state.settings.public_base_url.startswith("https://")


def _safe_next(value: str | None) -> str:
    """Only back into the dashboard, never to another site ('//evil', '/\\evil')."""
    if value and value.startswith("/dashboard") and "\\" not in value and "//" not in value:
        return value
    return "/dashboard"


def _login_page(request: Request, *, error: str = "", status: int = 200, email: str = "",
                next_url: str = "/dashboard", notice: str = "") -> Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = render(request, "dashboard/login.html", None, status=status, error=error,
                      email=email, next_url=_safe_next(next_url), login_token=token,
                      notice=notice)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, path=COOKIE_PATH, httponly=True,
                        samesite="lax", secure=_secure(request))
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None, db: Database = Depends(database)):
    with db.session() as s:
        if auth.load_session(s, token=request.cookies.get(SESSION_COOKIE)) is not None:
            return RedirectResponse(_safe_next(next), status_code=303)
    notice = "Je bent uitgelogd." if "uitgelogd" in request.query_params else ""
    return _login_page(request, next_url=next or "/dashboard", notice=notice)


@router.post("/login")
def login(request: Request, form: dict[str, str] = Depends(read_form),
          db: Database = Depends(database)) -> Response:
    email = auth.normalise_email(form.get("email", ""))[:254]
    password, next_url = form.get("password", ""), form.get("next", "/dashboard")
    if not auth.same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf_token")):
        return _login_page(request, status=403, email=email, next_url=next_url,
                           error="Het formulier was verlopen. Probeer het nog een keer.")
    client = request.client.host if request.client else "?"
    per_account, per_address = _limiters(request)
    account_key = f"{client}|{email}"
    if per_account.blocked(account_key) or per_address.blocked(client):
        return _login_page(request, status=429, email=email, next_url=next_url,
                           error="Te veel mislukte pogingen. Wacht een kwartier en probeer "
                                 "het dan opnieuw.")
    with db.session() as s:
        user = auth.authenticate(s, email=email, password=password)
        token = auth.start_session(s, user=user) if user else None
    if token is None:
        per_account.failed(account_key)
        per_address.failed(client)
        return _login_page(request, status=401, email=email, next_url=next_url,
                           error="Dit e-mailadres en wachtwoord horen niet bij elkaar.")
    per_account.succeeded(account_key)
    response = RedirectResponse(_safe_next(next_url), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(auth.SESSION_TTL.total_seconds()),
                        path=COOKIE_PATH, httponly=True, samesite="lax", secure=_secure(request))
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)
    return response


@router.post("/logout")
def logout(request: Request, _form: dict[str, str] = Depends(checked_form),
           db: Database = Depends(database)) -> Response:
    with db.session() as s:
        auth.end_session(s, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/dashboard/login?uitgelogd=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


# --- the queue ----------------------------------------------------------------------------------

def queue_snapshot(request: Request, db: Database) -> dict:
    """Everything the queue page shows; the page renders it and dashboard.js polls it."""
    with db.session() as s:
        items = handover.queue(s, include_claimed=True)
        status = handover.availability(s, request.app.state.office_hours)
        names = auth.display_names(s, {i["assigned_to"] for i in items if i["assigned_to"]})
    rows = [{
        "conversation_id": i["conversation_id"],
        "url": f"/dashboard/conversations/{i['conversation_id']}",
        "state": i["state"],
        "channel": CHANNELS.get(i["channel"], i["channel"]),
        "theme": THEMES.get(i["theme"] or "", "nog onbekend"),
        "summary": i["summary"] or "",
        "ticket_reference": i["ticket_reference"],
        "waiting_seconds": i["waiting_seconds"],
        "requested_at": i["requested_at"],
        "assigned_to": names.get(i["assigned_to"] or "", i["assigned_to"]),
        "callback": i["callback"],
        "reason": REASONS.get(i["reason"] or "", i["reason"] or ""),
    } for i in items]
    return {
        "waiting": [r for r in rows if r["state"] == "waiting_for_human"],
        "claimed": [r for r in rows if r["state"] == "human"],
        "helpdesk": {
            "open": status["open"],
            "override": {True: "open", False: "closed", None: "auto"}[status["override"]],
            "scheduled_open": status["scheduled_open"],
            "next_opening": status["next_opening"],
        },
    }


@router.get("")
def queue_page(request: Request, staff: auth.StaffContext = Depends(current_staff),
               db: Database = Depends(database)) -> Response:
    notice = "De helpdesk-stand is aangepast." if "schakelaar" in request.query_params else ""
    return render(request, "dashboard/queue.html", staff, page="queue", notice=notice,
                  **queue_snapshot(request, db))


@router.get("/api/queue")
def queue_json(request: Request, _staff: auth.StaffContext = Depends(current_staff),
               db: Database = Depends(database)) -> JSONResponse:
    return JSONResponse(queue_snapshot(request, db))


@router.post("/helpdesk")
def helpdesk_switch(request: Request,
                    staff: auth.StaffContext = Depends(require("coordinator")),
                    form: dict[str, str] = Depends(checked_form),
                    db: Database = Depends(database)) -> Response:
    """The coordinator's switch: open or close the helpdesk now, or follow the hours again."""
    if form.get("stand") not in SWITCH:
        return error_page(request, staff, 422, "Kies open, gesloten of volgens de "
                          "openingstijden.")
    with db.session() as s:
        handover.set_override(s, open_now=SWITCH[form["stand"]], by=staff.email)
    return back("/dashboard", schakelaar="1")


router.include_router(conversation_views.router)
router.include_router(callback_views.router)
router.include_router(ticket_views.router)
