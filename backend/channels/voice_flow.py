"""One turn on the phone line: what the caller said or keyed, what the bot or the hub answers.

The hub knows which question the caller answers from Rasa itself: after every bot turn it reads
the tracker's `requested_slot` (Rasa's HTTP API, loopback), and carries it in the next Gather's
action URL (`ask=`). That is the form's own state, so it does not depend on how a question is
worded, and it is fresh for every turn. When Rasa cannot tell, the call goes on without it
(no spelling back, no keypad prompt; the bot still validates the answer).

- A spoken e-mail address or postcode is turned into a value, spelled back and only given to
  the bot after a yes (the value waits in the confirmation message's 'Ja' button, so it is in
  the transcript, not in a URL); a no asks again. Four keyed digits for a postcode are followed
  by a question for the two letters.
- Numbers (employees, maturity, KvK, phone, postcode digits) may be keyed, closed with '#'.
- Silence asks again; two failures in a row (silence, a yes/no not understood, or the bot asking
  the same question again) offer WhatsApp or a callback (backend/channels/voice_way_out.py)."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool as th

from backend.channels import voice_store as store
from backend.channels import voice_way_out as way_out
from backend.channels.voice_line import NO_REPLY, Line, asked, metadata, prompt
from backend.channels.voice_twiml import Answer, Where
from backend.rasa_client import BotMessage, RasaUnavailable
from backend.services import speech_values, voice_text
from backend.services.conversations import clean_text
from backend.services.turns import START_INTENT, for_rasa

log = logging.getLogger("backend.channels")
BOT_DOWN = "Sorry, de assistent is even niet bereikbaar. Probeer het nog eens."
BOT_DOWN_AT_START = (
    "Sorry, de assistent is even niet bereikbaar. Ik heb een terugbelverzoek voor je gemaakt: "
    "een medewerker belt je terug. Tot ziens!"
)
TOO_LONG = "Sorry, dat duurde te lang."
SAY_IT_AGAIN = "Kun je het nog eens zeggen?"
HANDED_OVER = {
    "dial": "Ik verbind je door met een medewerker van de helpdesk. Een moment geduld.",
    "person": "Een medewerker heeft je vraag en neemt contact met je op. Tot ziens!",
    "callback": "Een medewerker van de helpdesk belt je {when} terug op dit nummer. Tot ziens!",
}


# ---------- the call's start ----------

async def greet(line: Line, conversation_id: str, phone: str | None, greeted: bool) -> Answer:
    async with line.turns.lock(conversation_id):
        if greeted:  # Twilio retried the call webhook: say the question again
            heard = await th(store.last_bot_turn, line.db, conversation_id)
            return prompt(heard, Where(await asked(line, conversation_id)))
        try:
            replies = await line.rasa.send(conversation_id, START_INTENT, metadata(phone))
        except RasaUnavailable as exc:
            log.warning("Rasa unavailable for call %s: %s", conversation_id, exc)
            replies = []
        if not replies:
            await th(lambda: store.callback(line.db, line.hours, conversation_id,
                                            reason="bot_down", say=BOT_DOWN_AT_START))
            return Answer([BOT_DOWN_AT_START], then="hangup")
        await th(store.record_bot, line.db, conversation_id, replies, True)
        return prompt(replies, Where(await asked(line, conversation_id)))


async def again(line: Line, conversation_id: str, prefix: str = "") -> Answer:
    """What the caller heard last, once more (a lost or too slow turn)."""
    heard = await th(store.last_bot_turn, line.db, conversation_id)
    where = Where(await asked(line, conversation_id))
    if not heard:  # the bot never answered: ask the caller to say it again
        return Answer([f"{prefix} {SAY_IT_AGAIN}" if prefix else NO_REPLY], where=where)
    return prompt(heard, where, prefix)


# ---------- a turn ----------

async def turn(line: Line, conversation_id: str, phone: str | None, where: Where,
               speech: str, digits: str) -> Answer:
    async with line.turns.lock(conversation_id):
        heard = await th(store.last_bot_turn, line.db, conversation_id)
        if where.step:  # the hub's own question is its last message
            heard = heard[-1:]
        said = clean_text(speech)[: line.settings.max_text_chars]
        keyed = "" if said else speech_values.keyed(digits)
        if not (said or keyed):
            return await way_out.silence(line, conversation_id, phone, where, heard)
        state = await th(store.record_user, line.db, conversation_id, said or keyed)
        if state != "bot":  # a person has it (or will): the bot is silent
            return await _handed_over(line, conversation_id)
        if where.step and speech_values.asks_for_person(said):  # not an answer: for the bot
            return await _to_bot(line, conversation_id, phone, Where(where.ask), said)
        if where.step == "choice":
            return await way_out.choose(line, conversation_id, phone, where, said or keyed, heard)
        if where.step == "confirm":
            return await _confirm(line, conversation_id, phone, where, said or keyed, heard)
        if where.step == "letters":
            return await _letters(line, conversation_id, phone, where, said or keyed, heard)
        return await _answer(line, conversation_id, phone, where, said, keyed, heard)


async def _answer(line: Line, cid: str, phone: str | None, where: Where, said: str,
                  keyed: str, heard: list[BotMessage]) -> Answer:
    if said and where.ask in voice_text.SPELLED_SLOTS:
        value = _value(where.ask, said)
        if value:
            return await _ask_confirmation(line, cid, where.ask, *value)
    if keyed and where.ask == "postcode":
        digits = speech_values.keyed_postcode_digits(keyed)
        if digits:
            letters = BotMessage(voice_text.LETTERS, [{"title": "cijfers", "payload": digits}])
            await th(store.record_bot, line.db, cid, [letters])
            return prompt([letters], Where("postcode", "letters"))
    options = next((m.buttons for m in reversed(heard) if m.buttons), [])
    return await _to_bot(line, cid, phone, where, voice_text.resolve(said or keyed, options))


def _value(slot: str, said: str) -> tuple[str, str] | None:
    """(the value for the bot, the value spelled for the ear), or None."""
    if slot == "contact_email":
        email = speech_values.email_from_speech(said)
        return (email, speech_values.spell_email(email)) if email else None
    found = speech_values.postcode_from_speech(said)
    if not found:
        return None
    postcode, place = found
    return f"{postcode} {place}".strip(), speech_values.spell_postcode(postcode, place)


def _pending(heard: list[BotMessage]) -> str | None:
    """The value waiting in the hub's last question (its first button's payload)."""
    if not heard or not heard[-1].buttons:
        return None
    return str(heard[-1].buttons[0].get("payload") or "") or None


async def _ask_confirmation(line: Line, cid: str, slot: str, value: str,
                            spelled: str) -> Answer:
    question = BotMessage(voice_text.CONFIRM.format(spelled=spelled),
                          [{"title": "Ja", "payload": value}, {"title": "Nee", "payload": "nee"}])
    await th(store.record_bot, line.db, cid, [question])
    return prompt([question], Where(slot, "confirm"))


async def _confirm(line: Line, cid: str, phone: str | None, where: Where, text: str,
                   heard: list[BotMessage]) -> Answer:
    pending = _pending(heard)
    if pending is None or where.ask not in voice_text.SPELLED_SLOTS:
        return await _to_bot(line, cid, phone, Where(where.ask), text)
    other = _value(where.ask, text)
    if other and other[0] != pending:  # 'nee, anna at ...': a new value to check
        return await _ask_confirmation(line, cid, where.ask, *other)
    answer = speech_values.yes_no(text)
    if answer is True:
        return await _to_bot(line, cid, phone, Where(where.ask), pending)
    if answer is False:
        question = BotMessage(voice_text.SAY_AGAIN[where.ask])
        await th(store.record_bot, line.db, cid, [question])
        return prompt([question], Where(where.ask))
    return await way_out.not_understood(line, cid, phone, where, heard)


async def _letters(line: Line, cid: str, phone: str | None, where: Where, text: str,
                   heard: list[BotMessage]) -> Answer:
    digits = _pending(heard)
    letters = speech_values.postcode_letters(text)
    if digits is None:
        return await _to_bot(line, cid, phone, Where(where.ask), text)
    if letters:
        postcode = f"{digits} {letters}"
        return await _ask_confirmation(line, cid, "postcode", postcode,
                                       speech_values.spell_postcode(postcode))
    return await way_out.not_understood(line, cid, phone, where, heard)


async def _to_bot(line: Line, cid: str, phone: str | None, where: Where, text: str) -> Answer:
    """The answer goes to the bot; a question asked again counts as not understood."""
    down = False
    try:
        replies = await line.rasa.send(cid, for_rasa(text), metadata(phone))
        replies = replies or [BotMessage(NO_REPLY)]
    except RasaUnavailable as exc:
        log.warning("Rasa unavailable for %s: %s", cid, exc)
        replies, down = [BotMessage(BOT_DOWN)], True
    after = await th(store.record_bot, line.db, cid, replies)
    if after in ("waiting_for_human", "human"):
        handed = await _handed_over(line, cid)
        spoken = [s for s in (voice_text.speak(r.text) for r in replies) if s]
        handed.says = [*spoken, *handed.says]
        return handed
    now_asked = await asked(line, cid)
    failed = down or (now_asked is not None and now_asked == where.ask)
    fails = where.fails + 1 if failed else 0
    if fails >= way_out.FAILS_BEFORE_CHOICE:
        return await way_out.offer_choice(line, cid, phone, Where(now_asked))
    return prompt(replies, Where(now_asked, "", fails))


async def _handed_over(line: Line, cid: str) -> Answer:
    kind, text = await th(store.after_handover, line.db, line.hours,
                          line.settings.twilio_helpdesk_number, cid, HANDED_OVER)
    return Answer([text], then="dial" if kind == "dial" else "hangup")
