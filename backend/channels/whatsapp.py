"""WhatsApp through Twilio: POST /webhooks/twilio/whatsapp.

The webhook checks Twilio's signature, records the message durably (the MessageSid is unique,
so a duplicate, also a concurrent one, is a no-op), answers empty TwiML at once and leaves the
turn to a per-conversation background worker (backend/channels/whatsapp_inbound.py). Replies go
out through the outbox (backend/channels/outbox_sender.py). On start-up, messages that were
recorded but not answered yet are picked up again."""

from __future__ import annotations

import asyncio
import logging
import weakref

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from backend.channels.outbox_sender import STATUS_PATH, OutboxSender
from backend.channels.twilio_security import twilio_form
from backend.channels.whatsapp_inbound import InboundProcessor
from backend.channels.workers import KeyedWorkers
from backend.db import Database
from backend.rasa_client import RasaClient
from backend.services import inbox, outbox, whatsapp_text
from backend.services.conversations import clean_text
from backend.services.turns import TurnService
from backend.settings import Settings

log = logging.getLogger("backend.channels")
router = APIRouter(tags=["whatsapp"])
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
CHANNEL = "whatsapp"
SWEEP_SECONDS = 30.0


class WhatsAppChannel:
    def __init__(self, settings: Settings, db: Database, rasa: RasaClient,
                 turns: TurnService) -> None:
        self.settings, self.db = settings, db
        self.sender = OutboxSender(settings, db)
        processor = InboundProcessor(settings, db, rasa, turns, answered=self.sender.kick)
        self.inbound = KeyedWorkers(processor.run, name="whatsapp")
        self._contact_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        self._sweeper: asyncio.Task | None = None

    def contact_lock(self, phone: str) -> asyncio.Lock:
        """One webhook at a time per sender: two first messages make one conversation."""
        lock = self._contact_locks.get(phone)
        if lock is None:
            lock = self._contact_locks[phone] = asyncio.Lock()
        return lock

    async def start(self) -> None:
        await self.sender.start()
        self._sweeper = asyncio.create_task(self._sweep())

    async def stop(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        await self.inbound.stop()
        await self.sender.stop()

    async def _sweep(self) -> None:
        """At start-up, and now and then: recorded messages nobody answered yet (a restart,
        a database hiccup) are answered after all, in order."""
        while True:
            try:
                for conversation_id in await run_in_threadpool(self._waiting):
                    self.inbound.kick(conversation_id)
            except Exception:
                log.exception("WhatsApp sweep failed")
            await asyncio.sleep(SWEEP_SECONDS)

    def _waiting(self) -> list[str]:
        with self.db.session() as s:
            return inbox.waiting_conversations(s)

    def record(self, *, phone: str, sid: str, text: str,
               profile_name: str | None) -> inbox.Recorded | None:
        try:
            with self.db.session() as s:
                return inbox.record_inbound(s, channel=CHANNEL, contact=phone, provider_id=sid,
                                            text=text, profile_name=profile_name)
        except IntegrityError:  # the same MessageSid, recorded a moment ago by another request
            return None

    def undelivered(self, *, sid: str, status: str, code: str, message: str) -> None:
        with self.db.session() as s:
            outbox.delivery_failed(s, sid=sid, status=status, code=code, message=message[:300])


def _twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post(STATUS_PATH)
async def whatsapp_status(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """Twilio's status callback for a message we sent: a failed delivery shows in the outbox."""
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    if status in ("failed", "undelivered") and form.get("MessageSid"):
        channel: WhatsAppChannel = request.app.state.whatsapp
        await run_in_threadpool(channel.undelivered, sid=form["MessageSid"], status=status,
                                code=form.get("ErrorCode", ""),
                                message=form.get("ErrorMessage", ""))
    return _twiml()


@router.post("/webhooks/twilio/whatsapp")
async def whatsapp_webhook(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """Twilio's incoming-message webhook (form-encoded; signed)."""
    channel: WhatsAppChannel = request.app.state.whatsapp
    phone = inbox.phone_of(form.get("From", ""))
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    if phone is None or not sid or len(sid) > 64:
        raise HTTPException(400, "not a WhatsApp message (From whatsapp:+..., MessageSid)")
    text = clean_text(whatsapp_text.describe_inbound(form))[: channel.settings.max_text_chars]
    profile = clean_text(form.get("ProfileName", ""))[:120] or None
    async with channel.contact_lock(phone):
        recorded = await run_in_threadpool(channel.record, phone=phone, sid=sid,
                                           text=text or whatsapp_text.EMPTY,
                                           profile_name=profile)
    if recorded is not None:
        channel.inbound.kick(recorded.conversation_id)
    return _twiml()
