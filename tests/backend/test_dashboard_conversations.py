"""A conversation in the dashboard: transcript, draft/final ticket, claim, reply, release, close,
who may do what, CSRF, and the JSON the page polls."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.dashboard import draft
from tests.backend.dashboard_helpers import conversation, sign_in, waiting_conversation
from tests.backend.helpers import ticket_payload, transcript


def _post(client, cid, action, csrf, **data):
    return client.post(f"/dashboard/conversations/{cid}/{action}",
                       data={"csrf_token": csrf, **data}, follow_redirects=False)


def test_the_page_shows_the_transcript_and_a_draft(client, service):
    sign_in(client, "student")
    cid, _ = waiting_conversation(client, service, text="We willen <b>meer</b> klanten")
    page = client.get(f"/dashboard/conversations/{cid}")
    assert page.status_code == 200
    assert "We willen &lt;b&gt;meer&lt;/b&gt; klanten" in page.text  # escaped, never HTML
    assert "echo: We willen" in page.text  # the bot's answer
    assert "Concept-ticket" in page.text
    assert "niet op te halen" in page.text  # the fake Rasa has no tracker
    assert "Gesprek overnemen" in page.text


def test_the_draft_lists_what_the_bot_collected():
    rows = draft.from_slots({"need_description": "webshop", "company_name": "De Korst",
                             "employees": 6, "consent_privacy": True, "sector": None})
    assert rows == [("Vraag", "webshop"), ("Bedrijf", "De Korst"),
                    ("Aantal medewerkers", "6")]


def test_the_page_shows_the_final_ticket(client, service):
    sign_in(client, "student")
    cid, _ = waiting_conversation(client, service)
    ticket = client.post("/api/v1/tickets", headers=service, json=ticket_payload(cid)).json()
    page = client.get(f"/dashboard/conversations/{cid}").text
    assert f'href="/dashboard/tickets/{ticket["reference"]}"' in page
    assert "Bakkerij wil online verkopen." in page and "Concept-ticket" not in page


def test_an_unknown_conversation_is_404(client):
    sign_in(client, "student")
    assert client.get("/dashboard/conversations/nope").status_code == 404
    assert client.get("/dashboard/api/conversations/nope").status_code == 404


def test_claim_reply_release_close(client, service, fake_rasa):
    csrf = sign_in(client, "student", name="Sanne")
    cid, headers = waiting_conversation(client, service)

    response = _post(client, cid, "claim", csrf)
    assert response.status_code == 303
    assert response.headers["location"] == f"/dashboard/conversations/{cid}?melding=geclaimd"
    c = conversation(client, cid)
    assert c.state == "human" and c.assigned_to.startswith("student-")

    assert _post(client, cid, "reply", csrf, text="Hoi, ik ben Sanne").status_code == 303
    messages = transcript(client, cid, headers)
    assert messages[-1]["from"] == "staff" and messages[-1]["text"] == "Hoi, ik ben Sanne"
    assert "Hoi, ik ben Sanne" in client.get(f"/dashboard/conversations/{cid}").text

    response = _post(client, cid, "release", csrf)
    assert response.headers["location"].endswith("melding=teruggegeven")
    assert conversation(client, cid).state == "bot"
    assert fake_rasa.received[-1]["message"] == "/resume_intake"
    last = transcript(client, cid, headers)[-1]
    assert (last["from"], last["text"]) == ("bot", "echo: /resume_intake")

    response = _post(client, cid, "close", csrf, outcome="doorverwezen", note="naar KvK")
    assert response.headers["location"].endswith("melding=afgesloten")
    c = conversation(client, cid)
    assert c.state == "closed" and c.outcome == "doorverwezen: naar KvK"


def test_release_when_the_bot_is_down_still_hands_back(client, service, fake_rasa):
    csrf = sign_in(client, "student")
    cid, _ = waiting_conversation(client, service)
    _post(client, cid, "claim", csrf)
    fake_rasa.up = False
    response = _post(client, cid, "release", csrf)
    assert response.headers["location"].endswith("melding=teruggegeven-stil")
    assert conversation(client, cid).state == "bot"


def test_closing_needs_an_outcome_from_the_list(client, service):
    csrf = sign_in(client, "student")
    cid, _ = waiting_conversation(client, service)
    response = _post(client, cid, "close", csrf, outcome="zomaar")
    assert response.headers["location"].endswith("fout=uitkomst")
    assert conversation(client, cid).state == "waiting_for_human"


def test_an_empty_reply_is_not_sent(client, service):
    csrf = sign_in(client, "student")
    cid, headers = waiting_conversation(client, service)
    _post(client, cid, "claim", csrf)
    before = transcript(client, cid, headers)
    response = _post(client, cid, "reply", csrf, text="   \x00 ")
    assert response.headers["location"].endswith("fout=leeg")
    assert transcript(client, cid, headers) == before


def test_replying_needs_a_claim_first(client, service):
    csrf = sign_in(client, "student")
    cid, headers = waiting_conversation(client, service)
    before = transcript(client, cid, headers)
    response = _post(client, cid, "reply", csrf, text="hallo")
    assert response.headers["location"].endswith("fout=niet-van-jou")
    assert transcript(client, cid, headers) == before


def test_a_second_student_cannot_take_or_answer_a_claimed_conversation(client, service):
    csrf = sign_in(client, "student", name="Sanne")
    cid, headers = waiting_conversation(client, service)
    _post(client, cid, "claim", csrf)
    other = TestClient(client.app)
    other_csrf = sign_in(other, "student", name="Bram")
    page = other.get(f"/dashboard/conversations/{cid}").text
    assert "Overgenomen door <strong id=\"conv-assigned-name\">Sanne</strong>" in page
    before = transcript(client, cid, headers)
    assert _post(other, cid, "claim", other_csrf).headers["location"].endswith("fout=bezet")
    assert _post(other, cid, "reply", other_csrf, text="ik ook").headers["location"].endswith(
        "fout=niet-van-jou")
    assert _post(other, cid, "release", other_csrf).headers["location"].endswith(
        "fout=geen-recht")
    assert _post(other, cid, "close", other_csrf, outcome="doorverwezen").headers[
        "location"].endswith("fout=geen-recht")
    c = conversation(client, cid)
    assert c.state == "human" and transcript(client, cid, headers) == before


def test_a_coordinator_may_release_someone_elses_conversation(client, service):
    csrf = sign_in(client, "student")
    cid, _ = waiting_conversation(client, service)
    _post(client, cid, "claim", csrf)
    coordinator = TestClient(client.app)
    response = _post(coordinator, cid, "release", sign_in(coordinator, "coordinator"))
    assert response.headers["location"].endswith("melding=teruggegeven")
    assert conversation(client, cid).state == "bot"


@pytest.mark.parametrize(("action", "data"), [("claim", {}), ("reply", {"text": "hoi"}),
                                              ("release", {}), ("close",
                                                                {"outcome": "doorverwezen"})])
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_action_needs_the_csrf_token(client, service, action, data, token):
    csrf = sign_in(client, "admin")
    cid, headers = waiting_conversation(client, service)
    if action == "reply":
        _post(client, cid, "claim", csrf)
    state, before = conversation(client, cid).state, transcript(client, cid, headers)
    body = dict(data) if token is None else {**data, "csrf_token": token}
    response = client.post(f"/dashboard/conversations/{cid}/{action}", data=body)
    assert response.status_code == 403
    assert conversation(client, cid).state == state
    assert transcript(client, cid, headers) == before


def test_actions_need_a_session(client, service):
    cid, _ = waiting_conversation(client, service)
    response = client.post(f"/dashboard/conversations/{cid}/claim", data={"csrf_token": "x"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/login"
    assert conversation(client, cid).state == "waiting_for_human"


def test_the_json_the_page_polls(client, service):
    csrf = sign_in(client, "student", name="Sanne")
    cid, headers = waiting_conversation(client, service)
    first = client.get(f"/dashboard/api/conversations/{cid}").json()
    assert first["state"] == "waiting_for_human"
    assert first["actions"] == {"claim": True, "reply": False, "release": True, "close": True}
    count = first["message_count"]
    assert len(first["messages"]) == count
    _post(client, cid, "claim", csrf)
    _post(client, cid, "reply", csrf, text="Ik help je verder")
    client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Top, dank je"},
                headers=headers)
    later = client.get(f"/dashboard/api/conversations/{cid}", params={"since": count}).json()
    assert later["state"] == "human" and later["mine"] is True
    assert later["assigned_to"] == "Sanne"
    assert [(m["from"], m["text"]) for m in later["messages"]] == [
        ("staff", "Ik help je verder"), ("user", "Top, dank je")]
    assert later["message_count"] == count + 2
    assert later["actions"]["reply"] is True and later["actions"]["claim"] is False


def test_the_widget_sees_the_hand_over_state_when_it_polls(client, service):
    csrf = sign_in(client, "student")
    cid, headers = waiting_conversation(client, service)
    url = f"/api/v1/conversations/{cid}/messages"
    assert client.get(url, headers=headers).json()["state"] == "waiting_for_human"
    _post(client, cid, "claim", csrf)
    assert client.get(url, headers=headers).json()["state"] == "human"
    _post(client, cid, "release", csrf)
    body = client.get(url, headers=headers).json()
    assert body["state"] == "bot" and body["messages"][-1]["from"] == "bot"
