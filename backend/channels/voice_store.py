"""The phone line's database side: sync functions, one unit of work each (run in a thread by
backend/channels/voice_flow.py and voice.py). Every caller's answer is recorded before anything
else happens, and everything the caller hears from the hub is in the transcript too."""

from __future__ import annotations

from sqlalchemy import select

from backend.db import Database
from backend.models import Conversation, Message, utcnow
from backend.rasa_client import BotMessage
from backend.services import callbacks, conversations, handover
from backend.services.helpdesk_hours import OfficeHours

CHANNEL = "voice"
FINAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
PHONE_STAFF = "helpdesk (telefoon)"  # who has a conversation put through by <Dial>


def find_or_create(db: Database, call_sid: str, phone: str | None) -> tuple[str, bool]:
    """(conversation id, greeted already) of this call."""
    with db.session() as s:
        conversation = s.scalar(select(Conversation).where(Conversation.call_sid == call_sid))
        if conversation is None:
            conversation, _token = conversations.create_conversation(s, channel=CHANNEL)
            conversation.contact = phone
            conversation.call_sid = call_sid
            s.flush()
        return conversation.id, conversation.greeted_at is not None


def find(db: Database, call_sid: str) -> tuple[str, str] | None:
    """(conversation id, channel) of this call (a call continued on WhatsApp keeps its sid)."""
    with db.session() as s:
        row = s.execute(select(Conversation.id, Conversation.channel)
                        .where(Conversation.call_sid == call_sid)).first()
        return (row[0], row[1]) if row else None


def last_bot_turn(db: Database, conversation_id: str) -> list[BotMessage]:
    """The messages the caller heard since they last spoke (the question being asked)."""
    with db.session() as s:
        recent = s.scalars(select(Message).where(Message.conversation_id == conversation_id)
                           .order_by(Message.id.desc()).limit(20))
        turn: list[BotMessage] = []
        for message in recent:
            if message.sender != "bot":
                break
            turn.append(BotMessage(message.text, list(message.buttons or [])))
        return list(reversed(turn))


def earlier_answer(db: Database, conversation_id: str) -> str:
    """What the caller said before their latest answer (the postcode digits, before the
    letters)."""
    with db.session() as s:
        texts = s.scalars(select(Message.text).where(Message.conversation_id == conversation_id,
                                                     Message.sender == "user")
                          .order_by(Message.id.desc()).limit(2)).all()
        return texts[1] if len(texts) == 2 else ""


def record_user(db: Database, conversation_id: str, text: str) -> str:
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


def record_bot(db: Database, conversation_id: str, replies: list[BotMessage],
               greeted: bool = False) -> str:
    with db.session() as s:
        for reply in replies:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=reply.text, buttons=reply.buttons)
        conversation = s.get(Conversation, conversation_id)
        if greeted and conversation.greeted_at is None:
            conversation.greeted_at = utcnow()
        return conversation.state


def when_callback(db: Database, hours: OfficeHours, conversation_id: str) -> str:
    """'zo snel mogelijk' while the helpdesk is open, else when it opens again."""
    with db.session() as s:
        local = hours.for_werkplaats(handover.werkplaats_of(s, conversation_id))
        status = handover.availability(s, local)
        return "zo snel mogelijk" if status["open"] else status["next_opening"]


def callback(db: Database, hours: OfficeHours, conversation_id: str, *, reason: str,
             handover_reason: str = "bot_failed", say: str | None = None) -> dict:
    """Ask for a person and make it a callback request (the caller hangs up); `say` is what
    the caller hears, for the transcript."""
    with db.session() as s:
        handover.request(s, conversation_id=conversation_id, reason=handover_reason, hours=hours)
        row, _created = callbacks.request(s, conversation_id=conversation_id, reason=reason)
        handover.changed(s, conversation_id, "callback")  # the helpdesk group sees it
        if say:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=say)
        return callbacks.as_dict(row)


def after_handover(db: Database, hours: OfficeHours, helpdesk_number: str,
                   conversation_id: str, texts: dict[str, str]) -> tuple[str, str]:
    """The bot handed over (or a person has the conversation): ('dial', text) during office
    hours with a helpdesk number, ('person', text) when a person has it, else ('callback',
    text) with a callback request (reason outside_hours)."""
    with db.session() as s:
        conversation = s.get(Conversation, conversation_id)
        if conversation.state == "human":
            return "person", texts["person"]
        local = hours.for_werkplaats(handover.werkplaats_of(s, conversation_id))
        status = handover.availability(s, local)
        if status["open"] and helpdesk_number:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=texts["dial"])
            return "dial", texts["dial"]
        # open without a helpdesk number: nobody can take the call now either
        callbacks.request(s, conversation_id=conversation_id,
                          reason="no_answer" if status["open"] else "outside_hours")
        handover.changed(s, conversation_id, "callback")
        when = "zo snel mogelijk" if status["open"] else status["next_opening"]
        text = texts["callback"].format(when=when)
        conversations.add_message(s, conversation_id=conversation_id, sender="bot", text=text)
        return "callback", text


def dial_ended(db: Database, conversation_id: str, answered: bool, say: str) -> None:
    """The <Dial> to the helpdesk ended: answered, a person has the conversation (claimed for
    the phone, so it is in the dashboard to close); not answered, a callback request."""
    with db.session() as s:
        conversation = s.get(Conversation, conversation_id)
        if answered:
            if conversation.state in ("waiting_for_human", "bot"):
                handover.claim(s, conversation_id=conversation_id, staff=PHONE_STAFF)
            return
        if conversation.state == "bot":
            conversation.state = "waiting_for_human"
            conversation.handover_requested_at = utcnow()
        callbacks.request(s, conversation_id=conversation_id, reason="no_answer")
        handover.changed(s, conversation_id, "callback")
        conversations.add_message(s, conversation_id=conversation_id, sender="bot", text=say)


def call_ended(db: Database, call_sid: str, status: str) -> bool | None:
    """Twilio's final CallStatus: recorded once with the time. A caller who hung up while
    waiting for a person gets a callback request (reason hangup). None for an unknown call,
    else whether this was news."""
    with db.session() as s:
        conversation = s.scalar(select(Conversation).where(Conversation.call_sid == call_sid))
        if conversation is None:
            return None
        if conversation.call_status is not None:
            return False  # Twilio retried the callback: already recorded
        conversation.call_status = status
        conversation.call_ended_at = utcnow()
        if conversation.state == "waiting_for_human":
            callbacks.request(s, conversation_id=conversation.id, reason="hangup")
            handover.changed(s, conversation.id, "callback")
        return True


def continue_on_whatsapp(db: Database, conversation_id: str, goodbye: str,
                         message: str | None) -> None:
    """The caller goes on over WhatsApp: the same conversation (the bot's tracker, the
    transcript) becomes a WhatsApp one, so their WhatsApp messages land in it. `goodbye` is
    what they hear on the phone (recorded while still a call: not sent); `message`, when
    given, is sent to them over WhatsApp through the outbox."""
    with db.session() as s:
        conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                  text=goodbye)
        conversation = s.get(Conversation, conversation_id)
        conversation.channel = "whatsapp"
        s.flush()
        if message:
            conversations.add_message(s, conversation_id=conversation_id, sender="bot",
                                      text=message)
