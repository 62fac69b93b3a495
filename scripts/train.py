"""Train the Rasa model when config, domain, data or bot code changed (cached by content hash).
Run in the bot environment: `make train`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.spacy_nl import PIPELINE_DIR, build, is_current
from scripts.model_hash import ROOT, model_path


def main() -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not is_current():  # missing, or built from older patterns/lexicons
        print(f"building the Dutch spaCy pipeline in {PIPELINE_DIR} ...", flush=True)
        build()
    target = model_path()
    if target.exists():
        print(f"model up to date: {target.relative_to(ROOT)}")
        return 0
    print(f"training the Rasa model -> {target.relative_to(ROOT)} (a few minutes on 2 cores)")
    rasa = Path(sys.executable).parent / "rasa"
    cmd = [str(rasa), "train", "--data", "nlu_data", "--config", "config.yml", "--domain",
           "domain.yml", "--out", "models", "--fixed-model-name", target.name[: -len(".tar.gz")]]
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0 or not target.exists():
        print("training failed", file=sys.stderr)
        return 1
    for old in target.parent.glob("intake-*.tar.gz"):
        if old != target:
            old.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
