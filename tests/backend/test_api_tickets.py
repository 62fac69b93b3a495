"""The staff/action-server API: /api/v1/tickets and /api/v1/classify."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.models import Ticket
from backend.services.tickets import dutch_today
from backend.services.werkplaatsen import load_directory
from backend.settings import ROOT
from tests.backend.conftest import make_settings
from tests.backend.helpers import bearer, count, start_conversation, ticket_payload

TICKETS = "/api/v1/tickets"
CLASSIFY = "/api/v1/classify"
REFERENCE = re.compile(r"^DW-\d{4}-\d{5}$")
THEMES = ("online_marketing_sales", "data", "automatisering", "overig")
DIRECTORY = load_directory(ROOT / "config" / "werkplaatsen.yml")


def werkplaats_for(postcode: str) -> str:
    """The expected werkplaats, read off the config's ranges (first two postcode digits)."""
    digits = postcode.strip()[:2]
    if len(digits) == 2 and digits.isdigit():
        for wp in DIRECTORY.werkplaatsen:
            if any(lo <= int(digits) <= hi for lo, hi in wp.ranges):
                return wp.name
    return DIRECTORY.default


def new_ticket(client, headers, **overrides) -> dict:
    cid, _ = start_conversation(client)
    response = client.post(TICKETS, json=ticket_payload(cid, **overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- creating ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("wrong"), bearer("test-service-token-0123456789x")],
    ids=["none", "wrong", "almost"],
)
def test_creating_needs_the_service_token(client, headers):
    cid, _ = start_conversation(client)
    response = client.post(TICKETS, json=ticket_payload(cid), headers=headers)
    assert response.status_code == 401
    assert count(client, Ticket, conversation_id=cid) == 0


def test_a_conversation_token_cannot_create_tickets(client):
    cid, conversation_headers = start_conversation(client)
    response = client.post(TICKETS, json=ticket_payload(cid), headers=conversation_headers)
    assert response.status_code == 401
    assert count(client, Ticket, conversation_id=cid) == 0


def test_staff_may_create_tickets_too(client, staff):
    assert REFERENCE.match(new_ticket(client, staff)["reference"])


def test_a_valid_ticket_is_created_with_every_field(client, service):
    cid, _ = start_conversation(client)
    payload = ticket_payload(cid, details={"website": "ja", "budget": 5000})
    payload["company"]["postcode"] = "3511ab"

    response = client.post(TICKETS, json=payload, headers=service)

    assert response.status_code == 201, response.text
    ticket = response.json()
    assert set(ticket) >= {
        "reference", "status", "channel", "conversation_id", "created_at", "theme", "themes",
        "question", "summary", "company", "contact", "werkplaats", "consent", "intake",
    }
    assert REFERENCE.match(ticket["reference"])
    created = datetime.fromisoformat(ticket["created_at"])
    assert created.tzinfo is not None
    assert ticket["reference"].split("-")[1] == str(created.year)
    assert ticket["status"] == "nieuw"
    assert ticket["channel"] == "webchat"
    assert ticket["conversation_id"] == cid
    assert ticket["theme"] == payload["theme"]
    assert ticket["themes"] == sorted(payload["themes"], key=lambda t: -t["confidence"])
    assert ticket["question"] == payload["question"]
    assert ticket["summary"] == payload["summary"]
    company = payload["company"]
    assert ticket["company"] == {
        "name": company["name"],
        "sector": company["sector"],
        "employees": company["employees"],
        "postcode": "3511 AB",  # normalised
        "place": company["place"],
        "kvk_number": company["kvk_number"],
    }
    assert type(ticket["company"]["employees"]) is int
    assert ticket["contact"] == {
        "name": payload["contact"]["name"],
        "email": payload["contact"]["email"].lower(),
        "phone": payload["contact"]["phone"],
    }
    assert ticket["werkplaats"] == werkplaats_for("3511")
    assert ticket["consent"] == {"privacy": True, "followup": True}
    assert ticket["intake"] == payload["intake"]
    assert ticket["details"] == payload["details"]


def test_the_werkplaats_follows_the_postcode(client, service):
    utrecht, amsterdam = werkplaats_for("3511 AB"), werkplaats_for("1012 AB")
    assert utrecht != amsterdam
    assert DIRECTORY.default not in (utrecht, amsterdam)
    for postcode, expected in [
        ("3511 AB", utrecht),
        ("1012 AB", amsterdam),
        ("", DIRECTORY.default),
        ("onbekend", DIRECTORY.default),
    ]:
        payload_company = {**ticket_payload("x")["company"], "postcode": postcode}
        ticket = new_ticket(client, service, company=payload_company)
        assert ticket["werkplaats"] == expected, postcode


def test_minimal_ticket_with_phone_only(client, service):
    cid, _ = start_conversation(client)
    payload = {
        "conversation_id": cid,
        "question": "Hoe kan ik mijn administratie automatiseren?",
        "theme": "automatisering",
        "themes": [{"theme": "automatisering", "confidence": 1.0}],
        "company": {"name": "Garage Jansen"},
        "contact": {"name": "Piet", "phone": "0612345678"},
        "consent": {"privacy": True},
    }
    response = client.post(TICKETS, json=payload, headers=service)
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["contact"]["email"] is None
    assert ticket["consent"] == {"privacy": True, "followup": False}
    assert ticket["intake"] == {"source": None, "maturity": None}
    assert ticket["company"]["employees"] is None
    assert ticket["werkplaats"] == DIRECTORY.default


def test_posting_the_same_conversation_again_is_idempotent(client, service, staff):
    cid, _ = start_conversation(client)
    first = client.post(TICKETS, json=ticket_payload(cid), headers=service)
    assert first.status_code == 201
    again = client.post(
        TICKETS, json=ticket_payload(cid, question="Een andere vraag"), headers=service
    )
    assert again.status_code == 200, again.text
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["question"] == first.json()["question"]
    assert count(client, Ticket, conversation_id=cid) == 1


def test_concurrent_posts_for_one_conversation_make_one_ticket(client, service, staff):
    cid, _ = start_conversation(client)
    payload = ticket_payload(cid)
    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(lambda _: client.post(TICKETS, json=payload, headers=service),
                                  range(10)))

    assert sorted(r.status_code for r in responses) == [200] * 9 + [201], [
        (r.status_code, r.text[:100]) for r in responses
    ]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert count(client, Ticket, conversation_id=cid) == 1
    listed = client.get(TICKETS, params={"limit": 1000}, headers=staff).json()["items"]
    assert [t["reference"] for t in listed if t["conversation_id"] == cid] == [
        responses[0].json()["reference"]
    ]


def test_unknown_conversation_is_404(client, service):
    response = client.post(TICKETS, json=ticket_payload("does-not-exist"), headers=service)
    assert response.status_code == 404
    assert count(client, Ticket, conversation_id="does-not-exist") == 0


def test_nul_bytes_in_a_ticket_are_stripped(client, service):
    cid, _ = start_conversation(client)
    payload = ticket_payload(cid, question="vraag\u0000 met nul", details={"notitie": "a\u0000b"})
    payload["company"]["name"] = "Bakker\u0000 BV"

    response = client.post(TICKETS, json=payload, headers=service)

    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["question"] == "vraag met nul"
    assert ticket["company"]["name"] == "Bakker BV"
    assert ticket["details"] == {"notitie": "ab"}


def _without(section: str, key: str):
    def change(p):
        del p[section][key]
    return change


def _set(path: str, value):
    def change(p):
        *parents, last = path.split(".")
        target = p
        for part in parents:
            target = target[part]
        target[last] = value
    return change


INVALID = {
    "privacy consent false": _set("consent.privacy", False),
    "privacy consent as string": _set("consent.privacy", "true"),
    "no email and no phone": lambda p: p.update(contact={"name": "Jan"}),
    "email and phone null": lambda p: p.update(contact={"name": "Jan", "email": None,
                                                        "phone": None}),
    "bad email": _set("contact.email", "jan@example"),
    "email with space": _set("contact.email", "jan de vries@example.nl"),
    "bad phone": _set("contact.phone", "bel me"),
    "kvk too short": _set("company.kvk_number", "1234567"),
    "kvk with letter": _set("company.kvk_number", "1234567a"),
    "kvk too long": _set("company.kvk_number", "123456789"),
    "theme not in themes": _set("theme", "automatisering"),
    "unknown theme": _set("theme", "marketing"),
    "no themes": _set("themes", []),
    "confidence above 1": _set("themes", [{"theme": "online_marketing_sales",
                                           "confidence": 1.5}]),
    "extra field": lambda p: p.update(hacked=True),
    "maturity 11": _set("intake.maturity", 11),
    "maturity 0": _set("intake.maturity", 0),
    "negative employees": _set("company.employees", -1),
    "no company name": _without("company", "name"),
    "empty question": _set("question", ""),
    "no conversation id": lambda p: p.pop("conversation_id"),
}


@pytest.mark.parametrize("case", list(INVALID), ids=list(INVALID))
def test_invalid_payloads_are_422(client, service, case):
    cid, _ = start_conversation(client)
    payload = ticket_payload(cid)
    INVALID[case](payload)

    response = client.post(TICKETS, json=payload, headers=service)

    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)
    assert count(client, Ticket, conversation_id=cid) == 0


def test_invalid_json_is_422(client, service):
    response = client.post(
        TICKETS, content=b"{not json", headers={**service, "Content-Type": "application/json"}
    )
    assert response.status_code == 422


def test_validation_errors_do_not_echo_the_input(client, service):
    cid, _ = start_conversation(client)
    secret = "geheim" + "q" * 6000
    payload = ticket_payload(cid, question=secret * 3, summary=secret * 3)
    payload[secret] = 1  # an unknown (forbidden) key
    payload["contact"]["email"] = secret
    response = client.post(TICKETS, json=payload, headers=service)
    assert response.status_code == 422
    assert len(response.content) < 2000
    assert "q" * 50 not in response.text


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TICKETS, f"{TICKETS}/DW-2020-00001"])
def test_reading_needs_the_staff_token(client, service, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer("wrong")).status_code == 401
    # the action server's token may write tickets but not read them
    assert client.get(path, headers=service).status_code == 401


def test_unknown_reference_is_404(client, staff):
    assert client.get(f"{TICKETS}/DW-NOPE-0", headers=staff).status_code == 404
    assert client.get(f"{TICKETS}/DW-1999-99999", headers=staff).status_code == 404


def test_get_one_ticket(client, service, staff):
    created = new_ticket(client, service)
    response = client.get(f"{TICKETS}/{created['reference']}", headers=staff)
    assert response.status_code == 200
    assert response.json() == created


def test_list_is_newest_first(client, service, staff):
    refs = [new_ticket(client, service)["reference"] for _ in range(3)]

    response = client.get(TICKETS, params={"limit": 1000}, headers=staff)

    assert response.status_code == 200
    items = response.json()["items"]
    listed = [t["reference"] for t in items]
    assert [r for r in listed if r in refs] == list(reversed(refs))
    stamps = [datetime.fromisoformat(t["created_at"]) for t in items]
    assert stamps == sorted(stamps, reverse=True)
    assert listed.index(refs[-1]) == 0


def test_list_limit(client, service, staff):
    new_ticket(client, service)
    new_ticket(client, service)
    items = client.get(TICKETS, params={"limit": 1}, headers=staff).json()["items"]
    assert len(items) == 1
    assert client.get(TICKETS, params={"limit": 0}, headers=staff).status_code == 422


def test_list_filters(client, service, staff):
    auto = new_ticket(
        client, service, theme="automatisering",
        themes=[{"theme": "automatisering", "confidence": 0.9},
                {"theme": "data", "confidence": 0.1}],
    )
    other = new_ticket(client, service)  # online_marketing_sales, Utrecht
    amsterdam = new_ticket(client, service, company={**ticket_payload("x")["company"],
                                                     "postcode": "1012 AB"})
    with client.app.state.db.session() as s:
        s.query(Ticket).filter_by(reference=other["reference"]).one().status = "afgerond"

    def refs(**params):
        response = client.get(TICKETS, params={**params, "limit": 1000}, headers=staff)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        for key, value in params.items():
            assert all(t[key] == value for t in items), key
        return {t["reference"] for t in items}

    by_theme = refs(theme="automatisering")
    assert auto["reference"] in by_theme
    assert other["reference"] not in by_theme

    done = refs(status="afgerond")
    assert other["reference"] in done
    assert auto["reference"] not in done
    new = refs(status="nieuw")
    assert auto["reference"] in new and other["reference"] not in new

    noord_holland = refs(werkplaats=werkplaats_for("1012"))
    assert amsterdam["reference"] in noord_holland
    assert other["reference"] not in noord_holland

    both = refs(theme="automatisering", status="afgerond")
    assert auto["reference"] not in both and other["reference"] not in both

    assert client.get(TICKETS, params={"theme": "marketing"}, headers=staff).status_code == 422


# --- classify ---------------------------------------------------------------------------------


def expected_scores(ranking: list[dict]) -> dict[str, float]:
    raw = {theme: 0.0 for theme in THEMES}
    for item in ranking:
        name = item["name"].removeprefix("describe_need_")
        if item["name"].startswith("describe_need_") and name in raw:
            raw[name] = max(raw[name], item["confidence"])
    total = sum(raw.values())
    return {theme: value / total for theme, value in raw.items()}


@pytest.mark.parametrize(
    "ranking",
    [
        [
            {"name": "describe_need_online_marketing_sales", "confidence": 0.7},
            {"name": "describe_need_data", "confidence": 0.2},
            {"name": "greet", "confidence": 0.1},
        ],
        [
            {"name": "describe_need_automatisering", "confidence": 0.5},
            {"name": "greet", "confidence": 0.3},
            {"name": "describe_need_data", "confidence": 0.15},
            {"name": "describe_need_overig", "confidence": 0.05},
        ],
        [
            {"name": "describe_need_overig", "confidence": 0.2},
            {"name": "describe_need_data", "confidence": 0.6},
            {"name": "describe_need_online_marketing_sales", "confidence": 0.1},
            {"name": "describe_need_automatisering", "confidence": 0.1},
        ],
    ],
    ids=["marketing", "automatisering", "data"],
)
def test_classify_follows_the_nlu_ranking(client, fake_rasa, staff, ranking):
    fake_rasa.parse_ranking = ranking
    expected = expected_scores(ranking)

    response = client.post(CLASSIFY, json={"text": "ik wil meer klanten"}, headers=staff)

    assert response.status_code == 200, response.text
    body = response.json()
    themes = body["themes"]
    assert sorted(t["theme"] for t in themes) == sorted(THEMES)
    confidences = [t["confidence"] for t in themes]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=0.005)
    for item in themes:
        assert item["confidence"] == pytest.approx(expected[item["theme"]], abs=0.001)
    assert body["theme"] == themes[0]["theme"] == max(expected, key=expected.get)


def test_classify_without_theme_intents_falls_back_to_overig(client, fake_rasa, staff):
    fake_rasa.parse_ranking = [{"name": "greet", "confidence": 0.9}]
    body = client.post(CLASSIFY, json={"text": "hallo"}, headers=staff).json()
    assert body["theme"] == "overig"
    assert sum(t["confidence"] for t in body["themes"]) == pytest.approx(1.0, abs=0.005)


@pytest.mark.parametrize("headers", [{}, bearer("wrong")], ids=["none", "wrong"])
def test_classify_needs_the_staff_token(client, service, headers):
    assert client.post(CLASSIFY, json={"text": "webshop"}, headers=headers).status_code == 401
    assert client.post(CLASSIFY, json={"text": "webshop"}, headers=service).status_code == 401


@pytest.mark.parametrize(
    "body", [{"text": ""}, {"text": "   "}, {}, {"text": 3}], ids=["empty", "blank", "none", "int"]
)
def test_classify_rejects_empty_text(client, staff, body):
    assert client.post(CLASSIFY, json=body, headers=staff).status_code == 422


def test_classify_rejects_long_text_without_echo(client, staff):
    response = client.post(CLASSIFY, json={"text": "geheim" + "w" * 6000}, headers=staff)
    assert response.status_code == 422
    assert len(response.content) < 500 and "geheim" not in response.text


def test_classify_when_rasa_is_down_is_503(client, fake_rasa, staff):
    fake_rasa.up = False
    response = client.post(CLASSIFY, json={"text": "webshop"}, headers=staff)
    assert response.status_code == 503
    assert response.json()["detail"]


# --- routing: werkplaats, offers and students (backend/services/routing.py) -------------------


def test_the_ticket_says_how_it_was_routed(client, service, staff):
    payload_details = {"urgency": "binnen 3 maanden", "goal": "meer klanten"}
    ticket = new_ticket(client, service, details=payload_details)  # Utrecht, online marketing

    routing = ticket["routing"]
    assert ticket["werkplaats"] == routing["werkplaats"] == werkplaats_for("3511 AB")
    assert routing["reason"] == "postcode"
    assert routing["region_werkplaats"] == ticket["werkplaats"]
    assert routing["urgency"] == "binnen 3 maanden"
    utrecht = DIRECTORY.by_name(ticket["werkplaats"])
    assert set(routing["offers"]) <= {o.key for o in utrecht.offers}
    assert routing["offers"] and len(set(routing["offers"])) == len(routing["offers"])
    assert isinstance(routing["students_available"], bool)
    assert (routing["available_from"] is None) is routing["students_available"]
    assert ticket["details"] == payload_details  # the routing is not mixed into the details
    assert client.get(f"{TICKETS}/{ticket['reference']}", headers=staff).json() == ticket


def test_a_theme_the_own_werkplaats_lacks_goes_to_a_neighbour(client, service):
    limburg = werkplaats_for("6211 AB")
    assert "online_marketing_sales" not in DIRECTORY.by_name(limburg).themes
    ticket = new_ticket(client, service,
                        company={**ticket_payload("x")["company"], "postcode": "6211 AB"})
    routing = ticket["routing"]
    assert routing["reason"] == "buurwerkplaats"
    assert routing["region_werkplaats"] == limburg != ticket["werkplaats"]
    assert ticket["werkplaats"] in DIRECTORY.by_name(limburg).neighbours
    assert "online_marketing_sales" in DIRECTORY.by_name(ticket["werkplaats"]).themes


def test_without_a_postcode_the_landelijk_loket(client, service):
    ticket = new_ticket(client, service, company={**ticket_payload("x")["company"], "postcode": ""})
    assert ticket["werkplaats"] == DIRECTORY.default
    assert ticket["routing"]["reason"] == "landelijk"
    assert ticket["routing"]["region_werkplaats"] is None


def test_the_backend_fills_in_the_routing_itself(client, service):
    cid, _ = start_conversation(client)
    payload = ticket_payload(cid, details={"routing": "postcode"})
    response = client.post(TICKETS, json=payload, headers=service)
    assert response.status_code == 422
    assert "routing" in response.json()["detail"]
    assert count(client, Ticket, conversation_id=cid) == 0


def test_the_stored_routing_does_not_change_when_posted_again(client, service):
    cid, _ = start_conversation(client)
    first = client.post(TICKETS, json=ticket_payload(cid), headers=service).json()
    company = {**ticket_payload(cid)["company"], "postcode": "6211 AB"}
    again = client.post(TICKETS, json=ticket_payload(cid, company=company), headers=service)
    assert again.status_code == 200
    assert again.json()["routing"] == first["routing"]


def test_tickets_from_before_routing_keep_their_details(client, service, staff):
    old = new_ticket(client, service)
    own = new_ticket(client, service)
    with client.app.state.db.session() as s:
        s.query(Ticket).filter_by(reference=old["reference"]).one().details = {"goal": "x"}
        s.query(Ticket).filter_by(reference=own["reference"]).one().details = {"routing": "zelf"}
    old_now = client.get(f"{TICKETS}/{old['reference']}", headers=staff).json()
    own_now = client.get(f"{TICKETS}/{own['reference']}", headers=staff).json()
    assert (old_now["routing"], old_now["details"]) == (None, {"goal": "x"})
    assert (own_now["routing"], own_now["details"]) == (None, {"routing": "zelf"})


@pytest.fixture
def holiday_client(tmp_path, migrated, fake_rasa):
    """The app with a werkplaatsen file in which today lies in the summer holiday."""
    today = dutch_today()
    start, end = today.replace(day=1), today + timedelta(days=3)
    path = tmp_path / "werkplaatsen.yml"
    path.write_text(
        f"default: Loket\nno_students:\n  - {{from: {start}, to: {end}, label: zomervakantie}}\n"
        "werkplaatsen:\n  - name: Utrecht\n    provinces: [Utrecht]\n"
        "    themes: [online_marketing_sales]\n"
        "    offers: [project_10_20_weken, kort_project, webinar_masterclass, helpdeskuur]\n",
        encoding="utf-8")
    hours = tmp_path / "helpdesk.yml"
    hours.write_text("hours: {monday: '09:00-17:00'}\n")
    app = create_app(make_settings(migrated, fake_rasa.url, werkplaatsen_file=path,
                                   helpdesk_file=hours))
    with TestClient(app) as test_client:
        test_client.back = end + timedelta(days=1)
        yield test_client


def test_no_students_today_is_said_with_the_date_and_alternatives(holiday_client, service):
    ticket = new_ticket(holiday_client, service, details={"urgency": "zo snel mogelijk"})
    routing = ticket["routing"]
    assert ticket["werkplaats"] == "Utrecht"
    assert routing["students_available"] is False
    assert routing["available_from"] == holiday_client.back.isoformat()
    assert routing["no_students"] == ["zomervakantie"]
    assert routing["alternatives"] == ["helpdeskuur", "webinar_masterclass"]
    assert routing["alternatives_by"] == "Utrecht"
    assert routing["offers"][:2] == ["helpdeskuur", "webinar_masterclass"]  # urgent: first
