"""Start every part of the product: the action server, Rasa and the backend hub, all on
127.0.0.1. `make run` calls this; the end-to-end tests use Stack directly. Ctrl-C stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from backend.migrate import upgrade
from backend.services.werkplaatsen import WerkplaatsConfigError, load_directory
from backend.settings import ROOT, load_settings
from scripts.model_hash import model_path

BOT_BIN = ROOT / ".venv-bot" / "bin"


@dataclass
class Stack:
    port: int = 8000
    rasa_port: int = 5005
    action_port: int = 5055
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path = ROOT / "var" / "log"
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env)
        env["PORT"] = str(self.port)
        env.update(
            PYTHONPATH=str(ROOT),
            RASA_TELEMETRY_ENABLED="false",
            RASA_URL=f"http://127.0.0.1:{self.rasa_port}",
            ACTION_SERVER_URL=f"http://127.0.0.1:{self.action_port}",
            INTAKE_BACKEND_URL=f"http://127.0.0.1:{self.port}",
            SANIC_HOST="127.0.0.1",
            TF_CPP_MIN_LOG_LEVEL="3",
        )
        env.setdefault("PUBLIC_BASE_URL", self.base_url)
        settings = load_settings(env)  # also creates the development secrets
        env.update(
            RASA_TOKEN=settings.rasa_token,
            INTAKE_ADMIN_TOKEN=settings.admin_token,
            INTAKE_SERVICE_TOKEN=settings.service_token,
        )
        return env

    def commands(self, model: Path) -> dict[str, list[str]]:
        env = self.environment()
        return {
            "actions": [str(BOT_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                        "-p", str(self.action_port)],
            "rasa": [str(BOT_BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1",
                     "-p", str(self.rasa_port), f"--auth-token={env['RASA_TOKEN']}",
                     "--model", str(model), "--endpoints", str(self.endpoints_file()),
                     "--credentials", "credentials.yml"],
            "backend": [sys.executable, "-m", "uvicorn", "backend.main:app", "--host",
                        "127.0.0.1", "--port", str(self.port), "--no-access-log"],
        }

    def endpoints_file(self) -> Path:
        """Rasa 3.6 does not expand environment variables in endpoints.yml: write the port in."""
        path = self.log_dir / "endpoints.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            (ROOT / "endpoints.yml").read_text().replace(
                "127.0.0.1:5055", f"127.0.0.1:{self.action_port}"
            )
        )
        return path

    def start(self, model: Path | None = None) -> None:
        model = model or model_path()
        if not model.exists():
            raise SystemExit(f"no trained model at {model}: run `make train` first")
        env = self.environment()
        upgrade(load_settings(env).database_url)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name, cmd in self.commands(model).items():
            log = open(self.log_dir / f"{name}.log", "ab")
            self.procs[name] = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def dead(self) -> list[str]:
        return [name for name, p in self.procs.items() if p.poll() is not None]

    def wait_healthy(self, timeout: float = 300) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.dead():
                raise RuntimeError(f"{self.dead()} stopped; see {self.log_dir}")
            if self.healthy():
                return
            time.sleep(1)
        raise TimeoutError(f"stack not healthy after {timeout}s; see {self.log_dir}")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def main() -> int:
    settings = load_settings()
    try:  # a bad werkplaatsen file: say why here, before anything starts
        load_directory(settings.werkplaatsen_file)
    except WerkplaatsConfigError as exc:
        print(f"start-up failed: {exc}", file=sys.stderr)
        return 1
    stack = Stack(port=settings.port)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    print(f"starting action server, Rasa and backend (logs in {stack.log_dir}) ...", flush=True)
    try:
        stack.start()
        stack.wait_healthy(timeout=600)
        print(f"\n  Website + chat:  {stack.base_url}/")
        print(f"  API docs:        {stack.base_url}/docs")
        print(f"  Health:          {stack.base_url}/healthz")
        if settings.env == "development":
            print(f"  Staff token:     {settings.admin_token}")
        print("\nCtrl-C stops everything.", flush=True)
        while not stack.dead():
            time.sleep(1)
        print(f"{stack.dead()} stopped unexpectedly; see {stack.log_dir}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"start-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
