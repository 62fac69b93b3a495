"""The reply after a stored ticket (actions/next_steps.py): werkplaats, offers and students, from
the routing the backend returns; and action_submit_intake saying it."""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.next_steps import dutch_date, ticket_message
from actions.submit import SubmitIntake
from actions.texts import ALTERNATIVE_PHRASES, OFFER_PHRASES
from tests.actions.helpers import build_tracker, texts

UTRECHT = "Digitale Werkplaats Utrecht"
SUMMER = date(2027, 7, 15)


def ticket(**routing) -> dict:
    values = {"werkplaats": UTRECHT, "reason": "postcode", "region_werkplaats": UTRECHT,
              "urgency": "binnen 3 maanden",
              "offers": ["kort_project", "project_10_20_weken", "webinar_masterclass",
                         "helpdeskuur"],
              "students_available": True, "available_from": None, "no_students": [],
              "alternatives": [], "alternatives_by": None}
    values.update(routing)
    return {"reference": "DW-2027-00042", "werkplaats": values["werkplaats"],
            "theme": "online_marketing_sales", "status": "nieuw", "routing": values}


SUMMER_ROUTING = {"students_available": False, "available_from": "2027-09-01",
                  "no_students": ["zomervakantie"],
                  "alternatives": ["webinar_masterclass", "helpdeskuur"],
                  "alternatives_by": UTRECHT}


def test_who_and_what_fits():
    text = ticket_message(ticket(), today=date(2026, 11, 23))
    assert text.startswith("Dank je wel! Je aanvraag is verstuurd. Je nummer is DW-2027-00042.")
    assert f"{UTRECHT} pakt je vraag op." in text
    assert ("Wat past bij je vraag: een kort project met studenten, een project van 10 tot 20 "
            "weken met studenten en een webinar of masterclass.") in text
    assert OFFER_PHRASES["helpdeskuur"] not in text  # three at most: no long lists
    assert "geen studenten" not in text and "eigen regio" not in text
    assert "3. Daarna gaan studenten met je vraag aan de slag." in text
    assert text.endswith("Typ 'opnieuw'.")


def test_no_students_in_the_summer_says_until_when_and_what_to_do_instead():
    text = ticket_message(ticket(**SUMMER_ROUTING), today=SUMMER)
    assert "In de zomervakantie zijn er geen studenten, tot 1 september." in text
    assert "Wil je niet wachten? Dan kun je meedoen aan een webinar of een helpdeskuur boeken." \
        in text
    assert "3. Vanaf 1 september gaan studenten met je vraag aan de slag." in text
    assert "Daarna gaan studenten" not in text


def test_urgent_without_students():
    text = ticket_message(ticket(**SUMMER_ROUTING, urgency="zo snel mogelijk"), today=SUMMER)
    assert "Heb je haast? Wacht dan niet: je kunt meedoen aan een webinar of een helpdeskuur " \
        "boeken." in text


def test_periods_that_follow_each_other_and_a_date_next_year():
    text = ticket_message(ticket(**dict(SUMMER_ROUTING, no_students=["tentamenweken",
                                                                     "zomervakantie"])),
                          today=date(2027, 6, 20))
    assert "In de tentamenweken en de zomervakantie zijn er geen studenten, tot 1 september." \
        in text
    christmas = dict(SUMMER_ROUTING, no_students=["kerstvakantie"], available_from="2027-01-04")
    text = ticket_message(ticket(**christmas), today=date(2026, 12, 23))
    assert "In de kerstvakantie zijn er geen studenten, tot 4 januari 2027." in text


@pytest.mark.parametrize(("day", "today", "said"), [
    (date(2027, 9, 1), date(2027, 7, 1), "1 september"),
    (date(2027, 1, 4), date(2026, 12, 23), "4 januari 2027"),
    (date(2027, 2, 15), date(2027, 2, 10), "15 februari"),
])
def test_dates_in_dutch(day, today, said):
    assert dutch_date(day, today) == said


def test_alternatives_from_the_loket_say_so():
    routing = dict(SUMMER_ROUTING, offers=["kort_project"], alternatives=["doorverwijzing"],
                   alternatives_by="Landelijk loket")
    text = ticket_message(ticket(**routing), today=SUMMER)
    assert (f"Dan kun je via Landelijk loket {ALTERNATIVE_PHRASES['doorverwijzing']}."
            in text)


def test_no_alternative_at_all_is_said_honestly():
    routing = dict(SUMMER_ROUTING, offers=["kort_project"], alternatives=[],
                   alternatives_by=None, available_from=None)
    text = ticket_message(ticket(**routing), today=SUMMER)
    assert "In de zomervakantie zijn er geen studenten." in text
    assert "De werkplaats belt je als er weer studenten zijn." in text
    assert "3. Zodra er weer studenten zijn" in text
    assert "niet wachten" not in text


def test_a_neighbour_picks_it_up():
    brabant = "Digitale Werkplaats Midden- en Zuidoost-Brabant"
    text = ticket_message(ticket(werkplaats=brabant, reason="buurwerkplaats",
                                 region_werkplaats="MKB Datalab Limburg"))
    assert f"{brabant} pakt je vraag op." in text
    assert ("De werkplaats in je eigen regio (MKB Datalab Limburg) doet geen vragen over online "
            "marketing en verkoop. Deze werkplaats in de buurt wel.") in text


@pytest.mark.parametrize(("region", "said"), [
    (None, "Het loket zoekt samen met jou wat past."),
    ("MKB Datalab Limburg", "De werkplaatsen bij jou in de buurt doen geen vragen over online "
                            "marketing en verkoop."),
])
def test_the_landelijk_loket_picks_it_up(region, said):
    text = ticket_message(ticket(werkplaats="Landelijk loket", reason="landelijk",
                                 region_werkplaats=region,
                                 offers=["webinar_masterclass", "doorverwijzing"]))
    assert "Landelijk loket pakt je vraag op." in text and said in text
    assert "3. Daarna helpt de werkplaats je verder, of wijst je de weg." in text  # no students


def test_unknown_offer_keys_are_left_out():
    text = ticket_message(ticket(offers=["cursus", "hackathon"]))
    assert "Wat past bij je vraag: een hackathon met studenten." in text
    assert "cursus" not in text
    assert "Wat past" not in ticket_message(ticket(offers=[]))


async def test_the_submit_action_says_it(domain):
    class Backend:
        async def create_ticket(self, payload):
            self.payload = payload
            return ticket(**dict(SUMMER_ROUTING, available_from=f"{date.today().year}-09-01"))

    dispatcher = CollectingDispatcher()
    tracker = build_tracker("summary", slots={"summary_confirmed": True, "summary_mode": None},
                            requested_slot=None)
    events = await SubmitIntake(client=Backend()).run(dispatcher, tracker, domain)
    [text] = texts(dispatcher)
    assert "In de zomervakantie zijn er geen studenten, tot 1 september." in text
    assert "meedoen aan een webinar of een helpdeskuur boeken" in text
    assert events == [SlotSet("ticket_reference", "DW-2027-00042"),
                      SlotSet("werkplaats", UTRECHT), SlotSet("intake_outcome", "ticket")]
