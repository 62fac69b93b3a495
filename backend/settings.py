"""Settings from the environment. Development generates local secrets; production refuses
missing or placeholder secrets (FastAPI full-stack template style)."""

from __future__ import annotations

import json
import math
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "token", "test", "admin", "xxx"}


class SettingsError(RuntimeError):
    """Raised at start-up when the configuration cannot be used."""


def _dev_secret(name: str, var_dir: Path) -> str:
    """A development secret that stays the same across restarts (kept in var/)."""
    path = var_dir / "dev-secrets.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    if name not in data:
        data[name] = secrets.token_urlsafe(24)
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2))
        path.chmod(0o600)
    return data[name]


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = f"sqlite:///{ROOT / 'var' / 'intake.db'}"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    action_server_url: str = "http://127.0.0.1:5055"
    admin_token: str = ""
    service_token: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    werkplaatsen_file: Path = ROOT / "config" / "werkplaatsen.yml"
    helpdesk_file: Path = ROOT / "config" / "helpdesk.yml"
    rasa_timeout: float = 30.0
    handover_sweep_seconds: float = 30.0
    max_text_chars: int = 5000
    max_body_bytes: int = 64 * 1024
    # Telegram helpdesk group (backend/telegram/); mode off | webhook | polling
    telegram_mode: str = "off"
    telegram_bot_token: str = ""
    telegram_helpdesk_chat_id: int = 0
    telegram_webhook_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    telegram_set_webhook: bool = True
    telegram_poll_timeout: float = 25.0
    telegram_retry_seconds: float = 30.0
    # WhatsApp through Twilio (backend/channels/): webhooks are refused without an auth token
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_whatsapp_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    twilio_whatsapp_template_sid: str = ""
    # the phone line (backend/channels/voice.py)
    twilio_voice: str = "Polly.Lotte"
    twilio_helpdesk_number: str = ""
    voice_turn_timeout: float = 8.0  # seconds the bot gets per voice turn (Twilio waits 15)
    outbox_max_attempts: int = 5
    outbox_backoff_seconds: float = 2.0
    outbox_poll_seconds: float = 1.0
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    mode = env.get("INTAKE_ENV", "development")
    if mode not in {"development", "production", "test"}:
        raise SettingsError(f"INTAKE_ENV must be development, production or test, not {mode!r}")
    var_dir = Path(env.get("INTAKE_VAR_DIR", ROOT / "var"))
    port = env.get("PORT", "8000")
    if not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise SettingsError(f"PORT must be a TCP port number, not {port!r}")

    def secret(var: str) -> str:
        value = env.get(var, "")
        if mode == "production":
            if value.lower() in PLACEHOLDERS or len(value) < 16:
                raise SettingsError(f"{var} must be set to a real secret (16+ chars) in production")
            return value
        return value or _dev_secret(var, var_dir)

    port_i = int(port)
    timeout = env.get("RASA_TIMEOUT", "30")
    try:
        rasa_timeout = float(timeout)
    except ValueError:
        rasa_timeout = math.nan
    if not (math.isfinite(rasa_timeout) and rasa_timeout > 0):
        raise SettingsError(f"RASA_TIMEOUT must be a number of seconds > 0, not {timeout!r}")
    return Settings(
        env=mode,
        host=env.get("HOST", "127.0.0.1"),
        port=port_i,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'intake.db'}",
        rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=secret("RASA_TOKEN"),
        action_server_url=env.get("ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
        admin_token=secret("INTAKE_ADMIN_TOKEN"),
        service_token=secret("INTAKE_SERVICE_TOKEN"),
        public_base_url=env.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{port_i}").rstrip("/"),
        werkplaatsen_file=Path(env.get("WERKPLAATSEN_FILE", ROOT / "config" / "werkplaatsen.yml")),
        helpdesk_file=Path(env.get("HELPDESK_FILE", ROOT / "config" / "helpdesk.yml")),
        rasa_timeout=rasa_timeout,
        **_telegram(env, mode, var_dir),
        **_twilio(env, mode),
    )


_TELEGRAM_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what setWebhook's secret_token allows


def _telegram(env: dict[str, str], mode: str, var_dir: Path) -> dict:
    """TELEGRAM_*: off without a token; a token alone means polling (no public URL needed)."""
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    tg_mode = env.get("TELEGRAM_MODE", "").strip().lower() or ("polling" if token else "off")
    if tg_mode not in {"off", "webhook", "polling"}:
        raise SettingsError(f"TELEGRAM_MODE must be off, webhook or polling, not {tg_mode!r}")
    if tg_mode == "off":
        return {"telegram_mode": "off"}
    if not _TELEGRAM_TOKEN.match(token):
        raise SettingsError(f"TELEGRAM_MODE={tg_mode} needs TELEGRAM_BOT_TOKEN (123456:ABC...)")
    chat = env.get("TELEGRAM_HELPDESK_CHAT_ID", "").strip()
    if not re.fullmatch(r"-?[0-9]{1,20}", chat) or int(chat) == 0:
        raise SettingsError("TELEGRAM_HELPDESK_CHAT_ID must be the helpdesk group's numeric id")
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if tg_mode == "webhook":
        if mode == "production" and (secret.lower() in PLACEHOLDERS or len(secret) < 16):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET must be a real secret (16+ chars) "
                                "for TELEGRAM_MODE=webhook in production")
        secret = secret or _dev_secret("TELEGRAM_WEBHOOK_SECRET", var_dir)
        if not _WEBHOOK_SECRET.match(secret):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and -")
    numbers = {}
    for var, default, low, high in (("TELEGRAM_POLL_TIMEOUT", "25", 0, 50),
                                    ("TELEGRAM_RETRY_SECONDS", "30", 1, 3600)):
        raw = env.get(var, default)
        try:
            numbers[var] = float(raw)
        except ValueError:
            numbers[var] = math.nan
        if not (math.isfinite(numbers[var]) and low <= numbers[var] <= high):
            raise SettingsError(f"{var} must be {low}-{high} seconds, not {raw!r}")
    return {
        "telegram_mode": tg_mode,
        "telegram_bot_token": token,
        "telegram_helpdesk_chat_id": int(chat),
        "telegram_webhook_secret": secret,
        "telegram_api_url": env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
        "telegram_set_webhook": env.get("TELEGRAM_SET_WEBHOOK", "true").lower()
        not in {"0", "false", "no"},
        "telegram_poll_timeout": numbers["TELEGRAM_POLL_TIMEOUT"],
        "telegram_retry_seconds": numbers["TELEGRAM_RETRY_SECONDS"],
    }


def _number(env: dict[str, str], var: str, default: str, low: float, high: float) -> float:
    raw = env.get(var, default)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise SettingsError(f"{var} must be a number from {low:g} to {high:g}, not {raw!r}")
    return value


def _twilio(env: dict[str, str], mode: str) -> dict:
    """TWILIO_*: WhatsApp through Twilio. Production refuses a missing auth token when WhatsApp
    is configured (an account SID or a sender number)."""
    sid = env.get("TWILIO_ACCOUNT_SID", "").strip()
    token = env.get("TWILIO_AUTH_TOKEN", "").strip()
    sender = env.get("TWILIO_WHATSAPP_FROM", "").strip()
    helpdesk = env.get("TWILIO_HELPDESK_NUMBER", "").strip()
    if helpdesk and not re.fullmatch(r"\+[1-9]\d{6,14}", helpdesk):
        raise SettingsError("TWILIO_HELPDESK_NUMBER must be a phone number like +31850000000")
    if sid and not re.fullmatch(r"AC[0-9a-fA-F]{32}", sid):
        raise SettingsError("TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits")
    if sender and not sender.startswith("whatsapp:"):
        sender = "whatsapp:" + sender
    if mode == "production" and (sid or sender) and (
        token.lower() in PLACEHOLDERS or len(token) < 16
    ):
        raise SettingsError("TWILIO_AUTH_TOKEN must be set (the account's auth token) when "
                            "WhatsApp is configured in production")
    return {
        "twilio_account_sid": sid,
        "twilio_auth_token": token,
        "twilio_whatsapp_from": sender,
        "twilio_api_url": (env.get("TWILIO_API_URL", "").strip()
                           or "https://api.twilio.com").rstrip("/"),
        "twilio_whatsapp_template_sid": env.get("TWILIO_WHATSAPP_TEMPLATE_SID", "").strip(),
        "twilio_voice": env.get("TWILIO_VOICE", "").strip() or "Polly.Lotte",
        "twilio_helpdesk_number": helpdesk,
        "voice_turn_timeout": _number(env, "VOICE_TURN_TIMEOUT", "8", 0.5, 13),
        "outbox_max_attempts": int(_number(env, "OUTBOX_MAX_ATTEMPTS", "5", 1, 20)),
        "outbox_backoff_seconds": _number(env, "OUTBOX_BACKOFF_SECONDS", "2", 0, 600),
        "outbox_poll_seconds": _number(env, "OUTBOX_POLL_SECONDS", "1", 0.01, 60),
    }
