"""Routing (backend/services/routing.py): werkplaats by postcode with neighbour and landelijk
fallback, the offers that fit, and whether students are available on a given day."""

from __future__ import annotations

import json
from datetime import date

import pytest

from backend.services.menukaart import ALTERNATIVES, STUDENT_OFFERS, URGENCIES
from backend.services.routing import REASONS, availability, route, urgency_of
from backend.services.werkplaatsen import Period, Werkplaats, load_directory
from backend.settings import ROOT

CONFIG = """\
default: Loket
no_students:
  - {from: "06-15", to: "06-30", label: tentamenweken}
  - {from: "07-01", to: "08-31", label: zomervakantie}
  - {from: "12-21", to: "01-03", label: kerstvakantie}
werkplaatsen:
  - name: Datalab
    postcodes: ["58-64"]
    neighbours: [Desk, Brabant, Utrecht]
    themes: [data, automatisering]
    offers:
      project_10_20_weken: {urgency: [binnen 3 maanden, geen haast]}
      kort_project:
      hackathon: {themes: [data]}
      werkstudent: {employees: {min: 5, max: 50}}
      webinar_masterclass:
      doorverwijzing:
  - name: Desk
    postcodes: ["42-42"]
    themes: [automatisering]
    offers: [helpdeskuur]
  - name: Brabant
    postcodes: ["46-57"]
    neighbours: [Datalab]
    themes: [online_marketing_sales, data, automatisering]
    offers: [kort_project, project_10_20_weken, helpdeskuur]
    no_students:
      - {from: 2027-02-06, to: 2027-02-14, label: carnavalsvakantie}
  - name: Utrecht
    postcodes: ["34-39"]
    themes: [online_marketing_sales, overig]
    offers: [kort_project, werkstudent]
"""
AUTUMN = date(2026, 11, 23)  # no period: students are there
SUMMER = date(2027, 7, 15)


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    path = tmp_path_factory.mktemp("routing") / "werkplaatsen.yml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_directory(path)


def go(directory, postcode="6211 AB", theme="data", employees=10, urgency="binnen 3 maanden",
       today=AUTUMN):
    return route(directory, postcode=postcode, theme=theme, employees=employees, urgency=urgency,
                 today=today)


# --- which werkplaats ---------------------------------------------------------------------------


def test_the_werkplaats_of_the_postcode_when_it_takes_the_theme(directory):
    routing = go(directory, postcode="6211 AB", theme="data")
    assert (routing.werkplaats, routing.reason, routing.region_werkplaats) == (
        "Datalab", "postcode", "Datalab")


def test_a_neighbour_that_takes_the_theme_when_the_own_one_does_not(directory):
    # Datalab does no online marketing; the first neighbour (Desk) neither; Brabant does.
    routing = go(directory, postcode="6211 AB", theme="online_marketing_sales")
    assert (routing.werkplaats, routing.reason, routing.region_werkplaats) == (
        "Brabant", "buurwerkplaats", "Datalab")


def test_the_neighbours_are_tried_in_their_order(directory):
    routing = go(directory, postcode="6211 AB", theme="automatisering")
    assert routing.werkplaats == "Datalab"  # takes it itself
    routing = go(directory, postcode="6211 AB", theme="overig")  # only Utrecht, third neighbour
    assert (routing.werkplaats, routing.reason) == ("Utrecht", "buurwerkplaats")


def test_the_landelijk_loket_when_no_neighbour_takes_the_theme(directory):
    routing = go(directory, postcode="5211 AB", theme="overig")  # Brabant -> Datalab: no overig
    assert (routing.werkplaats, routing.reason, routing.region_werkplaats) == (
        "Loket", "landelijk", "Brabant")
    desk = go(directory, postcode="4201 AB", theme="data")  # Desk has no neighbours
    assert (desk.werkplaats, desk.reason) == ("Loket", "landelijk")


@pytest.mark.parametrize("postcode", ["", None, "onbekend", "1012 AB", "9711 AB"])
def test_the_landelijk_loket_without_a_postcode_in_any_region(directory, postcode):
    routing = go(directory, postcode=postcode)
    assert (routing.werkplaats, routing.reason, routing.region_werkplaats) == (
        "Loket", "landelijk", None)
    assert set(routing.offers) == set(ALTERNATIVES)  # the loket's desk, referral, webinars


# --- which offers -------------------------------------------------------------------------------


def test_offers_fit_the_theme(directory):
    assert "hackathon" in go(directory, theme="data").offers
    assert "hackathon" not in go(directory, theme="automatisering").offers  # only for data


@pytest.mark.parametrize(("employees", "werkstudent"), [(4, False), (5, True), (50, True),
                                                         (51, False), (None, True)])
def test_offers_fit_the_size(directory, employees, werkstudent):
    assert ("werkstudent" in go(directory, employees=employees).offers) is werkstudent


def test_offers_fit_the_urgency(directory):
    assert "project_10_20_weken" not in go(directory, urgency="zo snel mogelijk").offers
    for urgency in ("binnen 3 maanden", "geen haast", "weet ik nog niet", None):
        assert "project_10_20_weken" in go(directory, urgency=urgency).offers, urgency


def test_the_order_follows_the_urgency(directory):
    assert go(directory, urgency="geen haast").offers == (
        "project_10_20_weken", "kort_project", "hackathon", "werkstudent",
        "webinar_masterclass", "doorverwijzing")
    assert go(directory, urgency="binnen 3 maanden").offers[:2] == (
        "kort_project", "project_10_20_weken")
    brabant = go(directory, postcode="5211 AB", urgency="zo snel mogelijk")
    assert brabant.offers == ("helpdeskuur", "kort_project", "project_10_20_weken")  # quick first


@pytest.mark.parametrize(("text", "level"), [
    ("zo snel mogelijk", "zo snel mogelijk"), ("binnen 3 maanden", "binnen 3 maanden"),
    ("geen haast", "geen haast"), ("weet ik nog niet", "weet ik nog niet"),
    (None, "weet ik nog niet"), ("", "weet ik nog niet"), ("zsm graag!", "zo snel mogelijk"),
    ("ergens na de zomer", "binnen 3 maanden"), ("volgend jaar pas", "geen haast"),
    ("als de nieuwe kassa er is", "weet ik nog niet"),
])
def test_the_urgency_text_of_the_intake(text, level):
    assert urgency_of(text) == level
    assert level in URGENCIES


# --- are students there ---------------------------------------------------------------------------


def wp(*periods: Period) -> Werkplaats:
    return Werkplaats("W", "", ((10, 99),), no_students=periods)


@pytest.mark.parametrize(("today", "available", "back", "labels"), [
    (date(2027, 6, 14), True, None, ()),
    (date(2027, 6, 15), False, date(2027, 9, 1), ("tentamenweken", "zomervakantie")),
    (date(2027, 7, 15), False, date(2027, 9, 1), ("zomervakantie",)),
    (date(2027, 8, 31), False, date(2027, 9, 1), ("zomervakantie",)),
    (date(2027, 9, 1), True, None, ()),
    (date(2026, 12, 21), False, date(2027, 1, 4), ("kerstvakantie",)),  # over New Year
    (date(2027, 1, 3), False, date(2027, 1, 4), ("kerstvakantie",)),
    (date(2027, 1, 4), True, None, ()),
    (date(2027, 2, 10), True, None, ()),  # carnaval is Brabant's only
])
def test_availability_on_a_day(directory, today, available, back, labels):
    when = availability(directory.by_name("Datalab"), today)
    assert (when.students_available, when.available_from, when.labels) == (available, back, labels)


def test_a_werkplaats_adds_its_own_periods(directory):
    when = availability(directory.by_name("Brabant"), date(2027, 2, 10))
    assert (when.students_available, when.available_from, when.labels) == (
        False, date(2027, 2, 15), ("carnavalsvakantie",))
    assert availability(directory.by_name("Brabant"), date(2028, 2, 10)).students_available


def test_a_year_without_students_promises_no_date():
    when = availability(wp(Period("dicht", yearly=((1, 1), (12, 31)))), date(2027, 5, 1))
    assert (when.students_available, when.available_from) == (False, None)


def test_29_february_every_year():
    leap = wp(Period("schrikkel", yearly=((2, 20), (2, 29))))
    assert availability(leap, date(2027, 2, 28)).available_from == date(2027, 3, 1)
    assert availability(leap, date(2028, 2, 29)).available_from == date(2028, 3, 1)


def test_a_werkplaats_without_periods_always_has_students():
    assert availability(wp(), SUMMER).students_available


# --- no silent wait -------------------------------------------------------------------------------


def test_urgent_without_students_puts_the_alternatives_first(directory):
    routing = go(directory, urgency="zo snel mogelijk", today=SUMMER)
    assert routing.availability.students_available is False
    assert routing.availability.available_from == date(2027, 9, 1)
    assert routing.offers == ("webinar_masterclass", "doorverwijzing", "kort_project",
                              "hackathon", "werkstudent")
    assert (routing.alternatives, routing.alternatives_by) == (
        ("webinar_masterclass", "doorverwijzing"), "Datalab")


def test_not_urgent_without_students_keeps_the_order_and_names_the_alternatives(directory):
    summer, autumn = go(directory, urgency="geen haast", today=SUMMER), go(
        directory, urgency="geen haast")
    assert summer.offers == autumn.offers
    assert summer.alternatives == ("webinar_masterclass", "doorverwijzing")
    assert autumn.alternatives == () and autumn.alternatives_by is None


def test_without_alternatives_of_its_own_the_loket_offers_them(directory):
    routing = go(directory, postcode="3511 AB", theme="online_marketing_sales", today=SUMMER)
    assert routing.werkplaats == "Utrecht"  # kort_project and werkstudent only
    assert set(routing.offers) <= STUDENT_OFFERS
    assert routing.alternatives == ("webinar_masterclass", "helpdeskuur", "doorverwijzing")
    assert routing.alternatives_by == "Loket"


def test_the_outcome_as_stored_on_the_ticket(directory):
    stored = go(directory, postcode="6211 AB", theme="online_marketing_sales",
                urgency="zo snel mogelijk", today=SUMMER).as_dict()
    assert json.loads(json.dumps(stored)) == stored
    assert stored == {
        "werkplaats": "Brabant", "reason": "buurwerkplaats", "region_werkplaats": "Datalab",
        "urgency": "zo snel mogelijk",
        "offers": ["helpdeskuur", "kort_project", "project_10_20_weken"],
        "students_available": False, "available_from": "2027-09-01",
        "no_students": ["zomervakantie"], "alternatives": ["helpdeskuur"],
        "alternatives_by": "Brabant",
    }
    assert stored["reason"] in REASONS


# --- the real file --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return load_directory(ROOT / "config" / "werkplaatsen.yml")


@pytest.mark.parametrize(("postcode", "theme", "werkplaats", "reason"), [
    ("3511 AB", "online_marketing_sales", "Digitale Werkplaats Utrecht", "postcode"),
    ("6211 AB", "data", "MKB Datalab Limburg", "postcode"),
    ("6211 AB", "online_marketing_sales", "Digitale Werkplaats Midden- en Zuidoost-Brabant",
     "buurwerkplaats"),
    ("9711 AB", "data", "Digitale Werkplaats Twente", "buurwerkplaats"),
    ("1012 AB", "overig", "MKB Digital Workspace (Noord-Holland)", "postcode"),
    ("", "data", "Landelijk loket Digitale Werkplaatsen", "landelijk"),
])
def test_the_real_file_routes_sensibly(real, postcode, theme, werkplaats, reason):
    routing = route(real, postcode=postcode, theme=theme, employees=6, urgency="binnen 3 maanden",
                    today=AUTUMN)
    assert (routing.werkplaats, routing.reason) == (werkplaats, reason)
    assert routing.offers and routing.availability.students_available


def test_the_real_file_in_the_summer(real):
    routing = route(real, postcode="3511 AB", theme="online_marketing_sales", employees=3,
                    urgency="zo snel mogelijk", today=SUMMER)
    assert routing.availability.available_from == date(2027, 9, 1)
    assert routing.availability.labels == ("zomervakantie",)
    assert routing.alternatives and set(routing.alternatives) <= set(ALTERNATIVES)
    assert routing.offers[:len(routing.alternatives)] == routing.alternatives


def test_every_werkplaats_of_the_real_file_has_something_for_each_theme_it_takes(real):
    for werkplaats in real.werkplaatsen:
        for theme in werkplaats.themes:
            postcode = f"{werkplaats.ranges[0][0]}00 AA"
            routing = route(real, postcode=postcode, theme=theme, employees=3,
                            urgency="zo snel mogelijk", today=AUTUMN)
            assert routing.werkplaats == werkplaats.name and routing.offers, (werkplaats, theme)

