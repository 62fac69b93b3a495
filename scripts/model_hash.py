"""Content hash of everything that goes into the Rasa model (config, domain, data, bot code).
Pure standard library: used by the trainer (bot env) and the stack runner (backend env)."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What shapes the trained model. All of bot/: its components import the theme model, the
# entity patterns and bot/parsing.py; a needless retrain costs minutes, a stale model is a bug.
INPUTS = ("config.yml", "domain.yml", "nlu_data", "bot")


def model_inputs(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [
                p for p in path.rglob("*")
                if p.is_file() and p.suffix in {".yml", ".yaml", ".py", ".json", ".txt"}
                and "__pycache__" not in p.parts
            ]
    return sorted(files)


def model_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in model_inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    return root / "models" / f"intake-{model_hash(root)}.tar.gz"
