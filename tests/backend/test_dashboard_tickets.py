"""Tickets in the dashboard: filters, the ticket page, a coordinator's status change and offer,
and the services behind them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from backend.models import Ticket
from backend.services import tickets
from tests.backend.dashboard_helpers import sign_in
from tests.backend.helpers import start_conversation, ticket_payload


def make_ticket(client, service, *, theme="online_marketing_sales", postcode="3511 AB",
                created: datetime | None = None) -> tuple[str, str]:
    """A ticket with a unique company name; returns (reference, company name)."""
    cid, _ = start_conversation(client)
    name = f"Firma {uuid.uuid4().hex[:8]}"
    payload = ticket_payload(cid, theme=theme, themes=[{"theme": theme, "confidence": 0.9}])
    payload["company"] = {**payload["company"], "name": name, "postcode": postcode}
    response = client.post("/api/v1/tickets", headers=service, json=payload)
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    if created is not None:
        with client.app.state.db.session() as s:
            s.execute(update(Ticket).where(Ticket.reference == reference)
                      .values(created_at=created))
    return reference, name


def listed(client, **filters) -> str:
    response = client.get("/dashboard/tickets", params=filters)
    assert response.status_code == 200, response.text
    return response.text


def test_the_list_filters_by_theme_status_and_werkplaats(client, service):
    sign_in(client, "student")
    _, data_utrecht = make_ticket(client, service, theme="data", postcode="3511 AB")
    _, data_amsterdam = make_ticket(client, service, theme="data", postcode="1012 AB")
    ref, marketing = make_ticket(client, service, theme="online_marketing_sales")
    with client.app.state.db.session() as s:
        tickets.set_status(s, reference=ref, status="gematcht")

    page = listed(client, theme="data")
    assert data_utrecht in page and data_amsterdam in page and marketing not in page
    page = listed(client, theme="data", werkplaats="Digitale Werkplaats Utrecht")
    assert data_utrecht in page and data_amsterdam not in page
    page = listed(client, status="gematcht")
    assert marketing in page and data_utrecht not in page
    page = listed(client)
    assert data_utrecht in page and data_amsterdam in page and marketing in page


def test_the_list_filters_by_dutch_calendar_date(client, service):
    sign_in(client, "student")
    _, early = make_ticket(client, service, created=datetime(2001, 3, 10, 12, tzinfo=UTC))
    # 23:30 UTC on the 14th is already the 15th in the Netherlands
    _, late_evening = make_ticket(client, service,
                                  created=datetime(2001, 3, 14, 23, 30, tzinfo=UTC))
    _, later = make_ticket(client, service, created=datetime(2001, 3, 20, 9, tzinfo=UTC))

    page = listed(client, van="2001-03-15")
    assert late_evening in page and later in page and early not in page
    page = listed(client, van="2001-03-01", tot="2001-03-14")
    assert early in page and late_evening not in page and later not in page
    page = listed(client, tot="2001-03-15", van="2001-03-15")
    assert late_evening in page and early not in page and later not in page


def test_a_bad_date_is_reported_not_fatal(client):
    sign_in(client, "student")
    page = listed(client, van="gisteren")
    assert "gisteren is geen geldige datum" in page


def test_the_ticket_page(client, service):
    sign_in(client, "student")
    ref, name = make_ticket(client, service)
    page = client.get(f"/dashboard/tickets/{ref}")
    assert page.status_code == 200
    assert name in page.text and "jan@example.nl" in page.text
    assert "Digitale Werkplaats Utrecht" in page.text
    assert 'name="status"' not in page.text  # a student only reads
    assert client.get("/dashboard/tickets/DW-1999-00001").status_code == 404


def test_a_coordinator_changes_status_and_assigns_an_offer(client, service):
    csrf = sign_in(client, "coordinator")
    ref, _ = make_ticket(client, service)
    assert 'name="status"' in client.get(f"/dashboard/tickets/{ref}").text
    response = client.post(f"/dashboard/tickets/{ref}", follow_redirects=False,
                           data={"csrf_token": csrf, "status": "gematcht",
                                 "offer": "project 10-20 weken"})
    assert response.status_code == 303
    with client.app.state.db.session() as s:
        ticket = tickets.get_ticket(s, reference=ref)
        assert (ticket.status, ticket.offer) == ("gematcht", "project 10-20 weken")
    api = client.get(f"/api/v1/tickets/{ref}",
                     headers={"Authorization": "Bearer test-admin-token-0123456789"}).json()
    assert api["status"] == "gematcht" and api["offer"] == "project 10-20 weken"
    client.post(f"/dashboard/tickets/{ref}", data={"csrf_token": csrf, "status": "afgerond",
                                                  "offer": ""})
    with client.app.state.db.session() as s:
        ticket = tickets.get_ticket(s, reference=ref)
        assert (ticket.status, ticket.offer) == ("afgerond", None)


def test_a_student_cannot_change_a_ticket(client, service):
    csrf = sign_in(client, "student")
    ref, _ = make_ticket(client, service)
    response = client.post(f"/dashboard/tickets/{ref}",
                           data={"csrf_token": csrf, "status": "afgerond", "offer": "hackathon"})
    assert response.status_code == 403
    with client.app.state.db.session() as s:
        ticket = tickets.get_ticket(s, reference=ref)
        assert (ticket.status, ticket.offer) == ("nieuw", None)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_changing_a_ticket_needs_the_csrf_token(client, service, token):
    sign_in(client, "admin")
    ref, _ = make_ticket(client, service)
    data = {"status": "afgerond"} if token is None else {"status": "afgerond", "csrf_token": token}
    assert client.post(f"/dashboard/tickets/{ref}", data=data).status_code == 403
    with client.app.state.db.session() as s:
        assert tickets.get_ticket(s, reference=ref).status == "nieuw"


@pytest.mark.parametrize(("status", "offer"), [("klaar", "hackathon"), ("gematcht", "cursus")])
def test_unknown_values_change_nothing(client, service, status, offer):
    csrf = sign_in(client, "coordinator")
    ref, _ = make_ticket(client, service)
    response = client.post(f"/dashboard/tickets/{ref}",
                           data={"csrf_token": csrf, "status": status, "offer": offer})
    assert response.status_code == 422
    with client.app.state.db.session() as s:
        ticket = tickets.get_ticket(s, reference=ref)
        assert (ticket.status, ticket.offer) == ("nieuw", None)  # all or nothing


def test_the_services_validate_status_and_offer(client, service):
    ref, _ = make_ticket(client, service)
    with client.app.state.db.session() as s:
        with pytest.raises(tickets.InvalidTicketChange, match="nieuw, in behandeling"):
            tickets.set_status(s, reference=ref, status="done")
        with pytest.raises(tickets.InvalidTicketChange, match="kort project"):
            tickets.assign_offer(s, reference=ref, offer="stage")
        with pytest.raises(tickets.TicketNotFound):
            tickets.set_status(s, reference="DW-1999-00001", status="nieuw")
        for status in tickets.STATUSES:
            assert tickets.set_status(s, reference=ref, status=status).status == status
        for offer in tickets.OFFERS:
            assert tickets.assign_offer(s, reference=ref, offer=offer).offer == offer
