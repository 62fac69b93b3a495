"""The whole product on loopback: action server, Rasa (the trained model) and the backend, each
in its own process, on free ports, with a throw-away database. Started once per test session."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from backend.stack import Stack

ADMIN_TOKEN = "e2e-admin-token-0123456789"
# WhatsApp: Twilio's Messages API is faked on loopback port 8999, where shared/contract's
# check_whatsapp_webhook.py runs its fake (tests/e2e/test_whatsapp.py uses the port first).
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "bars-twilio-auth-token",
    "TWILIO_WHATSAPP_FROM": "whatsapp:+3197010000000",
    "TWILIO_API_URL": "http://127.0.0.1:8999",
    "OUTBOX_BACKOFF_SECONDS": "0.5",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("stack")
    port = free_port()
    s = Stack(
        port=port,
        rasa_port=free_port(),
        action_port=free_port(),
        env={
            "INTAKE_ENV": "test",
            "INTAKE_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'intake.db'}",
            "INTAKE_ADMIN_TOKEN": ADMIN_TOKEN,
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            **TWILIO,
        },
        log_dir=var / "log",
    )
    s.admin_token = ADMIN_TOKEN
    s.twilio = TWILIO
    try:
        s.start()
        s.wait_healthy(timeout=400)
    except BaseException:
        s.stop()
        for log in sorted((var / "log").glob("*.log")):
            print(f"==== {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright import sync_api

    from tests.e2e.test_widget_browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: `make chromium` installs Debian's package")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
