"""TELEGRAM_* settings: off without a token, polling or webhook by choice, and production refuses
a webhook without a real secret."""

from __future__ import annotations

import pytest

from backend.settings import SettingsError, load_settings
from tests.backend.fake_telegram import TOKEN

PROD = {"INTAKE_ENV": "production", "RASA_TOKEN": "r" * 20, "INTAKE_ADMIN_TOKEN": "a" * 20,
        "INTAKE_SERVICE_TOKEN": "s" * 20}


@pytest.fixture
def env(tmp_path) -> dict:
    return {"INTAKE_VAR_DIR": str(tmp_path)}


def test_off_without_a_token(env):
    settings = load_settings(env)
    assert settings.telegram_mode == "off" and settings.telegram_bot_token == ""


def test_a_token_alone_means_polling(env):
    settings = load_settings({**env, "TELEGRAM_BOT_TOKEN": TOKEN,
                              "TELEGRAM_HELPDESK_CHAT_ID": "-1001234"})
    assert (settings.telegram_mode, settings.telegram_helpdesk_chat_id) == ("polling", -1001234)
    assert settings.telegram_api_url == "https://api.telegram.org"


def test_webhook_in_development_gets_a_generated_secret_that_stays(env):
    values = {**env, "TELEGRAM_MODE": "webhook", "TELEGRAM_BOT_TOKEN": TOKEN,
              "TELEGRAM_HELPDESK_CHAT_ID": "-1001234", "TELEGRAM_API_URL": "http://127.0.0.1:1/"}
    first, again = load_settings(values), load_settings(values)
    assert len(first.telegram_webhook_secret) >= 16
    assert first.telegram_webhook_secret == again.telegram_webhook_secret
    assert first.telegram_api_url == "http://127.0.0.1:1"


def test_production_refuses_a_webhook_without_a_real_secret(env):
    values = {**env, **PROD, "TELEGRAM_MODE": "webhook", "TELEGRAM_BOT_TOKEN": TOKEN,
              "TELEGRAM_HELPDESK_CHAT_ID": "-1001234"}
    for secret in (None, "", "changeme", "short-secret"):
        attempt = dict(values) if secret is None else {**values, "TELEGRAM_WEBHOOK_SECRET": secret}
        with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
            load_settings(attempt)
    ok = load_settings({**values, "TELEGRAM_WEBHOOK_SECRET": "a-real_secret-0123456789"})
    assert ok.telegram_webhook_secret == "a-real_secret-0123456789"
    # polling needs no webhook secret, also in production
    assert load_settings({**values, "TELEGRAM_MODE": "polling"}).telegram_mode == "polling"


@pytest.mark.parametrize("extra, message", [
    ({"TELEGRAM_MODE": "sometimes"}, "TELEGRAM_MODE"),
    ({"TELEGRAM_MODE": "polling"}, "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token", "TELEGRAM_HELPDESK_CHAT_ID": "-1"},
     "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN}, "TELEGRAM_HELPDESK_CHAT_ID"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_HELPDESK_CHAT_ID": "@helpdesk"},
     "TELEGRAM_HELPDESK_CHAT_ID"),
    ({"TELEGRAM_MODE": "webhook", "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_HELPDESK_CHAT_ID": "-1",
      "TELEGRAM_WEBHOOK_SECRET": "met spaties en $tekens"}, "TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_HELPDESK_CHAT_ID": "-1",
      "TELEGRAM_POLL_TIMEOUT": "lang"}, "TELEGRAM_POLL_TIMEOUT"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_HELPDESK_CHAT_ID": "-1",
      "TELEGRAM_RETRY_SECONDS": "0"}, "TELEGRAM_RETRY_SECONDS"),
])
def test_bad_values_stop_start_up(env, extra, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({**env, **extra})


def test_off_ignores_the_rest(env):
    settings = load_settings({**env, "TELEGRAM_MODE": "off", "TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.telegram_mode == "off"
