"""`make eval`: how well the NLU understands entrepreneurs.

1. 5-fold cross-validation of the intents on nlu_data/nlu (report + confusion matrix PNG).
2. The trained model on the held-out set tests/nlu/held_out.yml (never trained on).
Prints theme macro-F1 (target >= 0.90) and per-theme precision/recall. Run in the bot env."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.theme_scores import THEME_INTENTS
from scripts.model_hash import ROOT, model_path

OUT = ROOT / "results" / "eval"
TARGET = 0.90


def rasa(*args: str, log: Path) -> None:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3")
    with log.open("w") as out:
        result = subprocess.run([str(Path(sys.executable).parent / "rasa"), *args], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SystemExit(f"rasa {' '.join(args[:2])} failed; see {log}")


def theme_table(report: dict, title: str) -> float:
    print(f"\n{title}")
    print(f"  {'theme':<34}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>6}")
    f1s = []
    for intent in THEME_INTENTS:
        row = report.get(intent, {})
        f1s.append(row.get("f1-score", 0.0))
        print(f"  {intent:<34}{row.get('precision', 0):>10.3f}{row.get('recall', 0):>8.3f}"
              f"{row.get('f1-score', 0):>7.3f}{row.get('support', 0):>6}")
    macro = sum(f1s) / len(f1s)
    overall = report.get("macro avg", {}).get("f1-score", 0.0)
    print(f"  theme macro-F1 {macro:.3f} (target >= {TARGET}); all intents macro-F1 {overall:.3f}")
    return macro


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    print("5-fold cross-validation of the NLU (trains 5 models; several minutes) ...", flush=True)
    rasa("test", "nlu", "--nlu", "nlu_data/nlu", "--config", "config.yml", "--cross-validation",
         "--folds", "5", "--out", str(OUT / "cv"), log=OUT / "cv.log")
    cv = theme_table(json.loads((OUT / "cv" / "intent_report.json").read_text()),
                     "Cross-validation (5 folds), test folds only:")
    model = model_path()
    if not model.exists():
        print(f"\nno trained model at {model}: run `make train` for the held-out evaluation")
        return 0 if cv >= TARGET else 1
    print("\nheld-out set (tests/nlu/held_out.yml) with the trained model ...", flush=True)
    rasa("test", "nlu", "--nlu", "tests/nlu/held_out.yml", "--model", str(model), "--out",
         str(OUT / "held_out"), log=OUT / "held_out.log")
    held = theme_table(json.loads((OUT / "held_out" / "intent_report.json").read_text()),
                       "Held-out set:")
    print(f"\nreports and confusion matrices: {OUT.relative_to(ROOT)}/cv and /held_out "
          "(intent_report.json, intent_confusion_matrix.png)")
    return 0 if cv >= TARGET and held >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
