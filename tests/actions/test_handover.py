"""Hand-over on the action server: what the entrepreneur is told, the events, asking the backend
(BackendClient.request_handover), picking the intake up again, and what counts as sensitive."""

from __future__ import annotations

import asyncio
import types

import pytest
from aiohttp import web
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import handover
from actions.clients import backend
from actions.clients.backend import BackendClient, BackendError
from actions.conversation import DefaultFallback
from actions.handover import RequestHandover, ResumeIntake, hand_over, is_sensitive
from actions.submit import HANDOVER_OUTCOMES, SubmitIntake
from actions.texts import HELPDESK
from tests.actions.helpers import build_tracker, run_form, slot_events, texts

OPEN = {"state": "waiting_for_human", "callback": False, "open": True, "override": None,
        "scheduled_open": True, "expected_wait_minutes": 7, "next_opening": None}
CLOSED = {"state": "waiting_for_human", "callback": True, "open": False, "override": None,
          "scheduled_open": False, "expected_wait_minutes": 10,
          "next_opening": "maandag om 09:00"}
HANDED_OVER = [ActiveLoop(None), SlotSet("intake_outcome", "handover")]


class FakeBackend:
    """Stands in for BackendClient: records the calls, answers with `status` or fails."""

    def __init__(self, status: dict | None = None, error: Exception | None = None) -> None:
        self.status = status if status is not None else OPEN
        self.error = error
        self.handovers: list[tuple[str, str]] = []
        self.tickets: list[dict] = []

    async def request_handover(self, conversation_id: str, reason: str) -> dict:
        self.handovers.append((conversation_id, reason))
        if self.error:
            raise self.error
        return dict(self.status)

    async def create_ticket(self, payload: dict) -> dict:
        self.tickets.append(payload)
        return {"reference": "DW-2027-00001", "werkplaats": "Midden"}


def mid_form(**slots):
    """A tracker in the middle of the intake (the contact questions)."""
    return build_tracker("contact", slots=slots)


async def _hand_over(reason: str, client: FakeBackend, tracker=None):
    dispatcher = CollectingDispatcher()
    events = await hand_over(dispatcher, tracker or mid_form(), reason, client)
    return events, texts(dispatcher)


# --- hand_over -------------------------------------------------------------------------------


async def test_hand_over_while_the_helpdesk_is_open():
    client = FakeBackend(OPEN)
    tracker = mid_form()
    events, [text] = await _hand_over("asked", client, tracker)
    assert client.handovers == [(tracker.sender_id, "asked")]
    assert events == HANDED_OVER
    assert text.startswith("Ik zet je door naar een student van de helpdesk.")
    assert "binnen 7 minuten" in text
    assert "gesloten" not in text


async def test_hand_over_while_the_helpdesk_is_closed():
    events, [text] = await _hand_over("asked", FakeBackend(CLOSED))
    assert events == HANDED_OVER
    assert "De helpdesk is nu gesloten." in text
    assert "Er is weer iemand maandag om 09:00." in text
    assert "minuten" not in text and "student van de helpdesk" not in text


async def test_hand_over_while_closed_without_a_next_opening():
    events, [text] = await _hand_over("asked", FakeBackend({**CLOSED, "next_opening": None}))
    assert events == HANDED_OVER
    assert "Er is weer iemand op de eerstvolgende werkdag." in text


@pytest.mark.parametrize(
    ("reason", "lead"),
    [("frustrated", "Ik merk dat het niet lekker loopt. "),
     ("bot_failed", "Ik begrijp je niet goed genoeg. "),
     ("sensitive", "Dit bespreek je liever met een mens. "),
     ("asked", "")],
)
@pytest.mark.parametrize("status", [OPEN, CLOSED], ids=["open", "closed"])
async def test_hand_over_says_why(reason, lead, status):
    _events, [text] = await _hand_over(reason, FakeBackend(status))
    first = "Ik zet je door" if status["open"] else "De helpdesk is nu gesloten"
    assert text.startswith(lead + first)


async def test_hand_over_when_the_backend_fails():
    client = FakeBackend(error=BackendError("backend unreachable: 503"))
    events, [text] = await _hand_over("frustrated", client)
    assert events == []  # nothing changes: the bot keeps the conversation
    assert HELPDESK in text
    assert "503" not in text  # no technical details for the entrepreneur
    assert len(client.handovers) == 1


async def test_hand_over_uses_the_real_client_by_default(monkeypatch):
    client = FakeBackend(OPEN)
    monkeypatch.setattr(handover, "BackendClient", lambda: client)
    dispatcher = CollectingDispatcher()
    tracker = mid_form()
    events = await hand_over(dispatcher, tracker, "bot_failed")
    assert client.handovers == [(tracker.sender_id, "bot_failed")]
    assert events == HANDED_OVER


# --- the actions -----------------------------------------------------------------------------


async def test_request_handover_asks_with_reason_asked(monkeypatch, domain):
    client = FakeBackend(OPEN)
    monkeypatch.setattr(handover, "BackendClient", lambda: client)
    dispatcher = CollectingDispatcher()
    tracker = mid_form()
    events = await RequestHandover().run(dispatcher, tracker, domain)
    assert RequestHandover().name() == "action_request_handover"
    assert client.handovers == [(tracker.sender_id, "asked")]
    assert events == HANDED_OVER
    assert "student van de helpdesk" in texts(dispatcher)[0]


async def _resume(domain, **slots):
    dispatcher = CollectingDispatcher()
    tracker = build_tracker("contact", slots=slots, requested_slot=None)
    events = await ResumeIntake().run(dispatcher, tracker, domain)
    return events, texts(dispatcher)


async def test_resume_an_unfinished_intake(domain):
    events, [text] = await _resume(domain, intake_outcome="handover", ticket_reference=None)
    assert ResumeIntake().name() == "action_resume_intake"
    assert events == [SlotSet("intake_outcome", None), FollowupAction("intake_form")]
    assert text.startswith("Je praat weer met de digitale assistent.")
    assert "verder waar we gebleven waren" in text


@pytest.mark.parametrize(
    "slots",
    [{"ticket_reference": "DW-2027-00042", "intake_outcome": "handover"},
     {"ticket_reference": "DW-2027-00042", "intake_outcome": "ticket"},
     {"intake_outcome": "referred"},
     {"intake_outcome": "stopped"},
     {"intake_outcome": "no_consent"}],
)
async def test_resume_a_finished_intake_does_not_restart_the_form(domain, slots):
    events, [text] = await _resume(domain, **slots)
    assert events == []
    assert text.startswith("Je praat weer met de digitale assistent.")
    assert "'opnieuw'" in text
    assert "gebleven" not in text


@pytest.mark.parametrize(("outcome", "reason"), sorted(HANDOVER_OUTCOMES.items()))
async def test_submit_hands_over_instead_of_making_a_ticket(domain, outcome, reason):
    client = FakeBackend(OPEN)
    tracker = build_tracker("summary", slots={"intake_outcome": outcome,
                                              "summary_confirmed": None}, requested_slot=None)
    dispatcher = CollectingDispatcher()
    events = await SubmitIntake(client=client).run(dispatcher, tracker, domain)
    assert client.handovers == [("web-5d1e88b0", reason)]
    assert client.tickets == []
    assert events == HANDED_OVER
    assert "student van de helpdesk" in texts(dispatcher)[0]


def test_handover_outcomes():
    assert HANDOVER_OUTCOMES == {"frustrated_requested": "frustrated",
                                 "sensitive_requested": "sensitive"}
    assert set(HANDOVER_OUTCOMES.values()) <= set(("asked", "bot_failed", "frustrated",
                                                   "sensitive", "staff"))


# --- from the form to a person ---------------------------------------------------------------


async def _form_then_submit(domain, tracker, client):
    events, dispatcher, slots = await run_form(tracker, domain)
    assert dispatcher.messages == []  # the form says nothing: action_submit_intake tells
    after = build_tracker("summary", slots={**tracker.slots, **slots}, requested_slot=None,
                          domain=domain)
    submit_dispatcher = CollectingDispatcher()
    submitted = await SubmitIntake(client=client).run(submit_dispatcher, after, domain)
    return events, submitted, texts(submit_dispatcher)


async def test_a_second_insult_ends_with_a_person(domain):
    client = FakeBackend(OPEN)
    tracker = build_tracker("interruption", text="wat een kutbot ben jij", intent="insult",
                            confidence=0.95, slots={"retries": {"_insults": 1}}, domain=domain)
    _events, submitted, [text] = await _form_then_submit(domain, tracker, client)
    assert [reason for _, reason in client.handovers] == ["frustrated"]
    assert client.tickets == []
    assert submitted == HANDED_OVER
    assert text.startswith("Ik merk dat het niet lekker loopt.")


async def test_the_first_insult_does_not(domain):
    tracker = build_tracker("interruption", text="wat een kutbot ben jij", intent="insult",
                            confidence=0.95, domain=domain)
    events, dispatcher, slots = await run_form(tracker, domain)
    assert "intake_outcome" not in slots
    assert slots["retries"] == {"_insults": 1}
    assert [m["response"] for m in dispatcher.messages] == ["utter_insult"]


async def test_a_sensitive_need_ends_with_a_person(domain):
    client = FakeBackend(CLOSED)
    text = ("Mijn man is vorige maand overleden en ik weet niet hoe ik zijn webshop moet "
            "overnemen")
    tracker = build_tracker("new_intake", text=text, intent="describe_need_overig",
                            confidence=0.8, domain=domain)
    events, submitted, [told] = await _form_then_submit(domain, tracker, client)
    assert slot_events(events)["need_description"] == text  # the answer is kept for the student
    assert [reason for _, reason in client.handovers] == ["sensitive"]
    assert submitted == HANDED_OVER
    assert told.startswith("Dit bespreek je liever met een mens. De helpdesk is nu gesloten.")


async def test_a_sensitive_word_in_a_company_name_is_just_an_answer(domain):
    assert is_sensitive("Fraude Alert BV")
    tracker = build_tracker("company", text="Fraude Alert BV", intent="inform", domain=domain)
    assert tracker.get_slot("requested_slot") == "company_name"
    _events, _dispatcher, slots = await run_form(tracker, domain)
    assert slots["company_name"] == "Fraude Alert BV"
    assert "intake_outcome" not in slots


async def test_the_second_fallback_hands_over_once(domain, monkeypatch):
    client = FakeBackend(OPEN)
    monkeypatch.setattr(handover, "BackendClient", lambda: client)
    tracker = build_tracker("contact", slots={"fallbacks": 1}, requested_slot=None)
    dispatcher = CollectingDispatcher()
    events = await DefaultFallback().run(dispatcher, tracker, domain)
    assert events == [UserUtteranceReverted(), *HANDED_OVER, SlotSet("fallbacks", 0)]
    assert client.handovers == [(tracker.sender_id, "bot_failed")]
    assert texts(dispatcher)[0].startswith("Ik begrijp je niet goed genoeg.")
    # already handed over: no second request
    tracker = build_tracker("contact", slots={"fallbacks": 1, "intake_outcome": "handover"},
                            requested_slot=None)
    events = await DefaultFallback().run(CollectingDispatcher(), tracker, domain)
    assert len(client.handovers) == 1
    assert events == [UserUtteranceReverted(), SlotSet("fallbacks", 2)]


async def test_the_first_fallback_does_not_hand_over(domain, monkeypatch):
    client = FakeBackend(OPEN)
    monkeypatch.setattr(handover, "BackendClient", lambda: client)
    tracker = build_tracker("contact", slots={"fallbacks": None}, requested_slot=None)
    events = await DefaultFallback().run(CollectingDispatcher(), tracker, domain)
    assert client.handovers == []
    assert events == [UserUtteranceReverted(), SlotSet("fallbacks", 1)]


# --- is_sensitive ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We zitten diep in de schulden en de deurwaarder staat voor de deur",
        "Mijn compagnon is vorige maand overleden, ik weet niet hoe het verder moet",
        "Ik ben failliet verklaard en wil opnieuw beginnen",
        "Het FAILLISSEMENT is aangevraagd door een leverancier!",
        "Er ligt beslag op onze zakelijke rekening",
        "Ik zit thuis met een burn-out",
        "ik heb een burnout",
        "Ik zit al drie maanden met een burn out thuis",
        "Sinds de scheiding loopt de zaak niet meer",
        "We zitten midden in een echtscheiding en moeten de zaak verdelen",
        "ik ben overspannen en kan het niet meer aan",
        "Ik heb last van een depressie",
        "Ik ben depressief en de zaak loopt slecht",
        "Mijn vrouw is ernstig ziek",
        "Ik ben al maanden ziek en de zaak loopt door",
        "sinds ik ziek geworden ben ligt alles stil",
        "Onze boekhouder heeft fraude gepleegd",
        "We worden afgeperst door iemand die onze klantgegevens heeft",
        "Al onze bestanden zijn gegijzeld door ransomware",
        "ik denk soms aan zelfmoord",
        "Ik heb suïcidale gedachten",
        "Ik denk aan suïcide",
    ],
)
def test_is_sensitive(text):
    assert is_sensitive(text)


@pytest.mark.parametrize(
    "text",
    [
        "We hebben een bakkerij en willen dat klanten online taarten kunnen bestellen",
        "De administratie neemt veel te veel tijd in beslag",
        "Het inplannen van de monteurs neemt elke week een hele dag in beslag",
        "Ik wil een betere scheiding tussen zakelijk en privé in mijn boekhouding",
        "We registreren het ziekteverzuim nog op papier",
        "Onze klanten in het ziekenhuis willen online bestellen",
        "Ik wil mijn schuldeisers en debiteuren beter in beeld hebben",
        "Hoe krijg ik meer bezoekers op mijn website",
        "De vervanging bij ziekte regelen we nog met een lijstje op papier",
        "Ik wil eerder zien dat een koe ziek wordt, met de data van de melkrobot",
        "",
    ],
)
def test_is_not_sensitive(text):
    assert not is_sensitive(text)


# --- BackendClient.request_handover ----------------------------------------------------------


class HandoverServer:
    """A loopback stand-in for the hub's POST /api/v1/conversations/{id}/handover."""

    def __init__(self, *steps: tuple[int, object]) -> None:
        self.steps = list(steps)
        self.requests: list[dict] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append({"path": request.path,
                              "conversation_id": request.match_info["cid"],
                              "authorization": request.headers.get("Authorization"),
                              "content_type": request.content_type,
                              "body": await request.json()})
        status, body = self.steps.pop(0) if self.steps else (200, OPEN)
        if isinstance(body, str):
            return web.Response(status=status, text=body, content_type="text/html")
        return web.json_response(body, status=status)

    async def __aenter__(self) -> HandoverServer:
        app = web.Application()
        app.router.add_post("/api/v1/conversations/{cid}/handover", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/"
        return self

    async def __aexit__(self, *exc) -> None:
        await self.runner.cleanup()


@pytest.fixture
def no_backoff(monkeypatch) -> list[float]:
    delays: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(delay):
        delays.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(backend, "asyncio",
                        types.SimpleNamespace(sleep=sleep, TimeoutError=asyncio.TimeoutError))
    return delays


async def test_request_handover_posts_the_reason_with_the_service_token(no_backoff):
    async with HandoverServer((200, CLOSED)) as server:
        client = BackendClient(base_url=server.url, token="s3rvice-t0ken")
        assert await client.request_handover("web-5d1e88b0", "sensitive") == CLOSED
    [request] = server.requests
    assert request["path"] == "/api/v1/conversations/web-5d1e88b0/handover"
    assert request["authorization"] == "Bearer s3rvice-t0ken"
    assert request["content_type"] == "application/json"
    assert request["body"] == {"reason": "sensitive"}


async def test_request_handover_retries_a_server_error(no_backoff):
    async with HandoverServer((503, "<html>busy</html>"), (200, OPEN)) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=2)
        assert await client.request_handover("abc", "asked") == OPEN
    assert [r["body"] for r in server.requests] == [{"reason": "asked"}] * 2
    assert no_backoff == [0.3]


@pytest.mark.parametrize("status", [401, 404, 409, 422])
async def test_request_handover_refused(no_backoff, status):
    async with HandoverServer((status, {"detail": "nee"})) as server:
        client = BackendClient(base_url=server.url, token="t", attempts=3)
        with pytest.raises(BackendError, match=f"refused \\({status}\\)"):
            await client.request_handover("abc", "asked")
    assert len(server.requests) == 1  # a 4xx is not retried
    assert no_backoff == []


async def test_hand_over_through_the_real_client(monkeypatch, no_backoff):
    async with HandoverServer((200, OPEN)) as server:
        monkeypatch.setenv("INTAKE_BACKEND_URL", server.url)
        monkeypatch.setenv("INTAKE_SERVICE_TOKEN", "from-env")
        tracker = mid_form()
        events, [text] = await _hand_over("bot_failed", BackendClient(), tracker)
    assert events == HANDED_OVER
    assert "binnen 7 minuten" in text
    [request] = server.requests
    assert request["conversation_id"] == tracker.sender_id
    assert (request["authorization"], request["body"]) == ("Bearer from-env",
                                                           {"reason": "bot_failed"})


@pytest.mark.parametrize("outcome", ["referred", "stopped", "no_consent"])
async def test_a_hand_over_after_a_finished_intake_keeps_its_outcome(domain, outcome):
    """Resuming after the student hands back must not restart a finished intake."""

    class Backend:
        async def request_handover(self, conversation_id, reason):
            return {"state": "waiting_for_human", "open": True, "expected_wait_minutes": 10}

    tracker = build_tracker("store_failed", slots={"intake_outcome": outcome})
    events = await handover.hand_over(CollectingDispatcher(), tracker, "asked", Backend())
    assert events == [ActiveLoop(None)]
    resumed = build_tracker("store_failed", slots={"intake_outcome": outcome})
    after = await handover.ResumeIntake().run(CollectingDispatcher(), resumed, domain)
    assert after == []
