"""TWILIO_* settings: WhatsApp off by default, production refuses a missing auth token."""

from __future__ import annotations

import pytest

from backend.settings import SettingsError, load_settings

SID = "AC" + "0123456789abcdef" * 2


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    return {
        "INTAKE_ENV": "production",
        "INTAKE_VAR_DIR": str(tmp_path),
        "INTAKE_ADMIN_TOKEN": "admin-" + "a" * 26,
        "INTAKE_SERVICE_TOKEN": "service-" + "s" * 24,
        "RASA_TOKEN": "rasa-" + "r" * 27,
    }


def test_whatsapp_is_off_by_default(tmp_path):
    settings = load_settings({"INTAKE_VAR_DIR": str(tmp_path)})
    assert settings.twilio_account_sid == settings.twilio_auth_token == ""
    assert settings.twilio_api_url == "https://api.twilio.com"
    assert settings.outbox_max_attempts == 5 and settings.outbox_backoff_seconds == 2


def test_production_without_whatsapp_needs_no_twilio_token(production):
    assert load_settings(production).twilio_auth_token == ""


@pytest.mark.parametrize("token", [None, "", "changeme", "short"])
@pytest.mark.parametrize("configured", [{"TWILIO_ACCOUNT_SID": SID},
                                        {"TWILIO_WHATSAPP_FROM": "whatsapp:+3197010000000"}])
def test_production_refuses_whatsapp_without_an_auth_token(production, token, configured):
    env = dict(production, **configured)
    if token is not None:
        env["TWILIO_AUTH_TOKEN"] = token
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        load_settings(env)


def test_production_with_whatsapp(production):
    settings = load_settings(dict(
        production, TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN="f" * 32,
        TWILIO_WHATSAPP_FROM="+3197010000000", TWILIO_API_URL="http://127.0.0.1:8999/",
        TWILIO_WHATSAPP_TEMPLATE_SID="HX" + "1" * 32, OUTBOX_MAX_ATTEMPTS="7",
        OUTBOX_BACKOFF_SECONDS="0.5"))
    assert settings.twilio_whatsapp_from == "whatsapp:+3197010000000"
    assert settings.twilio_api_url == "http://127.0.0.1:8999"
    assert settings.twilio_whatsapp_template_sid == "HX" + "1" * 32
    assert settings.outbox_max_attempts == 7 and settings.outbox_backoff_seconds == 0.5


@pytest.mark.parametrize("extra, message", [
    ({"TWILIO_ACCOUNT_SID": "not-a-sid"}, "TWILIO_ACCOUNT_SID"),
    ({"OUTBOX_MAX_ATTEMPTS": "0"}, "OUTBOX_MAX_ATTEMPTS"),
    ({"OUTBOX_BACKOFF_SECONDS": "snel"}, "OUTBOX_BACKOFF_SECONDS"),
    ({"OUTBOX_POLL_SECONDS": "nan"}, "OUTBOX_POLL_SECONDS"),
])
def test_bad_values_stop_start_up(tmp_path, extra, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({"INTAKE_VAR_DIR": str(tmp_path), **extra})
