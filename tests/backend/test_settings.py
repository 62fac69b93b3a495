"""backend.settings.load_settings: secrets per environment, ports, URLs."""

from __future__ import annotations

import json
import stat

import pytest

from backend.settings import ROOT, SettingsError, load_settings

SECRETS = ("INTAKE_ADMIN_TOKEN", "INTAKE_SERVICE_TOKEN", "RASA_TOKEN")


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    return {
        "INTAKE_ENV": "production",
        "INTAKE_VAR_DIR": str(tmp_path),
        "INTAKE_ADMIN_TOKEN": "admin-" + "a" * 26,
        "INTAKE_SERVICE_TOKEN": "service-" + "s" * 24,
        "RASA_TOKEN": "rasa-" + "r" * 27,
    }


def test_production_with_real_secrets(production, tmp_path):
    settings = load_settings(production)
    assert settings.is_production
    assert (settings.admin_token, settings.service_token, settings.rasa_token) == (
        production["INTAKE_ADMIN_TOKEN"],
        production["INTAKE_SERVICE_TOKEN"],
        production["RASA_TOKEN"],
    )
    assert not (tmp_path / "dev-secrets.json").exists()


@pytest.mark.parametrize("var", SECRETS)
@pytest.mark.parametrize(
    "value",
    [None, "", "changeme", "CHANGEME", "change-me", "secret", "token", "admin", "short-123456789"],
)
def test_production_refuses_missing_placeholder_or_short_secrets(production, var, value):
    if value is None:
        del production[var]
    else:
        production[var] = value
    with pytest.raises(SettingsError, match=var):
        load_settings(production)


def test_development_generates_and_keeps_secrets(tmp_path):
    env = {"INTAKE_ENV": "development", "INTAKE_VAR_DIR": str(tmp_path / "var")}
    first = load_settings(env)
    tokens = (first.admin_token, first.service_token, first.rasa_token)
    assert all(len(t) >= 16 for t in tokens)
    assert len(set(tokens)) == 3

    path = tmp_path / "var" / "dev-secrets.json"
    stored = json.loads(path.read_text())
    assert {stored[v] for v in SECRETS} == set(tokens)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    again = load_settings(env)
    assert (again.admin_token, again.service_token, again.rasa_token) == tokens


def test_development_secrets_differ_per_var_dir(tmp_path):
    a = load_settings({"INTAKE_VAR_DIR": str(tmp_path / "a")})
    b = load_settings({"INTAKE_VAR_DIR": str(tmp_path / "b")})
    assert a.admin_token != b.admin_token
    assert a.env == "development" and not a.is_production


def test_development_uses_given_secrets(tmp_path):
    env = {"INTAKE_VAR_DIR": str(tmp_path), "INTAKE_ADMIN_TOKEN": "mine"}
    settings = load_settings(env)
    assert settings.admin_token == "mine"
    stored = json.loads((tmp_path / "dev-secrets.json").read_text())
    assert "INTAKE_ADMIN_TOKEN" not in stored
    assert stored["INTAKE_SERVICE_TOKEN"] == settings.service_token


def test_test_mode_is_allowed(tmp_path):
    assert load_settings({"INTAKE_ENV": "test", "INTAKE_VAR_DIR": str(tmp_path)}).env == "test"


@pytest.mark.parametrize("mode", ["prod", "Production", "", "staging"])
def test_bad_intake_env(tmp_path, mode):
    with pytest.raises(SettingsError, match="INTAKE_ENV"):
        load_settings({"INTAKE_ENV": mode, "INTAKE_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize("port", ["", "abc", "0", "65536", "-1", "80.5", " 80", "1e3", "²"])
def test_bad_port(tmp_path, port):
    with pytest.raises(SettingsError, match="PORT"):
        load_settings({"PORT": port, "INTAKE_VAR_DIR": str(tmp_path)})


@pytest.mark.parametrize("port", ["1", "8080", "65535"])
def test_good_port(tmp_path, port):
    settings = load_settings({"PORT": port, "INTAKE_VAR_DIR": str(tmp_path)})
    assert settings.port == int(port)
    assert settings.public_base_url.endswith(f":{int(port)}")


@pytest.mark.parametrize("value", ["abc", "", "nan", "0", "-5"])
def test_bad_rasa_timeout(tmp_path, value):
    with pytest.raises(SettingsError, match="RASA_TIMEOUT"):
        load_settings({"RASA_TIMEOUT": value, "INTAKE_VAR_DIR": str(tmp_path)})


def test_urls_and_files(tmp_path):
    settings = load_settings({
        "INTAKE_VAR_DIR": str(tmp_path),
        "RASA_URL": "http://rasa:5005/",
        "ACTION_SERVER_URL": "http://actions:5055//",
        "PUBLIC_BASE_URL": "https://intake.example/",
        "RASA_TIMEOUT": "2.5",
    })
    assert settings.rasa_url == "http://rasa:5005"
    assert settings.action_server_url == "http://actions:5055"
    assert settings.public_base_url == "https://intake.example"
    assert settings.rasa_timeout == 2.5
    assert settings.werkplaatsen_file == ROOT / "config" / "werkplaatsen.yml"


def test_database_defaults_to_sqlite_in_the_var_dir(tmp_path):
    settings = load_settings({"INTAKE_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'intake.db'}"
    url = "postgresql://u@db/intake"
    assert load_settings({"INTAKE_VAR_DIR": str(tmp_path), "DATABASE_URL": url}).database_url == url


def test_reads_os_environ_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("INTAKE_ENV", "development")
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PORT", "8123")
    assert load_settings().port == 8123
    monkeypatch.setenv("PORT", "nope")
    with pytest.raises(SettingsError):
        load_settings()
