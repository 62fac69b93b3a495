"""The process runner's command lines (backend/stack.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from backend.stack import Stack


def test_a_rasa_token_starting_with_a_dash_stays_one_argument(tmp_path):
    token = "-Zx9_starts-with-a-dash-0123456789"
    stack = Stack(port=8123, rasa_port=5123, action_port=5223, log_dir=tmp_path / "log",
                  env={"INTAKE_VAR_DIR": str(tmp_path), "RASA_TOKEN": token,
                       "INTAKE_ENV": "test"})
    rasa = stack.commands(Path("model.tar.gz"))["rasa"]
    parser = argparse.ArgumentParser()  # parses like rasa's own argparse CLI
    parser.add_argument("--auth-token")
    parser.add_argument("-p", "--port")
    parser.add_argument("--endpoints")
    args, _ = parser.parse_known_args(rasa[2:])
    assert args.auth_token == token and args.port == "5123"
    assert "5223" in Path(args.endpoints).read_text()
