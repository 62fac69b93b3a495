"""The hub's ASGI app factory."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import dashboard, web
from backend.api import callbacks as callbacks_api
from backend.api import contacts as contacts_api
from backend.api import conversations, handover, health, tickets
from backend.api import outbox as outbox_api
from backend.api import werkplaatsen as werkplaatsen_api
from backend.channels import voice, whatsapp
from backend.db import Database
from backend.rasa_client import RasaClient
from backend.services import handover as handover_service
from backend.services.helpdesk_hours import HelpdeskConfigError, load_office_hours
from backend.services.turns import TurnService
from backend.services.werkplaatsen import load_directory
from backend.settings import Settings, load_settings
from backend.telegram import ingress as telegram_ingress
from backend.telegram.helpdesk import TelegramHelpdesk

log = logging.getLogger("backend")


class BodyLimit:
    """Refuse request bodies over the limit with 413, before they are read into memory."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _drain(receive)
            return await _too_large(send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _TooLarge
            return message

        try:
            return await self.app(scope, limited_receive, send)
        except _TooLarge:
            return await _too_large(send)


class _TooLarge(StarletteHTTPException):
    # An HTTPException, so FastAPI's body parsing passes it on (instead of turning it into a
    # 400) when a body without Content-Length (chunked) grows over the limit.
    def __init__(self) -> None:
        super().__init__(413, "request body too large")


async def _drain(receive, limit: int = 16 * 1024 * 1024) -> None:
    """Read (and drop) an oversized body, so the client, still sending, gets to read the 413
    instead of a reset connection. Past `limit` we stop reading and let the server close."""
    seen = 0
    while seen <= limit:
        message = await receive()
        seen += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _too_large(send) -> None:
    body = b'{"detail":"request body too large"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _short(part: object) -> object:
    """A location part as reported back: a (user-chosen) key is cut short."""
    return part[:40] + "..." if isinstance(part, str) and len(part) > 40 else part


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    # Never echo the (possibly huge or personal) input back.
    errors = [{"loc": [_short(p) for p in e.get("loc") or ()], "msg": e.get("msg"),
               "type": e.get("type")} for e in exc.errors()]
    return JSONResponse({"detail": errors}, status_code=422)


def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


def _server_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status_code=500)


async def _sweep_handovers(app: FastAPI) -> None:
    """Conversations nobody claimed in time become callbacks (config/helpdesk.yml)."""
    def sweep() -> None:
        with app.state.db.session() as s:
            handover_service.expire_and_tell(s, hours=app.state.office_hours)

    while True:
        await asyncio.sleep(app.state.settings.handover_sweep_seconds)
        try:
            await run_in_threadpool(sweep)
        except Exception:  # keep sweeping; the next round retries
            log.exception("hand-over sweep failed")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    directory = load_directory(settings.werkplaatsen_file)  # a bad file stops start-up here
    office_hours = load_office_hours(settings.helpdesk_file)
    unknown = set(office_hours.werkplaatsen) - set(directory.names())
    if unknown:
        raise HelpdeskConfigError(
            f"{settings.helpdesk_file.name}: werkplaatsen {sorted(unknown)} are not in "
            f"{settings.werkplaatsen_file.name}"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        sweeper = asyncio.create_task(_sweep_handovers(app))
        await app.state.telegram.start()
        await app.state.whatsapp.start()
        yield
        await app.state.whatsapp.stop()
        sweeper.cancel()
        await app.state.telegram.stop()
        await app.state.rasa.close()
        app.state.db.engine.dispose()

    app = FastAPI(title="Werkplaats intake API", version="1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.directory = directory
    app.state.office_hours = office_hours
    app.state.db = Database(settings.database_url)
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout)
    app.state.turns = TurnService(app.state.db, app.state.rasa)
    app.state.telegram = TelegramHelpdesk(settings, app.state.db, app.state.turns)
    app.state.whatsapp = whatsapp.WhatsAppChannel(settings, app.state.db, app.state.rasa,
                                                  app.state.turns)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    for router in (health.router, conversations.router, tickets.router, handover.router,
                   telegram_ingress.router, web.router, dashboard.router, whatsapp.router,
                   outbox_api.router, contacts_api.router, voice.router, callbacks_api.router,
                   werkplaatsen_api.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(web.HERE / "static")), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
