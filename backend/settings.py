"""Settings from the environment. Development generates local secrets; production refuses
missing or placeholder secrets (FastAPI full-stack template style)."""

from __future__ import annotations

import json
import math
import os
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
    )
