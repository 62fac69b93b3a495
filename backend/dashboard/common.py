"""What every dashboard route shares: templates and Dutch labels, the signed-in staff member,
role checks, form parsing with the CSRF check, and security headers on every response."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from backend.dashboard import auth
from backend.db import Database

HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
SESSION_COOKIE = "dw_staff"
LOGIN_COOKIE = "dw_login"
COOKIE_PATH = "/dashboard"
MAX_FORM_BYTES = 32 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

THEMES = {"online_marketing_sales": "Online marketing & sales", "data": "Data",
          "automatisering": "(Kantoor)automatisering", "overig": "Overig"}
STATES = {"bot": "Bij de assistent", "waiting_for_human": "Wacht op een medewerker",
          "human": "In gesprek met de helpdesk", "closed": "Afgesloten"}
CHANNELS = {"webchat": "Webchat", "whatsapp": "WhatsApp", "voice": "Telefoon",
            "phone": "Telefoon", "telegram": "Telegram"}
SENDERS = {"user": "Ondernemer", "bot": "Assistent", "staff": "Helpdesk"}
REASONS = {"asked": "vroeg om een mens", "bot_failed": "assistent kwam er niet uit",
           "frustrated": "ondernemer raakte gefrustreerd", "sensitive": "gevoelig onderwerp",
           "staff": "door medewerker gestart"}


class Denied(Exception):
    """Stop handling a dashboard request and answer with `response` instead."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class DashboardRoute(APIRoute):
    """Turns Denied into its response and adds the security headers to every answer."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except Denied as denied:
                response = denied.response
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return route


# --- formatting ---------------------------------------------------------------------------------

def _tz(request: Request):
    return request.app.state.office_hours.tz


def local_time(request: Request, value: datetime | str | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(_tz(request)).strftime(fmt)


def waiting(seconds: int) -> str:
    """'net binnen', '4 min', '1 u 05 min' (the same as dashboard.js)."""
    minutes = max(0, int(seconds)) // 60
    if minutes < 1:
        return "net binnen"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} u {minutes % 60:02d} min"


templates.env.globals.update(THEMES=THEMES, STATES=STATES, CHANNELS=CHANNELS, SENDERS=SENDERS,
                             REASONS=REASONS)
templates.env.filters["waiting"] = waiting


def render(request: Request, name: str, staff: auth.StaffContext | None, status: int = 200,
           **context) -> HTMLResponse:
    context.update(staff=staff, csrf_token=staff.csrf_token if staff else "",
                   local_time=lambda v, fmt="%d-%m-%Y %H:%M": local_time(request, v, fmt))
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, staff: auth.StaffContext | None, status: int,
               message: str) -> HTMLResponse:
    return render(request, "dashboard/error.html", staff, status=status, status_code=status,
                  message=message)


# --- who is signed in ---------------------------------------------------------------------------

def database(request: Request) -> Database:
    return request.app.state.db


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/dashboard/api/")


def to_login(request: Request) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": "niet ingelogd", "login": "/dashboard/login"}, 401)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/dashboard/login" if request.method != "GET" else (
        f"/dashboard/login?next={quote(here, safe='')}")
    return RedirectResponse(target, status_code=303)


def current_staff(request: Request, db: Database = Depends(database)) -> auth.StaffContext:
    """The signed-in staff member; otherwise to the login page (or 401 for the JSON API)."""
    token = request.cookies.get(SESSION_COOKIE)
    with db.session() as s:
        staff = auth.load_session(s, token=token)
    if staff is None:
        raise Denied(to_login(request))
    return staff


def require(role: str) -> Callable[..., auth.StaffContext]:
    """A dependency: the signed-in staff member, who must be at least `role`."""

    def check(request: Request,
              staff: auth.StaffContext = Depends(current_staff)) -> auth.StaffContext:
        if not staff.can(role):
            if _is_api(request):
                raise Denied(JSONResponse({"detail": "geen toegang"}, 403))
            raise Denied(error_page(request, staff, 403, "Dit mag alleen een "
                                    f"{auth.ROLE_NAMES[role]} of beheerder doen."))
        return staff

    return check


# --- forms --------------------------------------------------------------------------------------

async def read_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as {name: first value} (no extra dependency)."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if len(body) > MAX_FORM_BYTES:
        raise Denied(HTMLResponse("Formulier te groot", status_code=413))
    if kind != "application/x-www-form-urlencoded":
        return {}
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {key: values[0] for key, values in parsed.items()}


def checked_form(request: Request, form: dict[str, str] = Depends(read_form),
                 staff: auth.StaffContext = Depends(current_staff)) -> dict[str, str]:
    """The posted form, after checking its CSRF token against the session's."""
    if not auth.same_token(staff.csrf_token, form.get("csrf_token")):
        raise Denied(error_page(request, staff, 403, "Dit formulier is verlopen of niet van "
                                "het dashboard afkomstig. Ga terug, vernieuw de pagina en "
                                "probeer het opnieuw."))
    return form


def back(path: str, **query: str) -> RedirectResponse:
    """After a POST: back to a dashboard page (303, so the browser GETs it)."""
    params = "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items() if v)
    return RedirectResponse(path + (f"?{params}" if params else ""), status_code=303)


async def in_thread(fn: Callable, *args, **kwargs):
    return await run_in_threadpool(fn, *args, **kwargs)
