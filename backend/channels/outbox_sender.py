"""Delivers the outbox (backend/services/outbox.py) through Twilio's Messages API: per
conversation in order, retrying 429/5xx/network errors with exponential backoff, giving up
visibly (status failed, with Twilio's error) after OUTBOX_MAX_ATTEMPTS or at once on a 4xx.
Outside WhatsApp's 24-hour window a row goes out as the configured template, or waits as
needs_template. Retries are stored in the row (next_attempt_at), so they survive a restart."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool

from backend.channels.twilio_client import TwilioError, TwilioMessages
from backend.channels.workers import KeyedWorkers
from backend.db import Database
from backend.services import outbox, whatsapp_text
from backend.settings import Settings

log = logging.getLogger("backend.channels")
STATUS_PATH = "/webhooks/twilio/whatsapp/status"  # Twilio reports delivery (or not) here
NOT_CONFIGURED = ("Twilio is niet ingesteld: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN en "
                  "TWILIO_WHATSAPP_FROM zijn nodig")


@dataclass
class Job:
    row_id: int
    to: str
    body: str
    window_open: bool


class OutboxSender:
    def __init__(self, settings: Settings, db: Database,
                 client: TwilioMessages | None = None) -> None:
        self.settings, self.db = settings, db
        self.configured = bool(settings.twilio_account_sid and settings.twilio_auth_token
                               and settings.twilio_whatsapp_from)
        self.client = client or TwilioMessages(
            account_sid=settings.twilio_account_sid, auth_token=settings.twilio_auth_token,
            api_url=settings.twilio_api_url)
        self.workers = KeyedWorkers(self._deliver, name="outbox")
        self._poller: asyncio.Task | None = None

    def kick(self, conversation_id: str) -> None:
        self.workers.kick(conversation_id)

    async def start(self) -> None:
        self._poller = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._poller:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
        await self.workers.stop()
        await self.client.close()

    async def _poll(self) -> None:
        """Rows whose retry is due, and rows queued by anyone (staff replies, the sweeper)."""
        while True:
            try:
                for conversation_id in await run_in_threadpool(self._due):
                    self.kick(conversation_id)
            except Exception:  # the database may be away for a moment: next round
                log.exception("outbox poll failed")
            await asyncio.sleep(self.settings.outbox_poll_seconds)

    def _due(self) -> list[str]:
        with self.db.session() as s:
            return outbox.due_conversations(s)

    def _next(self, conversation_id: str) -> Job | None:
        with self.db.session() as s:
            row = outbox.next_queued(s, conversation_id=conversation_id)
            if row is None or not outbox.is_due(row):
                return None  # nothing to do, or the oldest waits for its retry: keep the order
            return Job(row.id, row.to, row.body,
                       outbox.window_open(s, conversation_id=conversation_id))

    def _record(self, fn, **kwargs):
        with self.db.session() as s:
            return fn(s, **kwargs)

    async def _deliver(self, conversation_id: str) -> None:
        while (job := await run_in_threadpool(self._next, conversation_id)) is not None:
            if not await self._send(job):
                return  # waiting for a retry: later rows wait too, so they arrive in order

    async def _send(self, job: Job) -> bool:
        """One attempt. False when the row is to be tried again later."""
        if not self.configured:
            await run_in_threadpool(self._record, outbox.fail_unsendable, row_id=job.row_id,
                                    error=NOT_CONFIGURED)
            return True
        template = self.settings.twilio_whatsapp_template_sid
        if not job.window_open and not template:
            await run_in_threadpool(self._record, outbox.mark_needs_template, row_id=job.row_id)
            return True
        content = None if job.window_open else template
        try:
            sid = await self.client.create(
                to=job.to, from_=self.settings.twilio_whatsapp_from,
                body=None if content else job.body, content_sid=content,
                content_variables={"1": whatsapp_text.flatten(job.body)} if content else None,
                status_callback=self.settings.public_base_url + STATUS_PATH)
        except TwilioError as exc:
            log.warning("outbox %s: %s", job.row_id, exc)
            status = await run_in_threadpool(
                self._record, outbox.mark_attempt_failed, row_id=job.row_id, error=str(exc),
                retry=exc.retryable, max_attempts=self.settings.outbox_max_attempts,
                backoff_seconds=self.settings.outbox_backoff_seconds)
            return status != "queued"
        await run_in_threadpool(self._record, outbox.mark_sent, row_id=job.row_id, sid=sid,
                                content_sid=content)
        return True
