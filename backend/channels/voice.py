"""The phone line through Twilio Voice. Every webhook checks Twilio's signature first
(backend/channels/twilio_security.py; 403 otherwise):

- POST /webhooks/twilio/voice          an incoming call: the bot's greeting
- POST /webhooks/twilio/voice/gather   a Gather's action: what the caller said or keyed
- POST /webhooks/twilio/voice/pending  a turn that needed more than VOICE_TURN_TIMEOUT
- POST /webhooks/twilio/voice/dial     the <Dial> to the helpdesk ended (DialCallStatus)
- POST /webhooks/twilio/voice/status   the call ended (the number's status callback URL)

One conversation per call (its CallSid), channel voice, contact the caller's number; Rasa gets
{"channel": "voice", "phone": From} as metadata, so the bot does not ask for the phone number.
Every bot message is spoken in Dutch inside a <Gather> (speech and keys); what a turn does is in
backend/channels/voice_flow.py, the TwiML in voice_twiml.py, the database side in voice_store.py.
After the bot's hand-over the call is put through to the helpdesk during office hours (<Dial>),
otherwise the caller gets a callback request; a <Dial> nobody answers does too."""

from __future__ import annotations

import logging
import re

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from backend.channels import voice_flow as flow
from backend.channels import voice_store as store
from backend.channels.twilio_security import twilio_form
from backend.channels.voice_budget import TurnBudget
from backend.channels.voice_twiml import (
    DIAL_PATH,
    GATHER_PATH,
    PENDING_PATH,
    STATUS_PATH,
    VOICE_PATH,
    Answer,
    Where,
    twiml,
)
from backend.services.inbox import E164

log = logging.getLogger("backend.channels")
router = APIRouter(tags=["voice"])
CHANNEL = store.CHANNEL
_CALL_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")
CALL_STATUSES = ("queued", "initiated", "ringing", "in-progress", *store.FINAL_STATUSES)
DIAL_ANSWERED = ("completed", "answered")
MAX_WAITS = 5  # "Een ogenblikje." at most this often in a row
NOBODY_ANSWERED = ("Er neemt helaas niemand op. Een medewerker belt je zo snel mogelijk terug "
                   "op dit nummer. Tot ziens!")
ON_WHATSAPP = "We gaan verder via WhatsApp. Tot ziens!"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _phone(form: dict[str, str]) -> str | None:
    number = (form.get("From") or "").strip()
    return number if E164.match(number) else None


def _call_sid(form: dict[str, str]) -> str:
    sid = form.get("CallSid") or ""
    if not _CALL_SID.match(sid):
        raise HTTPException(400, "not a Twilio call (CallSid)")
    return sid


def _budget(request: Request) -> TurnBudget:
    state = request.app.state
    if getattr(state, "voice_budget", None) is None:
        state.voice_budget = TurnBudget()
    return state.voice_budget


async def _within_budget(request: Request, call_sid: str, work) -> Response:
    """Run the turn; answer with its TwiML, or with "Een ogenblikje." and a <Redirect> to the
    pending URL when the bot needs more than VOICE_TURN_TIMEOUT."""
    settings = request.app.state.settings
    try:
        answer = await _budget(request).run(call_sid, work, settings.voice_turn_timeout)
    except Exception:  # never 'an application error has occurred': ask to say it again
        log.exception("voice turn for call %s failed", call_sid)
        answer = Answer([flow.NO_REPLY])
    return twiml(settings, answer if answer is not None else Answer(then="wait"))


@router.post(VOICE_PATH)
async def voice_call(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """Twilio's incoming-call webhook (form-encoded; signed): the bot's greeting."""
    call_sid, phone = _call_sid(form), _phone(form)
    line = flow.Line.of(request.app.state)
    conversation_id, greeted = await run_in_threadpool(store.find_or_create, line.db, call_sid,
                                                       phone)
    return await _within_budget(request, call_sid,
                                flow.greet(line, conversation_id, phone, greeted))


@router.post(GATHER_PATH)
async def voice_gather(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """The Gather's action: what the caller said (SpeechResult) or keyed (Digits)."""
    call_sid, phone = _call_sid(form), _phone(form)
    line = flow.Line.of(request.app.state)
    found = await run_in_threadpool(store.find, line.db, call_sid)
    if found is None:  # the call webhook never reached us: start here
        conversation_id, greeted = await run_in_threadpool(store.find_or_create, line.db,
                                                           call_sid, phone)
        return await _within_budget(request, call_sid,
                                    flow.greet(line, conversation_id, phone, greeted))
    conversation_id, channel = found
    if channel != CHANNEL:  # the caller chose to go on over WhatsApp
        return twiml(line.settings, Answer([ON_WHATSAPP], then="hangup"))
    if form.get("SpeechResult"):
        log.info("call %s: speech (confidence %s)", conversation_id,
                 form.get("Confidence", "?"))
    work = flow.turn(line, conversation_id, phone, Where.of(request),
                     form.get("SpeechResult") or "", form.get("Digits") or "")
    return await _within_budget(request, call_sid, work)


@router.post(PENDING_PATH)
async def voice_pending(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """After "Een ogenblikje.": the slow turn's answer once it is done."""
    call_sid = _call_sid(form)
    line = flow.Line.of(request.app.state)
    raw = request.query_params.get("wait", "1")
    waited = int(raw) if raw.isdigit() and len(raw) < 3 else MAX_WAITS
    found = await run_in_threadpool(store.find, line.db, call_sid)
    if found is None:
        raise HTTPException(404, "unknown call")
    try:
        answer = await _budget(request).wait(call_sid, line.settings.voice_turn_timeout)
    except KeyError:  # not running here (a restart): what the transcript holds
        answer = await flow.again(line, found[0])
    except Exception:
        log.exception("voice turn for %s failed", found[0])
        answer = await flow.again(line, found[0], flow.NO_REPLY)
    if answer is None:
        if waited < MAX_WAITS:
            return twiml(line.settings, Answer(then="wait"), waited=waited)
        answer = await flow.again(line, found[0], flow.TOO_LONG)
    return twiml(line.settings, answer)


@router.post(DIAL_PATH)
async def voice_dial(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """The <Dial> to the helpdesk ended. Answered: the call is over, the conversation is the
    helpdesk's. Busy, not answered, failed or canceled: a callback request."""
    call_sid = _call_sid(form)
    status = (form.get("DialCallStatus") or "").strip()
    if not status:
        raise HTTPException(400, "DialCallStatus is missing")
    line = flow.Line.of(request.app.state)
    found = await run_in_threadpool(store.find, line.db, call_sid)
    if found is None:
        raise HTTPException(404, "unknown call")
    answered = status in DIAL_ANSWERED
    await run_in_threadpool(store.dial_ended, line.db, found[0], answered, NOBODY_ANSWERED)
    if answered:
        return twiml(line.settings, Answer(then="hangup"))
    log.info("call %s: helpdesk did not answer (%s)", found[0], status)
    return twiml(line.settings, Answer([NOBODY_ANSWERED], then="hangup"))


@router.post(STATUS_PATH)
async def voice_status(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """The number's status callback: the final CallStatus and its time, recorded once. A
    caller who hung up while waiting for a person gets a callback request."""
    call_sid = _call_sid(form)
    status = (form.get("CallStatus") or "").strip()
    if status not in CALL_STATUSES:
        raise HTTPException(400, "CallStatus is missing or unknown")
    if status in store.FINAL_STATUSES:
        db = request.app.state.db
        if await run_in_threadpool(store.call_ended, db, call_sid, status) is None:
            raise HTTPException(404, "unknown call")
    return Response(EMPTY_TWIML, media_type="text/xml")
