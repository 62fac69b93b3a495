"""Browser test of the helpdesk dashboard against the real stack: an entrepreneur in the chat
widget (360 px) asks for a person, a helpdesk student (1280 px) sees it appear in the queue,
claims it, replies and hands it back to the bot, each side without reloading. And the pages
fit a 768 px tablet without horizontal scrolling. Needs the `stack` fixture, Playwright for
Python and a system Chromium (DW_CHROMIUM). DW_SCREENSHOT_DIR keeps the screenshots."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from playwright import sync_api  # a hard dependency: the browser test must run, not skip

from backend.settings import ROOT
from tests.backend.helpers import ticket_payload
from tests.e2e.driver import Chat, api
from tests.e2e.test_widget_browser import open_widget, wait_idle

expect = sync_api.expect
# Live updates arrive by polling (every 3 s) on a loaded two-core machine: wait up to 30 s for
# them. This bounds the wait; it asserts nothing about speed.
expect.set_options(timeout=30_000)
PASSWORD = "Zeven-Blauwe-Fietsen-2027"
TIMEOUT_MS = 60_000
NEED = ("we hebben een bakkerij en willen brood online verkopen via een webshop, nu komen "
        "alle bestellingen via de telefoon binnen")


@pytest.fixture(scope="module")
def student(stack) -> str:
    """A helpdesk student, created with the CLI as an operator would; returns the e-mail."""
    email = f"sanne-{uuid.uuid4().hex[:6]}@werkplaats.example"
    env = {**stack.environment(), "INTAKE_NEW_PASSWORD": PASSWORD}
    done = subprocess.run(
        [sys.executable, "-m", "backend.dashboard.cli", "create-user", "--name", "Sanne",
         "--email", email, "--role", "student"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return email


@pytest.fixture
def helpdesk_open(stack):
    def put(value):
        status, body = api(stack.base_url, "PUT", "/api/v1/helpdesk/availability",
                           {"open": value}, stack.admin_token)
        assert status == 200, body

    put(True)
    yield
    put(None)


def shot(page, name: str, tmp_path: Path, full_page: bool = True) -> bytes:
    folder = Path(os.environ.get("DW_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def png_width(png: bytes) -> int:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", png[16:20])[0]


def sign_in(page, stack, email: str) -> None:
    page.goto(stack.base_url + "/dashboard")
    expect(page).to_have_url(f"{stack.base_url}/dashboard/login?next=%2Fdashboard")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Wachtrij", level=1)).to_be_visible()


def mark(page) -> None:
    """Remember this page load; `unreloaded` fails if the page was loaded again since."""
    page.evaluate("window.__dwMark = 'same page load'")


def unreloaded(page) -> None:
    assert page.evaluate("window.__dwMark") == "same page load", "the page was reloaded"


def say(widget, text: str) -> None:
    users = widget.locator("#dw-chat-log .dw-msg--user").count()
    widget.fill("#dw-chat-input", text)
    widget.press("#dw-chat-input", "Enter")
    expect(widget.locator("#dw-chat-log .dw-msg--user")).to_have_count(users + 1)
    wait_idle(widget)


def test_a_student_takes_over_a_chat_from_the_dashboard(browser, stack, student, helpdesk_open,
                                                       tmp_path):
    desk_context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="nl-NL")
    chat_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    try:
        desk = desk_context.new_page()
        desk.set_default_timeout(TIMEOUT_MS)
        sign_in(desk, stack, student)
        mark(desk)

        widget = chat_context.new_page()
        widget.set_default_timeout(TIMEOUT_MS)
        widget.goto(stack.base_url + "/")
        open_widget(widget)
        mark(widget)
        say(widget, NEED)
        say(widget, "ik wil een medewerker spreken")
        expect(widget.locator("#dw-chat-handover")).to_have_text(
            "Je wacht op een student van de helpdesk.")
        cid = json.loads(widget.evaluate("localStorage.getItem('dw-chat:v1')"))["conversationId"]

        # the queue shows it without a reload, with channel and what the entrepreneur asked
        row = desk.locator(f'#waiting-rows tr[data-id="{cid}"]')
        expect(row).to_be_visible()
        expect(row).to_contain_text("Webchat")
        expect(row).to_contain_text("brood online verkopen")
        unreloaded(desk)
        shot(desk, "queue-1280", tmp_path)

        row.get_by_role("link", name="Openen").click()
        expect(desk.locator("#transcript")).to_contain_text("brood online verkopen")
        expect(desk.locator("#transcript")).to_contain_text("ik wil een medewerker spreken")
        desk.get_by_role("button", name="Gesprek overnemen").click()
        expect(desk.locator("#conv-state")).to_have_text("In gesprek met de helpdesk")
        desk.get_by_label("Jouw antwoord aan de ondernemer").fill(
            "Hoi, ik ben Sanne van de helpdesk")
        desk.get_by_role("button", name="Versturen").click()
        expect(desk.locator("#transcript .msg--staff")).to_contain_text(
            "Hoi, ik ben Sanne van de helpdesk")
        shot(desk, "conversation-1280", tmp_path)

        # the entrepreneur sees the student's message and who they talk to, without a reload
        expect(widget.locator("#dw-chat-log .dw-msg--staff")).to_contain_text(
            "Hoi, ik ben Sanne van de helpdesk")
        expect(widget.locator("#dw-chat-handover")).to_contain_text("Je praat nu met")
        unreloaded(widget)

        # the entrepreneur answers; the student sees it live
        say(widget, "fijn, hoe lang duurt zo'n project ongeveer?")
        expect(desk.locator("#transcript .msg--user").last).to_contain_text("hoe lang duurt")

        bots = widget.locator("#dw-chat-log .dw-msg--bot").count()
        desk.get_by_role("button", name="Teruggeven aan de assistent").click()
        expect(desk.locator("#conv-state")).to_have_text("Bij de assistent")

        # the bot's message arrives in the widget outside any request of the entrepreneur
        expect(widget.locator("#dw-chat-log .dw-msg--bot").nth(bots)).to_contain_text(
            "digitale assistent")
        expect(widget.locator("#dw-chat-handover")).to_be_hidden()
        unreloaded(widget)
        shot(widget, "widget-360", tmp_path, full_page=False)
    finally:
        desk_context.close()
        chat_context.close()


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/tickets", "conversation"])
def test_pages_fit_a_tablet_without_horizontal_scrolling(browser, stack, student, helpdesk_open,
                                                         tmp_path, path):
    chat = Chat(stack.base_url).start()
    chat.say(NEED)
    chat.say("ik wil een medewerker spreken")  # at least one row in the queue
    assert chat.state == "waiting_for_human", chat.transcript()
    status, ticket = api(stack.base_url, "POST", "/api/v1/tickets",  # a row in the ticket list
                         ticket_payload(chat.conversation_id), stack.admin_token)
    assert status == 201, ticket
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="nl-NL")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, stack, student)
        target = f"/dashboard/conversations/{chat.conversation_id}" if path == "conversation" \
            else path
        page.goto(stack.base_url + target)
        if path == "/dashboard":
            expect(page.locator(f'#waiting-rows tr[data-id="{chat.conversation_id}"]')) \
                .to_be_visible()
        widths = page.evaluate("[document.documentElement.scrollWidth, "
                               "document.documentElement.clientWidth]")
        assert widths[0] <= widths[1] == 768, f"page is {widths[0]} px wide at 768 px"
        name = "conversation" if path == "conversation" else path.strip("/").replace("/", "-")
        assert png_width(shot(page, f"{name}-768", tmp_path)) == 768
    finally:
        context.close()
