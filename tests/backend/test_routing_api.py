"""GET /api/v1/werkplaatsen (the configuration for staff) and the menukaart's offer vocabulary as
the coordinator's Ticket.offer uses it."""

from __future__ import annotations

import pytest

from backend.models import Ticket
from backend.services import tickets
from backend.services.menukaart import OFFER_KEYS, OFFER_LABELS, offer_key
from backend.services.werkplaatsen import load_directory
from backend.settings import ROOT
from tests.backend.helpers import bearer, start_conversation, ticket_payload

WERKPLAATSEN = "/api/v1/werkplaatsen"
DIRECTORY = load_directory(ROOT / "config" / "werkplaatsen.yml")


@pytest.mark.parametrize("headers", [{}, bearer("wrong")], ids=["none", "wrong"])
def test_the_list_needs_the_staff_token(client, service, headers):
    assert client.get(WERKPLAATSEN, headers=headers).status_code == 401
    assert client.get(WERKPLAATSEN, headers=service).status_code == 401


def test_the_list_shows_the_configuration(client, staff):
    response = client.get(WERKPLAATSEN, headers=staff)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["file"] == "werkplaatsen.yml"
    assert [w["name"] for w in body["werkplaatsen"]] == [w.name for w in DIRECTORY.werkplaatsen]
    assert body["landelijk"]["name"] == DIRECTORY.default
    assert [o["offer"] for o in body["offers"]] == list(OFFER_KEYS)
    limburg = next(w for w in body["werkplaatsen"] if w["name"] == "MKB Datalab Limburg")
    assert limburg["provinces"] == ["Limburg"]
    assert limburg["postcode_ranges"] == ["58-64"]
    assert limburg["themes"] == ["data", "automatisering"]
    assert "Digitale Werkplaats Midden- en Zuidoost-Brabant" in limburg["neighbours"]
    hackathon = next(o for o in limburg["offers"] if o["offer"] == "hackathon")
    assert hackathon == {"offer": "hackathon", "label": "hackathon", "themes": ["data"],
                         "employees": {"min": None, "max": None}, "urgency": None}
    assert {"label": "zomervakantie", "from": "07-01", "to": "08-31", "yearly": True} in \
        limburg["no_students"]
    assert {"label": "carnavalsvakantie", "from": "2027-02-06", "to": "2027-02-14",
            "yearly": False} in limburg["no_students"]
    for werkplaats in (*body["werkplaatsen"], body["landelijk"]):
        assert isinstance(werkplaats["students_available"], bool)
        assert (werkplaats["available_from"] is None) is werkplaats["students_available"]


# --- the offer vocabulary -------------------------------------------------------------------------


def test_the_coordinators_offers_are_the_menukaart_labels():
    assert tickets.OFFERS == tuple(OFFER_LABELS[k] for k in OFFER_KEYS)
    assert len(set(tickets.OFFERS)) == len(OFFER_KEYS)
    for key, label in OFFER_LABELS.items():
        assert offer_key(key) == offer_key(label) == key
    assert offer_key("cursus") is None


@pytest.mark.parametrize(("given", "stored", "key"), [
    ("helpdesk-uur", "helpdesk-uur", "helpdeskuur"),  # the label, as the dashboard sends it
    ("helpdeskuur", "helpdesk-uur", "helpdeskuur"),  # the key, as routing proposes it
    ("project_10_20_weken", "project 10-20 weken", "project_10_20_weken"),
])
def test_an_offer_is_assigned_by_label_or_key(client, service, staff, given, stored, key):
    cid, _ = start_conversation(client)
    reference = client.post("/api/v1/tickets", json=ticket_payload(cid),
                            headers=service).json()["reference"]
    with client.app.state.db.session() as s:
        tickets.assign_offer(s, reference=reference, offer=given)
    with client.app.state.db.session() as s:
        assert s.query(Ticket).filter_by(reference=reference).one().offer == stored
    ticket = client.get(f"/api/v1/tickets/{reference}", headers=staff).json()
    assert (ticket["offer"], ticket["offer_key"]) == (stored, key)


def test_an_unknown_offer_is_refused_and_changes_nothing(client, service):
    cid, _ = start_conversation(client)
    reference = client.post("/api/v1/tickets", json=ticket_payload(cid),
                            headers=service).json()["reference"]
    with client.app.state.db.session() as s, pytest.raises(tickets.InvalidTicketChange,
                                                            match="unknown offer 'cursus'"):
        tickets.assign_offer(s, reference=reference, offer="cursus")
    with client.app.state.db.session() as s:
        assert s.query(Ticket).filter_by(reference=reference).one().offer is None
