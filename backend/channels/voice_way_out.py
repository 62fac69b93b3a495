"""The way out when the phone does not work for a caller: silence is asked about again; two
failures in a row (silence, an answer not understood, the bot asking the same again) offer a
choice: go on over WhatsApp (the same conversation, through the outbox) or be called back (a
callback request). Honest when WhatsApp is not set up or the number is withheld."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from starlette.concurrency import run_in_threadpool as th

from backend.channels import voice_store as store
from backend.channels.voice_line import Line, prompt
from backend.channels.voice_twiml import Answer, Where
from backend.rasa_client import BotMessage
from backend.services import speech_values, voice_text

log = logging.getLogger("backend.channels")
NOTHING_HEARD = "Ik hoorde niets."
GIVE_UP = ("Het lukt helaas niet. Ik heb een terugbelverzoek voor je gemaakt: een medewerker "
           "belt je {when} terug op dit nummer. Tot ziens!")
FAILS_BEFORE_CHOICE = 2
_background: set[asyncio.Task] = set()  # running resumes (the loop keeps only weak references)


async def silence(line: Line, cid: str, phone: str | None, where: Where,
                   heard: list[BotMessage]) -> Answer:
    fails = where.fails + 1
    if where.step == "choice" and fails >= FAILS_BEFORE_CHOICE:
        return await _give_up(line, cid)
    if where.step != "choice" and fails >= FAILS_BEFORE_CHOICE:
        return await offer_choice(line, cid, phone, where)
    return prompt(heard, replace(where, fails=fails), NOTHING_HEARD)


async def not_understood(line: Line, cid: str, phone: str | None, where: Where,
                          heard: list[BotMessage]) -> Answer:
    """Say sorry and ask the same again (recorded, so the waiting value stays with it)."""
    fails = where.fails + 1
    if fails >= FAILS_BEFORE_CHOICE:
        if where.step == "choice":
            return await _give_up(line, cid)
        return await offer_choice(line, cid, phone, where)
    repeat = [BotMessage(voice_text.NOT_UNDERSTOOD), *heard]
    await th(store.record_bot, line.db, cid, repeat)
    return prompt(repeat, replace(where, fails=fails))


async def offer_choice(line: Line, cid: str, phone: str | None, where: Where) -> Answer:
    if not phone:  # a withheld number: neither WhatsApp nor a callback can reach them
        await th(store.record_bot, line.db, cid, [BotMessage(voice_text.NO_NUMBER)])
        return Answer([voice_text.NO_NUMBER], then="hangup")
    text = voice_text.CHOICE if line.whatsapp_ready else voice_text.CHOICE_WITHOUT_WHATSAPP
    await th(store.record_bot, line.db, cid, [BotMessage(text)])
    return prompt([BotMessage(text)], Where(where.ask, "choice"))


async def choose(line: Line, cid: str, phone: str | None, where: Where, text: str,
                  heard: list[BotMessage]) -> Answer:
    chosen = speech_values.choice(text, 2)
    if chosen is None and not line.whatsapp_ready and speech_values.yes_no(text):
        chosen = 2  # 'ja' to the only offer, a callback
    if chosen == 1 and line.whatsapp_ready:
        return await _continue_on_whatsapp(line, cid)
    if chosen == 2:
        when = await th(store.when_callback, line.db, line.hours, cid)
        goodbye = voice_text.CALLBACK_CHOSEN.format(when=when)
        await th(lambda: store.callback(line.db, line.hours, cid, reason="caller_choice",
                                        handover_reason="asked", say=goodbye))
        return Answer([goodbye], then="hangup")
    return await not_understood(line, cid, phone, where, heard)


async def _give_up(line: Line, cid: str) -> Answer:
    when = await th(store.when_callback, line.db, line.hours, cid)
    goodbye = GIVE_UP.format(when=when)
    await th(lambda: store.callback(line.db, line.hours, cid, reason="no_answer", say=goodbye))
    return Answer([goodbye], then="hangup")


async def _continue_on_whatsapp(line: Line, cid: str) -> Answer:
    """The conversation moves to WhatsApp. With a template (a message to someone who has not
    written in 24 hours needs one) the hub writes first and the bot asks its question again
    there; without one the caller hears our WhatsApp number and writes first."""
    settings = line.settings
    if settings.twilio_whatsapp_template_sid:
        goodbye, message = voice_text.WHATSAPP_COMING, voice_text.WHATSAPP_MESSAGE
    else:
        number = voice_text.phone_number_for_ear(settings.twilio_whatsapp_from)
        goodbye, message = voice_text.WHATSAPP_WRITE_US.format(number=number), None
    await th(store.continue_on_whatsapp, line.db, cid, goodbye, message)
    if message:
        line.whatsapp.sender.kick(cid)
        task = asyncio.get_running_loop().create_task(_resume_on_whatsapp(line, cid))
        _background.add(task)
        task.add_done_callback(_background.discard)
    return Answer([goodbye], then="hangup")


async def _resume_on_whatsapp(line: Line, cid: str) -> None:
    """After the call's turn (it waits for the turn lock): the bot asks its question again,
    over WhatsApp, through the outbox."""
    try:
        await line.turns.resume(conversation_id=cid)
    except Exception:  # the greeting went out; the entrepreneur's next message goes on
        log.exception("resuming %s on WhatsApp failed", cid)
    line.whatsapp.sender.kick(cid)
