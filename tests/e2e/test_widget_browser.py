"""Browser test of the chat widget: a full intake at 360 px against the real stack.
Needs the `stack` fixture (conftest.py), Playwright for Python and a system Chromium
(DW_CHROMIUM)."""

import json
import os
import re
import urllib.request

import pytest
from playwright import sync_api  # a hard dependency: the browser test must run, not skip

expect = sync_api.expect

CHROMIUM = os.environ.get("DW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REF_RE = re.compile(r"DW-\d{4}-\d{5}")
MAX_TURNS = 40
REPLY_TIMEOUT_MS = 60_000

# Keywords (lowercase, matched at a word start in the latest bot message) -> answer.
# First match wins, so order matters: the summary repeats everything, the urgency question may
# say "later". An answer is a text to type, or ("quick", prefix, fallback): click the first quick
# reply whose title or payload starts with prefix ("" = the first one); type fallback when there
# is none.
ANSWERS = {
    ("klopt", "samenvatting"): ("quick", "klopt", "ja klopt"),
    ("toestemming", "delen"): ("quick", "ja", "ja"),
    ("1 tot 10", "cijfer"): "5",
    ("hoe snel", "haast", "wanneer", "urgent"): ("quick", "", "binnen 3 maanden"),
    ("thema", "gaat je vraag vooral over"): ("quick", "", "online marketing en verkoop"),
    ("enquête", "enquete", "vragenlijst", "later"): "ja",
    ("hoe heet je bedrijf", "naam van je bedrijf", "bedrijfsnaam"): "Bakkerij De Korst",
    ("sector", "branche"): "bakkerij",
    ("hoeveel", "medewerkers"): "we zijn met 6 man",
    ("postcode",): "3511 AB Utrecht",
    ("plaats", "vestigingsplaats", "woonplaats"): "Utrecht",
    ("kvk",): "weet ik niet",
    ("jouw naam", "wat is je naam", "met wie"): "Anna de Boer",
    ("e-mail", "email", "mailadres"): "anna@bakkerijdekorst.nl",
    ("telefoon",): "06-12345678",
    ("gehoord", "terecht gekomen", "kennen", "ken je ons"): "via de bank",
    ("wat wil je bereiken", "doel"): "meer bestellingen online en minder telefoon",
    ("geprobeerd",): "nog niks eigenlijk",
    (
        "waar loop je tegenaan",
        "vertel",
        "wat is je vraag",
        "beschrijf",
    ): "we hebben een bakkerij en willen "
    "brood online verkopen via een webshop, nu komen alle bestellingen via de telefoon binnen",
}


def answer_for(bot_text):
    """The answer for a bot message, or None when no keyword matches."""
    low = bot_text.lower()
    for keywords, answer in ANSWERS.items():
        if any(re.search(r"(?<!\w)" + re.escape(k), low) for k in keywords):
            return answer
    return None


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(REPLY_TIMEOUT_MS)
    pg.goto(stack.base_url + "/")
    yield pg
    context.close()


def wait_idle(page):
    """Wait until no request of the widget is running (input enabled, panel not busy)."""
    page.wait_for_function(
        """() => { const i = document.getElementById('dw-chat-input');
                   const p = document.getElementById('dw-chat');
                   return i && !i.disabled && p && p.getAttribute('aria-busy') !== 'true'; }""",
        timeout=REPLY_TIMEOUT_MS,
    )


def transcript(page):
    return page.eval_on_selector_all(
        "#dw-chat-log .dw-msg",
        "els => els.map(e => (e.dataset.from || '?') + ': '"
        " + e.querySelector('.dw-msg__text').innerText)",
    )


def last_turn_bot_texts(page):
    """Bot texts after the last user message, newest first."""
    return page.eval_on_selector_all(
        "#dw-chat-log .dw-msg",
        """els => {
        const out = [];
        for (let i = els.length - 1; i >= 0 && !els[i].classList.contains('dw-msg--user'); i--) {
            if (els[i].classList.contains('dw-msg--bot'))
                out.push(els[i].querySelector('.dw-msg__text').innerText);
        }
        return out; }""",
    )


def open_widget(page):
    page.click("#dw-chat-open")
    expect(page.locator("#dw-chat")).to_be_visible()
    expect(page.locator("#dw-chat-input")).to_be_focused()
    expect(page.locator("#dw-chat-log .dw-msg--bot").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    wait_idle(page)


def send_answer(page, answer, fail):
    if isinstance(answer, tuple):
        _, prefix, fallback = answer
        for button in page.locator(".dw-quick").all():
            title = button.inner_text().strip().lower()
            payload = (button.get_attribute("data-payload") or "").strip().lower()
            if title.startswith(prefix) or payload.startswith(prefix):
                button.click()
                return
        if fallback is None:
            fail("no quick reply to click")
        answer = fallback
    page.fill("#dw-chat-input", answer)
    page.press("#dw-chat-input", "Enter")


def test_full_intake_at_360px(page, stack):
    open_widget(page)

    def fail(reason):
        pytest.fail(reason + "\nTranscript:\n" + "\n".join(transcript(page)))

    reference, previous, repeats = None, None, 0
    for _ in range(MAX_TURNS):
        if page.locator("#dw-chat-error").is_visible():
            fail("widget shows an error: " + page.inner_text("#dw-chat-error"))
        texts = last_turn_bot_texts(page)
        found = REF_RE.search(" ".join(texts) + " " + page.inner_text("#dw-chat-status"))
        if found:
            reference = found.group(0)
            break
        if not texts:
            fail("the bot did not reply")
        repeats = repeats + 1 if texts == previous else 0
        if repeats >= 2:
            fail("the bot keeps asking the same thing")
        previous = texts
        answer = next((a for a in map(answer_for, texts) if a is not None), None)
        if answer is None:
            if page.locator(".dw-quick").count() == 0:
                fail("no answer for: " + texts[0])
            answer = ("quick", "", None)
        users = page.locator("#dw-chat-log .dw-msg--user").count()
        send_answer(page, answer, fail)
        expect(page.locator("#dw-chat-log .dw-msg--user")).to_have_count(users + 1)
        wait_idle(page)
    if reference is None:
        fail(f"no ticket reference after {MAX_TURNS} turns")

    expect(page.locator("#dw-chat-status")).to_contain_text(reference)
    count = page.locator("#dw-chat-log .dw-msg").count()

    page.reload()
    expect(page.locator("#dw-chat")).to_be_visible()
    expect(page.locator("#dw-chat-log .dw-msg")).to_have_count(count, timeout=REPLY_TIMEOUT_MS)
    expect(page.locator("#dw-chat-status")).to_contain_text(reference)

    request = urllib.request.Request(
        f"{stack.base_url}/api/v1/tickets/{reference}",
        headers={"Authorization": f"Bearer {stack.admin_token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        ticket = json.load(response)
    assert ticket["company"]["name"] == "Bakkerij De Korst", ticket
    assert ticket["contact"]["email"] == "anna@bakkerijdekorst.nl", ticket
    assert ticket["channel"] == "webchat", ticket
    assert ticket["company"]["employees"] == 6, ticket
    assert "online_marketing_sales" in [t["theme"] for t in ticket["themes"]], ticket


def test_unreachable_server_keeps_typed_text(page):
    open_widget(page)
    page.route("**/api/v1/**", lambda route: route.abort())
    typed = "Wij willen graag een webshop voor onze bakkerij"
    page.fill("#dw-chat-input", typed)
    page.press("#dw-chat-input", "Enter")

    error = page.locator("#dw-chat-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("geen verbinding met de server")
    expect(page.locator("#dw-chat-input")).to_have_value(typed)
    expect(page.locator("#dw-chat-input")).to_be_enabled()
    expect(page.locator("#dw-chat-log .dw-msg--user")).to_have_count(0)

    page.unroute("**/api/v1/**")
    page.click("#dw-chat-error button")
    expect(page.locator("#dw-chat-log .dw-msg--user")).to_have_count(1)
    expect(error).to_be_hidden()
    expect(page.locator("#dw-chat-input")).to_have_value("")
