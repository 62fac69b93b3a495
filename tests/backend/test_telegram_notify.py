"""backend.telegram.notifier (and the hook in the hand-over API): a hand-over request posts to the
helpdesk group, without personal data, through the outbox; Telegram being down or slow never
fails the request and never loses the post."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from backend.models import utcnow
from tests.backend.conftest import SERVICE_TOKEN
from tests.backend.fake_telegram import HELPDESK_CHAT
from tests.backend.helpers import bearer, closed_port_url, ticket_payload
from tests.backend.telegram_rig import TelegramRig, wait_for


@pytest.fixture
def rig(migrated, fake_rasa) -> Iterator[TelegramRig]:
    with TelegramRig(migrated, fake_rasa) as r:
        yield r


def _with_ticket(rig: TelegramRig) -> tuple[str, dict, str]:
    cid, headers = rig.conversation()
    rig.say(cid, headers, "Mijn webshop loopt niet, ik wil meer klanten. Bel me op 0612345678")
    response = rig.client.post("/api/v1/tickets", json=ticket_payload(cid),
                               headers=bearer(SERVICE_TOKEN))
    assert response.status_code in (200, 201), response.text
    return cid, headers, response.json()["reference"]


def test_a_hand_over_request_posts_theme_channel_wait_reason_ticket_and_a_button(rig):
    cid, _, reference = _with_ticket(rig)
    response = rig.request_handover(cid, reason="bot_failed")
    assert response.status_code == 200
    assert response.json()["state"] == "waiting_for_human"

    post = rig.post_for(cid)
    assert post["chat"]["id"] == HELPDESK_CHAT
    assert post["from"]["is_bot"] is True
    text = post["text"]
    assert "Thema: online marketing & sales" in text
    assert "Kanaal: websitechat" in text
    assert "Wachttijd: 0 min" in text
    assert "Reden: de bot kwam er niet uit" in text
    assert f"Ticket: {reference}" in text
    assert post["reply_markup"] == {"inline_keyboard": [[
        {"text": "Oppakken", "callback_data": f"claim:{cid}"}]]}
    [row] = rig.outbox(cid)
    assert (row.status, row.attempts, row.chat_id, row.message_id) == (
        "sent", 1, HELPDESK_CHAT, post["message_id"])


def test_no_personal_data_of_the_entrepreneur_reaches_telegram(rig):
    cid, _, reference = _with_ticket(rig)
    rig.request_handover(cid)
    payload = ticket_payload(cid)
    everything_sent = json.dumps([c["params"] for c in rig.fake.calls], ensure_ascii=False)
    for personal in ("jan@example.nl", "Jan@Example.NL", "+31612345678", "0612345678",
                     "Bakkerij De Korenaar", "Korenaar", "Jan de Vries", "12345678", "3511 AB",
                     "Mijn webshop loopt niet", payload["question"], payload["summary"]):
        assert personal.lower() not in everything_sent.lower(), personal
    assert reference in everything_sent  # the reference is the one handle allowed


def test_without_a_ticket_the_theme_is_not_known_yet(rig):
    cid, _, post = rig.waiting()
    assert "Thema: nog onbekend" in post["text"]
    assert "Ticket:" not in post["text"]
    assert "Reden: de ondernemer vraagt om een medewerker" in post["text"]


def test_asking_again_while_waiting_posts_once(rig):
    cid, _, _ = rig.waiting()
    assert rig.request_handover(cid).status_code == 200
    assert len(rig.posts_for(cid)) == 1
    assert len(rig.outbox(cid)) == 1


def test_telegram_down_the_request_still_succeeds_and_the_failure_is_kept(rig):
    rig.fake.down = True
    cid, _ = rig.conversation()
    response = rig.request_handover(cid)
    assert response.status_code == 200
    assert response.json()["state"] == "waiting_for_human"
    [row] = rig.outbox(cid)
    assert row.status == "failed" and row.attempts == 1
    assert "Internal Server Error" in row.last_error
    assert row.next_attempt_at is not None  # to be retried
    assert rig.fake.attempts("sendMessage") == 1 and rig.posts_for(cid) == []

    # Telegram is back: the retry loop's round posts it
    rig.fake.down = False
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.deliver_due)
    [row] = rig.outbox(cid)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert len(rig.posts_for(cid)) == 1


def test_telegram_unreachable_the_request_still_succeeds(migrated, fake_rasa):
    with TelegramRig(migrated, fake_rasa, api_url=closed_port_url()) as rig:
        cid, _ = rig.conversation()
        assert rig.request_handover(cid).status_code == 200
        [row] = rig.outbox(cid)
        assert row.status == "failed" and "NetworkError" in row.last_error
        assert rig.helpdesk.settings.telegram_bot_token not in row.last_error


def test_a_rate_limit_is_retried_after_the_time_telegram_asks(rig):
    rig.fake.fail(429, retry_after=120, method="sendMessage")
    cid, _ = rig.conversation()
    assert rig.request_handover(cid).status_code == 200
    [row] = rig.outbox(cid)
    assert row.status == "failed" and "RetryAfter" in row.last_error
    wait = _aware(row.next_attempt_at) - utcnow()
    assert timedelta(seconds=100) < wait <= timedelta(seconds=120)


def test_after_the_last_attempt_the_post_stays_failed_and_visible(rig):
    rig.fake.down = True
    rig.helpdesk.notifier.max_attempts = 2
    cid, _ = rig.conversation()
    rig.request_handover(cid)
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.deliver_due)
    [row] = rig.outbox(cid)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)
    rig.fake.down = False
    rig.client.portal.call(rig.helpdesk.notifier.deliver_due)
    assert rig.outbox(cid)[0].status == "failed"  # given up: not posted behind anyone's back


def test_a_request_claimed_before_the_post_went_out_is_skipped(rig, staff):
    rig.fake.down = True
    cid, _ = rig.conversation()
    rig.request_handover(cid)
    assert rig.client.post(f"/api/v1/conversations/{cid}/claim", json={"staff": "Sanne"},
                           headers=staff).status_code == 200
    rig.fake.down = False
    _force_due(rig, cid)
    rig.client.portal.call(rig.helpdesk.notifier.deliver_due)
    assert rig.outbox(cid)[0].status == "skipped"
    assert rig.posts_for(cid) == []


def test_the_retry_loop_runs_in_the_background(migrated, fake_rasa):
    with TelegramRig(migrated, fake_rasa, telegram_retry_seconds=0.05) as rig:
        rig.helpdesk.notifier.backoff_base = 0.0
        rig.fake.fail(500, times=2, method="sendMessage")
        cid, _ = rig.conversation()
        assert rig.request_handover(cid).status_code == 200
        assert wait_for(lambda: rig.outbox(cid)[0].status == "sent")
        assert rig.outbox(cid)[0].attempts == 3
        assert len(rig.posts_for(cid)) == 1


def test_with_telegram_off_nothing_is_queued(client, service):
    cid = client.post("/api/v1/conversations").json()["conversation_id"]
    assert client.post(f"/api/v1/conversations/{cid}/handover", headers=service).status_code == 200
    from sqlalchemy import func, select

    from backend.models import TelegramHandover

    with client.app.state.db.session() as s:
        assert s.scalar(select(func.count()).select_from(TelegramHandover)
                        .where(TelegramHandover.conversation_id == cid)) == 0


def _aware(value):
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _force_due(rig: TelegramRig, cid: str) -> None:
    """Skip the backoff: make the conversation's outbox rows due now."""
    from sqlalchemy import update

    from backend.models import TelegramHandover

    with rig.app.state.db.session() as s:
        s.execute(update(TelegramHandover).where(TelegramHandover.conversation_id == cid,
                                                 TelegramHandover.next_attempt_at.is_not(None))
                  .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
