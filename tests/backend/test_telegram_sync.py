"""backend.telegram.sync (and the hand-over hooks): the group's post follows its conversation
whoever changes it. A claim, release or close in the dashboard, and the claim-timeout sweeper,
edit the post (editMessageText against the fake Bot API); a failed edit is retried like a
failed post and never fails the dashboard; a late 'Oppakken' hears who has it and changes
nothing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend.db import Database
from backend.models import CallbackRequest, TelegramHandover, utcnow
from backend.services import handover
from backend.telegram import sync, texts
from tests.backend.dashboard_helpers import sign_in
from tests.backend.telegram_rig import ANNA, BRAM, TelegramRig, wait_for


@pytest.fixture
def rig(migrated, fake_rasa, staff) -> Iterator[TelegramRig]:
    with TelegramRig(migrated, fake_rasa) as r:
        # in office hours, so a request is a hand-over (not a callback) whatever the clock says
        r.client.put("/api/v1/helpdesk/availability", json={"open": True}, headers=staff)
        yield r
        r.client.put("/api/v1/helpdesk/availability", json={"open": None}, headers=staff)
        _no_edits_left(r)


def _no_edits_left(rig: TelegramRig) -> None:
    """The database outlives the rig: edits still waiting for a retry are done (or given up)
    now, so no later test's notifier finds them due."""
    rig.fake.down = False
    with rig.app.state.db.session() as s:
        s.execute(update(TelegramHandover).where(TelegramHandover.status == "edit")
                  .values(next_attempt_at=None))
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)


def _dashboard(rig: TelegramRig, cid: str, action: str, csrf: str, **data):
    response = rig.client.post(f"/dashboard/conversations/{cid}/{action}",
                               data={"csrf_token": csrf, **data}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _shows(rig: TelegramRig, post: dict, text: str) -> dict:
    """The post as it is once it shows `text` (edits run right after the commit, in the app)."""
    assert wait_for(lambda: text in rig.message_now(post["message_id"])["text"]), \
        rig.message_now(post["message_id"])["text"]
    return rig.message_now(post["message_id"])


def _settled(rig: TelegramRig, cid: str) -> TelegramHandover:
    """The post's row once the edit after the last change was tried (done, or failed)."""
    def tried(row: TelegramHandover) -> bool:
        return row.status != "editing" and not (row.status == "edit" and row.attempts == 0)

    assert wait_for(lambda: tried(rig.outbox(cid)[-1])), rig.outbox(cid)[-1].status
    return rig.outbox(cid)[-1]


def _force_due(rig: TelegramRig, cid: str) -> None:
    with rig.app.state.db.session() as s:
        s.execute(update(TelegramHandover).where(TelegramHandover.conversation_id == cid,
                                                 TelegramHandover.next_attempt_at.is_not(None))
                  .values(next_attempt_at=utcnow() - timedelta(seconds=1)))


# --- the dashboard moves, the post follows -----------------------------------------------------

def test_a_dashboard_claim_shows_who_has_it_and_removes_the_button(rig):
    csrf = sign_in(rig.client, "student", name="Sanne de Vries")
    cid, _, post = rig.waiting()
    assert _dashboard(rig, cid, "claim", csrf).endswith("melding=geclaimd")
    now = _shows(rig, post, "Opgepakt door Sanne via dashboard na 0 min.")
    assert "reply_markup" not in now and "edit_date" in now
    assert "Thema: nog onbekend" in now["text"] and "Kanaal: websitechat" in now["text"]
    # a first name only: neither the surname nor the e-mail address reaches Telegram
    edits = rig.fake.sent("editMessageText")
    assert "de Vries" not in str(edits) and "@werkplaats.example" not in str(edits)
    assert edits[-1]["message_id"] in (post["message_id"], str(post["message_id"]))
    row = _settled(rig, cid)
    assert (row.status, row.last_error) == ("shown", None)


def test_a_dashboard_release_and_a_dashboard_close_are_shown(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()
    _dashboard(rig, cid, "claim", csrf)
    _shows(rig, post, "Opgepakt door Sanne via dashboard")
    _dashboard(rig, cid, "release", csrf)
    released = _shows(rig, post, "Teruggegeven aan de bot.")
    assert "reply_markup" not in released  # the bot has it again: nothing to pick up

    cid, _, post = rig.waiting()
    _dashboard(rig, cid, "claim", csrf)
    _dashboard(rig, cid, "close", csrf, outcome="doorverwezen", note="Jan de Vries, naar KvK")
    closed = _shows(rig, post, "Afgesloten (doorverwezen).")
    assert "reply_markup" not in closed
    assert "Jan de Vries" not in str(rig.fake.calls)  # the note stays in the dashboard


def test_closing_a_request_nobody_claimed_removes_the_button(rig, staff):
    cid, _, post = rig.waiting()
    assert rig.client.post(f"/api/v1/conversations/{cid}/close", headers=staff,
                           json={"outcome": "geen echte vraag"}).status_code == 200
    assert "reply_markup" not in _shows(rig, post, "Afgesloten (geen echte vraag).")
    assert rig.click(BRAM, post) == texts.ALREADY_CLOSED


def test_the_claim_timeout_turns_the_post_into_a_callback_with_its_reference(rig):
    cid, _, post = rig.waiting()
    with rig.app.state.db.session() as s:  # the sweeper's round, an hour later
        assert cid in handover.expire_and_tell(s, hours=rig.app.state.office_hours,
                                               now=utcnow() + timedelta(hours=1))
    now = _shows(rig, post, "Wordt teruggebeld.")
    assert now["text"].startswith("Terugbelverzoek: niemand pakte het op tijd op")
    with rig.app.state.db.session() as s:
        reference = s.scalar(select(CallbackRequest.reference)
                             .where(CallbackRequest.conversation_id == cid))
    assert f"Terugbelverzoek: {reference}" in now["text"]
    # still waiting for a person: whoever calls back can still take it here
    assert now["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"claim:{cid}"
    assert rig.click(ANNA, now) == texts.CLAIMED_OK
    assert "Opgepakt door Anna" in _shows(rig, post, "Opgepakt door Anna")["text"]


def test_a_callback_marked_done_is_caught_up_by_the_next_round(rig, staff):
    """Marking a callback done closes a waiting conversation without a hand-over hook: the
    outbox round notices the post still offers 'Oppakken' and edits it."""
    cid, _, post = rig.waiting()
    with rig.app.state.db.session() as s:
        handover.expire_and_tell(s, hours=rig.app.state.office_hours,
                                 now=utcnow() + timedelta(hours=1))
    _shows(rig, post, "Wordt teruggebeld.")
    made = rig.client.get("/api/v1/callbacks?status=open", headers=staff).json()
    [request] = [c for c in made["items"] if c["conversation_id"] == cid]
    assert rig.client.post(f"/api/v1/callbacks/{request['id']}/done", headers=staff,
                           json={"staff": "Sanne"}).status_code == 200
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)
    assert "reply_markup" in rig.message_now(post["message_id"])  # no hook: not yet
    rig.client.portal.call(rig.helpdesk.notifier.catch_up)  # the retry loop's round
    assert "reply_markup" not in _shows(rig, post, "Afgesloten (teruggebeld).")


# --- a late 'Oppakken' ---------------------------------------------------------------------------

def test_oppakken_after_a_dashboard_claim_is_answered_and_changes_nothing(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()
    _dashboard(rig, cid, "claim", csrf)
    _shows(rig, post, "Opgepakt door Sanne via dashboard")
    before = rig.state(cid)
    sends = len(rig.fake.sent("sendMessage"))
    assert rig.click(BRAM, post) == "Al opgepakt door Sanne via dashboard."
    after = rig.state(cid)
    assert (after.state, after.assigned_to, after.claimed_at) == (
        before.state, before.assigned_to, before.claimed_at)
    assert rig.outbox(cid)[0].claimed_by is None
    assert len(rig.fake.sent("sendMessage")) == sends  # nothing said in the group
    update = rig.reply(BRAM, post, "Ik doe het wel")
    assert rig.told(update) == [texts.only_claimer("Sanne via dashboard")]


def test_oppakken_on_a_post_whose_edit_failed_repairs_the_post(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()
    rig.fake.fail(400, method="editMessageText")  # a permanent refusal: given up at once
    _dashboard(rig, cid, "claim", csrf)
    row = _settled(rig, cid)
    assert row.status == "edit_failed" and "BadRequest" in row.last_error
    assert "reply_markup" in rig.message_now(post["message_id"])  # still offers the button
    assert rig.click(BRAM, post) == "Al opgepakt door Sanne via dashboard."
    assert "reply_markup" not in _shows(rig, post, "Opgepakt door Sanne via dashboard")
    assert rig.state(cid).assigned_to.endswith("@werkplaats.example")


def test_a_staff_tool_claim_under_a_students_first_name_is_not_taken_over(rig, staff):
    """The API claimed for 'Anna'; the Telegram student Anna pressing the button afterwards
    does not get it (the service sees the same name and would let it pass)."""
    cid, _, post = rig.waiting()
    assert rig.client.post(f"/api/v1/conversations/{cid}/claim", json={"staff": "Anna"},
                           headers=staff).status_code == 200
    assert rig.click(ANNA, post) == "Al opgepakt door Anna."
    assert rig.outbox(cid)[0].claimed_by_id is None


def test_a_dashboard_claim_and_a_button_at_once_one_wins_and_the_post_says_who(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    for _ in range(3):
        _race(rig, csrf)


def _race(rig: TelegramRig, csrf: str) -> None:
    cid, _, post = rig.waiting()
    barrier, results = threading.Barrier(2), {}

    def dashboard():
        barrier.wait()
        results["dashboard"] = _dashboard(rig, cid, "claim", csrf)

    def button():
        barrier.wait()
        results["telegram"] = rig.click(ANNA, post)

    threads = [threading.Thread(target=fn) for fn in (dashboard, button)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    if rig.state(cid).assigned_to == "Anna":
        assert results["telegram"] == texts.CLAIMED_OK
        assert results["dashboard"].endswith("fout=bezet")
        expected = "Opgepakt door Anna na"
    else:
        assert results["telegram"] == "Al opgepakt door Sanne via dashboard."
        assert results["dashboard"].endswith("melding=geclaimd")
        expected = "Opgepakt door Sanne via dashboard"
    assert "reply_markup" not in _shows(rig, post, expected)
    assert _settled(rig, cid).status == "shown"


# --- Telegram failing never fails the dashboard; edits are retried ------------------------------

def test_an_edit_that_fails_is_retried_with_backoff(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()
    rig.fake.fail(500, times=1, method="editMessageText")
    assert _dashboard(rig, cid, "claim", csrf).endswith("melding=geclaimd")
    assert rig.state(cid).state == "human"
    row = _settled(rig, cid)
    assert (row.status, row.attempts) == ("edit", 1)
    assert "Internal Server Error" in row.last_error and row.next_attempt_at is not None
    assert "reply_markup" in rig.message_now(post["message_id"])
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)
    row = rig.outbox(cid)[0]
    assert (row.status, row.attempts, row.last_error) == ("shown", 2, None)
    assert "reply_markup" not in _shows(rig, post, "Opgepakt door Sanne via dashboard")


def test_a_rate_limited_edit_waits_as_long_as_telegram_asks(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, _ = rig.waiting()
    rig.fake.fail(429, retry_after=90, method="editMessageText")
    _dashboard(rig, cid, "claim", csrf)
    row = _settled(rig, cid)
    assert row.status == "edit" and "RetryAfter" in row.last_error
    wait = row.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(seconds=70) < wait <= timedelta(seconds=90)


def test_after_the_last_attempt_the_edit_is_given_up_until_the_next_change(rig):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()
    rig.helpdesk.notifier.max_attempts = 2
    rig.fake.down = True
    _dashboard(rig, cid, "claim", csrf)
    assert _settled(rig, cid).status == "edit"
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)
    row = rig.outbox(cid)[0]
    assert (row.status, row.attempts, row.next_attempt_at) == ("edit_failed", 2, None)
    rig.fake.down = False
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)
    assert rig.outbox(cid)[0].status == "edit_failed"
    _dashboard(rig, cid, "close", csrf, outcome="vraag beantwoord")  # a new change: tried again
    assert "reply_markup" not in _shows(rig, post, "Afgesloten (vraag beantwoord).")
    assert _settled(rig, cid).status == "shown"


def test_telegram_down_the_dashboard_still_works(migrated, fake_rasa):
    with TelegramRig(migrated, fake_rasa) as rig:
        csrf = sign_in(rig.client, "student", name="Sanne")
        cid, _, _ = rig.waiting()
        rig.fake.down = True
        assert _dashboard(rig, cid, "claim", csrf).endswith("melding=geclaimd")
        assert _dashboard(rig, cid, "close", csrf, outcome="doorverwezen").endswith(
            "melding=afgesloten")
        assert rig.state(cid).state == "closed"
        assert _settled(rig, cid).status == "edit"  # kept for the retry loop
        _no_edits_left(rig)


def test_a_broken_hook_never_fails_the_dashboard(rig, monkeypatch, caplog):
    csrf = sign_in(rig.client, "student", name="Sanne")
    cid, _, post = rig.waiting()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sync, "mark_stale", broken)
    assert _dashboard(rig, cid, "claim", csrf).endswith("melding=geclaimd")
    assert rig.state(cid).state == "human"
    assert f"could not follow claimed of {cid}" in caplog.text
    assert rig.outbox(cid)[0].status == "sent"  # unchanged; the post is not worth the claim


def test_a_claim_while_the_post_is_on_its_way_is_shown_right_after(rig):
    """A claim lands between Telegram accepting the post and the hub recording it (here
    through another engine, so no hook helps): the post went out with the button, so the
    notifier sees the change as it records the post and edits it at once."""
    notifier = rig.helpdesk.notifier
    real_send = notifier.bot.send_message
    other = Database(rig.helpdesk.settings.database_url)

    async def send_then_claim(*args, **kwargs):
        message = await real_send(*args, **kwargs)
        cid = kwargs["reply_markup"].inline_keyboard[0][0].callback_data.removeprefix("claim:")

        def claim() -> None:
            with other.session() as s:
                handover.claim(s, conversation_id=cid, staff="Sanne")

        await asyncio.to_thread(claim)
        return message

    notifier.bot = _Wrapped(notifier.bot, send_then_claim)
    cid, _ = rig.conversation()
    assert rig.request_handover(cid).status_code == 200
    other.engine.dispose()
    [row] = rig.outbox(cid)
    [sent] = [m for m in rig.fake.sent("sendMessage") if f"claim:{cid}" in str(m)]
    assert "reply_markup" in sent  # it went out offering the button
    assert row.status == "shown" and row.attempts == 1
    now = rig.message_now(row.message_id)
    assert "Opgepakt door Sanne na 0 min." in now["text"] and "reply_markup" not in now


class _Wrapped:
    """The notifier's Bot with send_message replaced (PTB's Bot does not take attributes)."""

    def __init__(self, bot, send_message) -> None:
        self._bot, self.send_message = bot, send_message

    def __getattr__(self, name):
        return getattr(self._bot, name)


# --- the group's own actions go the same way ---------------------------------------------

def test_a_vrij_whose_edit_fails_is_retried_and_then_shown_without_the_name(rig):
    cid, _, post = rig.waiting()
    rig.click(ANNA, post)
    rig.fake.fail(500, method="editMessageText")
    rig.reply(ANNA, post, "/vrij")
    assert rig.state(cid).state == "bot"
    row = rig.outbox(cid)[0]
    assert (row.status, row.attempts) == ("edit", 1)
    assert "Opgepakt door Anna" in rig.message_now(post["message_id"])["text"]
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.edit_due)
    assert "Teruggegeven aan de bot." in _shows(rig, post, "Teruggegeven")["text"]
    assert rig.outbox(cid)[0].status == "shown"


def test_a_post_replaced_by_a_newer_request_is_caught_up(rig):
    """Closed behind the hub's back (another engine: no hook), asked again: the new request gets
    its own post, and the retry round takes the button off the old one."""
    cid, headers, old = rig.waiting()
    other = Database(rig.helpdesk.settings.database_url)
    with other.session() as s:
        handover.close(s, conversation_id=cid, outcome="afgehandeld")
    other.engine.dispose()
    rig.say(cid, headers, "Ik heb toch nog een vraag")  # reopens it
    assert rig.request_handover(cid).status_code == 200
    new = rig.posts_for(cid)[-1]
    assert new["message_id"] != old["message_id"]
    rig.client.portal.call(rig.helpdesk.notifier.catch_up)
    now = rig.message_now(old["message_id"])
    assert texts.SUPERSEDED in now["text"] and "reply_markup" not in now
    assert "reply_markup" in rig.message_now(new["message_id"])
    assert rig.click(BRAM, old) == texts.OLD_POST
