"""The phone line through Twilio Voice: POST /webhooks/twilio/voice (an incoming call) and
POST /webhooks/twilio/voice/gather (what the caller said or keyed).

Both check Twilio's signature (backend/channels/twilio_security.py) before anything happens.
One conversation per call (its CallSid), channel voice, contact the caller's number; Rasa gets
{"channel": "voice", "phone": From} as metadata, like WhatsApp, so the bot does not ask for the
phone number. The turn is synchronous: Twilio waits for the TwiML, in which every bot message
is spoken in Dutch inside a <Gather> (speech and keys). Silence is asked about once; the second
time the caller hears the alternatives, a callback is requested and the call ends. After the
bot's hand-over (state waiting_for_human) the call is put through to the helpdesk during office
hours (<Dial>), otherwise the caller hears when someone calls back. While a person has the
conversation the bot stays silent."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from twilio.twiml.voice_response import VoiceResponse

from backend.channels.twilio_security import twilio_form
from backend.models import Conversation, Message, utcnow
from backend.rasa_client import BotMessage, RasaUnavailable
from backend.services import conversations, handover, voice_text
from backend.services.conversations import clean_text
from backend.services.inbox import E164
from backend.services.turns import START_INTENT, for_rasa

log = logging.getLogger("backend.channels")
router = APIRouter(tags=["voice"])
CHANNEL = "voice"
VOICE_PATH = "/webhooks/twilio/voice"
GATHER_PATH = VOICE_PATH + "/gather"
LANGUAGE = "nl-NL"
_CALL_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")

NOTHING_HEARD = "Ik hoorde niets."
GIVE_UP = (
    "Ik hoor je helaas nog steeds niet. Je kunt ook verder via WhatsApp met dit nummer, of we "
    "bellen je terug. Ik heb een terugbelverzoek voor je gemaakt. Tot ziens!"
)
BOT_DOWN = "Sorry, de assistent is even niet bereikbaar. Probeer het nog eens."
BOT_DOWN_AT_START = (
    "Sorry, de assistent is even niet bereikbaar. Ik heb een terugbelverzoek voor je gemaakt: "
    "een medewerker belt je terug. Tot ziens!"
)
NO_REPLY = "Sorry, daar ging iets mis. Kun je het nog eens zeggen?"
PUT_THROUGH = "Ik verbind je door met een medewerker van de helpdesk. Een moment geduld."
NOBODY_ANSWERED = "Er neemt helaas niemand op. We bellen je zo snel mogelijk terug. Tot ziens!"
CALLBACK = "Een medewerker van de helpdesk belt je {when} terug op dit nummer. Tot ziens!"
PERSON_HAS_IT = "Een medewerker heeft je vraag en neemt contact met je op. Tot ziens!"


@dataclass
class Answer:
    """What to say, and how the call goes on."""

    says: list[str] = field(default_factory=list)
    hint_text: str = ""
    buttons: list[dict] = field(default_factory=list)
    then: str = "gather"  # gather | dial | hangup
    silent: int = 0


def _phone(form: dict[str, str]) -> str | None:
    number = (form.get("From") or "").strip()
    return number if E164.match(number) else None


def _call_sid(form: dict[str, str]) -> str:
    sid = form.get("CallSid") or ""
    if not _CALL_SID.match(sid):
        raise HTTPException(400, "not a Twilio call (CallSid)")
    return sid


def _metadata(phone: str | None) -> dict:
    return {"channel": CHANNEL, "phone": phone} if phone else {"channel": CHANNEL}


# ---------- the database side (sync, one unit of work each) ----------

def _find_or_create(db, call_sid: str, phone: str | None) -> tuple[str, bool]:
    """(conversation id, greeted already) of this call."""
    with db.session() as s:
        conversation = s.scalar(select(Conversation).where(Conversation.call_sid == call_sid,
                                                           Conversation.channel == CHANNEL))
        if conversation is None:
            conversation, _token = conversations.create_conversation(s, channel=CHANNEL)
            conversation.contact = phone
            conversation.call_sid = call_sid
            s.flush()
        return conversation.id, conversation.greeted_at is not None


def _find(db, call_sid: str) -> str | None:
    with db.session() as s:
        return s.scalar(select(Conversation.id).where(Conversation.call_sid == call_sid,
                                                      Conversation.channel == CHANNEL))


def _last_bot_turn(db, conversation_id: str) -> list[BotMessage]:
    """The bot's messages since the caller last spoke (the question being asked)."""
    with db.session() as s:
        recent = s.scalars(select(Message).where(Message.conversation_id == conversation_id)
                           .order_by(Message.id.desc()).limit(20))
        turn: list[BotMessage] = []
        for message in recent:
            if message.sender != "bot":
                break
            turn.append(BotMessage(message.text, list(message.buttons or [])))
        return list(reversed(turn))


def _record_user(db, conversation_id: str, text: str) -> str:
    """Record what the caller said; return the conversation's state (a closed one reopens)."""
    with db.session() as s:
        message = conversations.add_message(s, conversation_id=conversation_id, sender="user",
                                            text=text)
        message.processed_at = utcnow()
        state, _ = conversations.state_of(s, conversation_id=conversation_id)
        if state == "closed":
            conversations.reopen(s, conversation_id=conversation_id)
            state = "bot"
        return state


def _record_bot(db, conversation_id: str, replies: list[BotMessage],
                greeted: bool = False) -> str:
    with db.session() as s:
        for reply in replies:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=reply.text, buttons=reply.buttons)
        conversation = s.get(Conversation, conversation_id)
        if greeted and conversation.greeted_at is None:
            conversation.greeted_at = utcnow()
        return conversation.state


def _callback(db, hours, conversation_id: str, reason: str, say: str | None = None) -> None:
    """Ask for a person and make it a callback (the caller hangs up)."""
    with db.session() as s:
        handover.request(s, conversation_id=conversation_id, reason=reason, hours=hours)
        conversation = s.get(Conversation, conversation_id)
        if conversation.state == "waiting_for_human":
            conversation.callback = True
        if say:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=say)
        s.flush()


def _after_handover(db, hours, settings, conversation_id: str) -> Answer:
    """The bot handed over (or a person has the conversation): put the call through during
    office hours, else tell when someone calls back and make it a callback."""
    with db.session() as s:
        conversation = s.get(Conversation, conversation_id)
        if conversation.state == "human":
            return Answer([PERSON_HAS_IT], then="hangup")
        local = hours.for_werkplaats(handover.werkplaats_of(s, conversation_id))
        status = handover.availability(s, local)
        if status["open"] and settings.twilio_helpdesk_number:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=PUT_THROUGH)
            return Answer([PUT_THROUGH], then="dial")
        conversation.callback = True
        when = "zo snel mogelijk" if status["open"] else status["next_opening"]
        text = CALLBACK.format(when=when)
        conversations.add_message(s, conversation_id=conversation_id, sender="bot", text=text)
        return Answer([text], then="hangup")


# ---------- TwiML ----------

def _url(settings, silent: int = 0) -> str:
    return settings.public_base_url.rstrip("/") + GATHER_PATH + (f"?silent={silent}"
                                                                  if silent else "")


def _twiml(settings, answer: Answer) -> Response:
    response = VoiceResponse()
    say = {"voice": settings.twilio_voice, "language": LANGUAGE}
    if answer.then == "gather":
        options = dict(input="speech dtmf", language=LANGUAGE, speech_timeout="auto",
                       action=_url(settings, answer.silent), method="POST",
                       action_on_empty_result=True)
        hints = voice_text.hints(answer.hint_text, answer.buttons)
        if hints:
            options["hints"] = hints
        if 0 < len(answer.buttons) <= 9:
            options["num_digits"] = 1
        gather = response.gather(**options)
        for text in answer.says:
            gather.say(text, **say)
        # Twilio goes on here when the Gather ends without calling its action
        response.redirect(_url(settings, answer.silent), method="POST")
    else:
        for text in answer.says:
            response.say(text, **say)
        if answer.then == "dial":
            response.dial(settings.twilio_helpdesk_number, timeout=30)
            response.say(NOBODY_ANSWERED, **say)
        response.hangup()
    return Response(str(response), media_type="text/xml")


def _speak(replies: list[BotMessage], silent: int = 0, prefix: str = "") -> Answer:
    says = [voice_text.speak(r.text, r.buttons) for r in replies]
    says = [s for s in says if s]
    if prefix:
        says = [prefix, *says]
    buttons = next((r.buttons for r in reversed(replies) if r.buttons), [])
    last = replies[-1].text if replies else ""
    return Answer(says or [NO_REPLY], last, buttons, "gather", silent)


# ---------- the webhooks ----------

async def _greet(request: Request, call_sid: str, phone: str | None) -> Answer:
    state = request.app.state
    db = state.db
    conversation_id, greeted = await run_in_threadpool(_find_or_create, db, call_sid, phone)
    async with state.turns.lock(conversation_id):
        if greeted:  # Twilio retried the call webhook: say the question again
            return _speak(await run_in_threadpool(_last_bot_turn, db, conversation_id))
        try:
            replies = await state.rasa.send(conversation_id, START_INTENT, _metadata(phone))
        except RasaUnavailable as exc:
            log.warning("Rasa unavailable for call %s: %s", call_sid, exc)
            replies = []
        if not replies:
            await run_in_threadpool(_callback, db, state.office_hours, conversation_id,
                                    "bot_failed", BOT_DOWN_AT_START)
            return Answer([BOT_DOWN_AT_START], then="hangup")
        await run_in_threadpool(_record_bot, db, conversation_id, replies, True)
        return _speak(replies)


@router.post(VOICE_PATH)
async def voice_call(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """Twilio's incoming-call webhook (form-encoded; signed): the bot's greeting."""
    answer = await _greet(request, _call_sid(form), _phone(form))
    return _twiml(request.app.state.settings, answer)


@router.post(GATHER_PATH)
async def voice_gather(request: Request, form: dict[str, str] = Depends(twilio_form)):
    """The Gather's action: what the caller said (SpeechResult) or keyed (Digits)."""
    state = request.app.state
    settings, db = state.settings, state.db
    call_sid, phone = _call_sid(form), _phone(form)
    try:
        silent = max(0, min(int(request.query_params.get("silent", "0")), 9))
    except ValueError:
        silent = 0
    conversation_id = await run_in_threadpool(_find, db, call_sid)
    if conversation_id is None:  # the call webhook never reached us: start here
        return _twiml(settings, await _greet(request, call_sid, phone))
    text = clean_text(form.get("SpeechResult") or form.get("Digits") or "")
    text = text[: settings.max_text_chars]
    async with state.turns.lock(conversation_id):
        answer = await _turn(request, conversation_id, phone, text, silent, form)
    return _twiml(settings, answer)


async def _turn(request: Request, conversation_id: str, phone: str | None, text: str,
                silent: int, form: dict[str, str]) -> Answer:
    state = request.app.state
    settings, db = state.settings, state.db
    if not text:
        if silent < 1:
            turn = await run_in_threadpool(_last_bot_turn, db, conversation_id)
            return _speak(turn, silent=silent + 1, prefix=NOTHING_HEARD)
        await run_in_threadpool(_callback, db, state.office_hours, conversation_id,
                                "bot_failed", GIVE_UP)
        return Answer([GIVE_UP], then="hangup")
    if form.get("SpeechResult"):
        log.info("call %s: speech (confidence %s)", conversation_id,
                 form.get("Confidence", "?"))
    turn = await run_in_threadpool(_last_bot_turn, db, conversation_id)
    options = next((r.buttons for r in reversed(turn) if r.buttons), [])
    conversation_state = await run_in_threadpool(_record_user, db, conversation_id, text)
    if conversation_state != "bot":  # a person has it (or will): the bot is silent
        return await run_in_threadpool(_after_handover, db, state.office_hours, settings,
                                       conversation_id)
    said = voice_text.resolve(text, options)
    try:
        replies = await state.rasa.send(conversation_id, for_rasa(said), _metadata(phone))
        replies = replies or [BotMessage(NO_REPLY)]
    except RasaUnavailable as exc:
        log.warning("Rasa unavailable for %s: %s", conversation_id, exc)
        replies = [BotMessage(BOT_DOWN)]
    after = await run_in_threadpool(_record_bot, db, conversation_id, replies)
    if after in ("waiting_for_human", "human"):
        handed = await run_in_threadpool(_after_handover, db, state.office_hours, settings,
                                         conversation_id)
        spoken = [s for s in (voice_text.speak(r.text) for r in replies) if s]
        handed.says = [*spoken, *handed.says]
        return handed
    return _speak(replies)
