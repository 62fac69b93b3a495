"""`make eval`: how well the assistant understands entrepreneurs, on data it never trained on.

1. Themes: the trained model (Rasa, loaded in-process) parses the held-out files
   tests/nlu/held_out.yml and tests/nlu/held_out_fresh.yml; its theme component's top theme is
   compared with the label: macro-F1, per-theme precision/recall, a confusion-matrix PNG and the
   calibration of the confidence (when the top theme's confidence is >= 0.8, how often is it
   right; a reliability PNG). Target: macro-F1 >= 0.92.
2. Multi-label: tests/nlu/multi_label.yml holds whole vraagarticulaties (several turns) with
   the themes that apply; the turns are scored and aggregated exactly as the intake does
   (bot.theme_scores.aggregate / applicable): exact-match rate and per-theme F1.
3. Out of scope: the share of the held-out out_of_scope messages that the model sends to the
   fallback (intent out_of_scope or nlu_fallback). Target >= 90%.
4. Entities: scripts/eval_entities.py (per-entity F1 on tests/nlu/entities_held_out.yml).
5. 5-fold cross-validation of the intents (Rasa's own `rasa test nlu --cross-validation`) and of
   the theme model on the training data.

Writes results/eval/report.md and report.json plus the PNGs. Run in the bot env (make eval).
`--quick` skips the slow intent cross-validation (five Rasa trainings)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from bot.theme_model import THEMES, ThemeModel, examples_from_intents
from bot.theme_scores import aggregate, applicable, evidence_of_parse, scores_of_parse
from scripts.model_hash import ROOT, model_path

OUT = ROOT / "results" / "eval"
HELD_OUT = [ROOT / "tests" / "nlu" / "held_out.yml", ROOT / "tests" / "nlu" / "held_out_fresh.yml"]
MULTI = ROOT / "tests" / "nlu" / "multi_label.yml"
TARGETS = {"theme_macro_f1": 0.92, "out_of_scope_fallback": 0.90, "entity_f1": 0.90}
FALLBACK_INTENTS = {"out_of_scope", "nlu_fallback"}


# --- data ------------------------------------------------------------------------------------


def nlu_examples(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(text, intent) of Rasa YAML NLU files (block or list examples)."""
    pairs = []
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" not in item:
                continue
            examples = item.get("examples") or []
            if isinstance(examples, str):
                lines = [ln.strip()[2:].strip() for ln in examples.splitlines()
                         if ln.strip().startswith("- ")]
            else:
                lines = [e["text"] for e in examples]
            pairs += [(text, item["intent"]) for text in lines if text]
    return pairs


# --- metrics (plain Python, so they are easy to check) ---------------------------------------


def per_class(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    rows = {}
    for label in labels:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows[label] = {"precision": precision, "recall": recall, "f1": f1, "n": tp + fn}
    return rows


def macro_f1(rows: dict) -> float:
    return sum(r["f1"] for r in rows.values()) / len(rows) if rows else 0.0


def calibration(confidences: Sequence[float], correct: Sequence[bool], bins: int = 5) -> dict:
    """Reliability per confidence bin, expected calibration error, and the >= 0.8 check."""
    table = []
    ece = 0.0
    for i in range(bins):
        lo, hi = i / bins, (i + 1) / bins
        idx = [k for k, c in enumerate(confidences) if lo <= c < hi or (i == bins - 1 and c == 1)]
        if not idx:
            continue
        conf = sum(confidences[k] for k in idx) / len(idx)
        acc = sum(correct[k] for k in idx) / len(idx)
        ece += len(idx) / len(confidences) * abs(acc - conf)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(idx), "confidence": conf,
                      "accuracy": acc})
    high = [k for k, c in enumerate(confidences) if c >= 0.8]
    return {"bins": table, "ece": ece, "n_high": len(high), "share_high":
            len(high) / len(confidences) if confidences else 0.0,
            "accuracy_high": sum(correct[k] for k in high) / len(high) if high else 0.0}


def confusion(truth, predicted, labels) -> list[list[int]]:
    return [[sum(t == a and p == b for t, p in zip(truth, predicted, strict=True)) for b in labels]
            for a in labels]


# --- plots -----------------------------------------------------------------------------------


def plot_confusion(matrix, labels, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    top = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            ax.text(j, i, value, ha="center", va="center",
                    color="white" if value > top / 2 else "black")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_reliability(cal: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect")
    ax.plot([b["confidence"] for b in cal["bins"]], [b["accuracy"] for b in cal["bins"]], "o-",
            label="theme model")
    ax.set_xlabel("confidence of the top theme")
    ax.set_ylabel("share correct")
    ax.set_title(f"Calibration (ECE {cal['ece']:.3f})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- the trained model -----------------------------------------------------------------------


class Parser:
    """The trained Rasa model, in this process (the same graph `rasa run` serves)."""

    def __init__(self, model: Path) -> None:
        from rasa.core.agent import Agent

        self.agent = Agent.load(str(model))
        self.loop = asyncio.new_event_loop()

    def parse(self, texts: Sequence[str]) -> list[dict]:
        return [self.loop.run_until_complete(self.agent.parse_message(t)) for t in texts]


def theme_evaluation(parser: Parser, report: dict) -> None:
    examples = nlu_examples(HELD_OUT)
    texts, truth = examples_from_intents(examples)
    parsed = parser.parse(texts)
    scores = [scores_of_parse(p) for p in parsed]
    predicted = [max(s, key=s.get) for s in scores]
    rows = per_class(truth, predicted, THEMES)
    confidences = [max(s.values()) for s in scores]
    correct = [p == t for p, t in zip(predicted, truth, strict=True)]
    cal = calibration(confidences, correct)
    by_file = {}
    for path in HELD_OUT:
        t, y = examples_from_intents(nlu_examples([path]))
        p = [max(s, key=s.get) for s in (scores_of_parse(x) for x in parser.parse(t))]
        by_file[path.name] = {"n": len(t), "macro_f1": macro_f1(per_class(y, p, THEMES))}
    matrix = confusion(truth, predicted, THEMES)
    plot_confusion(matrix, list(THEMES), "Themes, held-out", OUT / "theme_confusion.png")
    plot_reliability(cal, OUT / "theme_calibration.png")
    errors = [{"text": x, "true": t, "predicted": p, "confidence": round(c, 3)}
              for x, t, p, c in zip(texts, truth, predicted, confidences, strict=True) if t != p]
    report["themes"] = {"n": len(texts), "macro_f1": macro_f1(rows), "per_theme": rows,
                        "by_file": by_file, "confusion": matrix, "calibration": cal,
                        "errors": errors}


def multi_label_evaluation(parser: Parser, report: dict) -> None:
    items = yaml.safe_load(MULTI.read_text(encoding="utf-8"))["items"]
    exact, truth_sets, predicted_sets = 0, [], []
    for item in items:
        turns = [str(t) for t in item["turns"]]
        evidence = [item for p in parser.parse(turns) for item in evidence_of_parse(p)]
        predicted = set(applicable(aggregate(evidence), evidence))
        truth = set(item["themes"])
        exact += predicted == truth
        truth_sets.append(truth)
        predicted_sets.append(predicted)
    pairs = list(zip(truth_sets, predicted_sets, strict=True))
    rows = {}
    for theme in THEMES:
        tp = sum(theme in t and theme in p for t, p in pairs)
        fp = sum(theme not in t and theme in p for t, p in pairs)
        fn = sum(theme in t and theme not in p for t, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        rows[theme] = {"precision": precision, "recall": recall, "n": tp + fn,
                       "f1": 2 * precision * recall / (precision + recall)
                       if precision + recall else 0.0}
    top_right = sum(bool(t & p) for t, p in pairs)
    report["multi_label"] = {"n": len(items), "exact_match": exact / len(items),
                             "any_overlap": top_right / len(items), "per_theme": rows,
                             "macro_f1": macro_f1(rows)}


def out_of_scope_evaluation(parser: Parser, report: dict) -> None:
    texts = [t for path in HELD_OUT for t, i in nlu_examples([path]) if i == "out_of_scope"]
    intents = [(p.get("intent") or {}).get("name") for p in parser.parse(texts)]
    caught = [i in FALLBACK_INTENTS for i in intents]
    report["out_of_scope"] = {
        "n": len(texts), "fallback_rate": sum(caught) / len(texts) if texts else 0.0,
        "missed": [{"text": t, "intent": i}
                   for t, i, c in zip(texts, intents, caught, strict=True) if not c]}


def theme_cross_validation(report: dict, folds: int = 5) -> None:
    from sklearn.model_selection import StratifiedKFold

    texts, themes = examples_from_intents(nlu_examples(sorted((ROOT / "nlu_data").rglob("*.yml"))))
    predicted = [""] * len(texts)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=7).split(texts, themes):
        model = ThemeModel().fit([texts[i] for i in train], [themes[i] for i in train])
        for i, s in zip(test, model.predict_proba([texts[i] for i in test]), strict=True):
            predicted[i] = max(s, key=s.get)
    report["theme_cv"] = {"n": len(texts), "folds": folds,
                          "macro_f1": macro_f1(per_class(themes, predicted, THEMES))}


def rasa(*args: str, log: Path) -> None:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3")
    with log.open("w") as out:
        result = subprocess.run([str(Path(sys.executable).parent / "rasa"), *args], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise SystemExit(f"rasa {' '.join(args[:2])} failed; see {log}")


def intent_cross_validation(report: dict) -> None:
    rasa("test", "nlu", "--nlu", "nlu_data/nlu", "--config", "config.yml", "--cross-validation",
         "--folds", "5", "--out", str(OUT / "cv"), log=OUT / "cv.log")
    intents = json.loads((OUT / "cv" / "intent_report.json").read_text())
    report["intent_cv"] = {
        "macro_f1": intents.get("macro avg", {}).get("f1-score", 0.0),
        "weighted_f1": intents.get("weighted avg", {}).get("f1-score", 0.0),
        "per_intent": {k: v for k, v in intents.items() if isinstance(v, dict)
                       and k not in ("macro avg", "weighted avg", "micro avg")},
    }


def entity_evaluation(report: dict) -> None:
    script = ROOT / "scripts" / "eval_entities.py"
    if not script.exists():
        return
    subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL)
    result = ROOT / "results" / "entities.json"
    if result.exists():
        report["entities"] = json.loads(result.read_text())


# --- report ----------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def markdown(report: dict) -> str:
    lines = ["# NLU evaluation (`make eval`)", ""]
    th = report.get("themes")
    if th:
        target = TARGETS["theme_macro_f1"]
        lines += [f"## Themes on the held-out files ({th['n']} messages)", "",
                  f"Theme macro-F1 **{th['macro_f1']:.3f}** (target >= {target}: "
                  f"{verdict(th['macro_f1'], target)}); per file: " + ", ".join(
                      f"{k} {v['macro_f1']:.3f} (n={v['n']})" for k, v in th["by_file"].items()),
                  "", "| theme | precision | recall | F1 | n |", "|---|---|---|---|---|"]
        lines += [f"| {t} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['n']} |"
                  for t, r in th["per_theme"].items()]
        cal = th["calibration"]
        lines += ["", f"Calibration: {cal['share_high']:.0%} of the messages get a top-theme "
                  f"confidence >= 0.8, and of those **{cal['accuracy_high']:.1%}** are right "
                  f"(n={cal['n_high']}); expected calibration error {cal['ece']:.3f}.", "",
                  "| confidence | n | mean confidence | share correct |", "|---|---|---|---|"]
        lines += [f"| {b['bin']} | {b['n']} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
                  for b in cal["bins"]]
        lines += ["", "Confusion matrix: theme_confusion.png; reliability: "
                  "theme_calibration.png.", ""]
    ml = report.get("multi_label")
    if ml:
        lines += [f"## Multi-label ({ml['n']} articulated questions, turns aggregated)", "",
                  f"Exact match of the ticket's theme set: **{ml['exact_match']:.3f}**; at least "
                  f"one right theme: {ml['any_overlap']:.3f}; per-theme macro-F1 "
                  f"{ml['macro_f1']:.3f}.", ""]
    oos = report.get("out_of_scope")
    if oos:
        target = TARGETS["out_of_scope_fallback"]
        lines += ["## Out of scope", "", f"{oos['fallback_rate']:.1%} of {oos['n']} out-of-scope "
                  f"messages fall back (target >= {target:.0%}: "
                  f"{verdict(oos['fallback_rate'], target)}).", ""]
    ent = report.get("entities")
    if ent:
        sets = [("held-out", ent), ("second", ent.get("second_set")),
                ("independent", ent.get("independent_set")), ("blind", ent.get("blind_set"))]
        sets = [(name, data) for name, data in sets if data and data.get("per_entity")]
        target = TARGETS["entity_f1"]
        lines += ["## Entities (F1 on exact normalised values)", "",
                  "| entity | " + " | ".join(f"{n} (n={d['examples']})" for n, d in sets) + " |",
                  "|---" * (len(sets) + 1) + "|"]
        for label in sets[0][1]["per_entity"]:
            lines.append(f"| {label} | " + " | ".join(
                f"{d['per_entity'].get(label, {}).get('f1', 0):.3f}" for _, d in sets) + " |")
        judged = dict(sets).get("blind") or sets[0][1]
        worst = min(row.get("f1", 0) for row in judged["per_entity"].values())
        lines += ["", f"Lowest entity F1 on the blind set {worst:.3f} (target >= {target}: "
                  f"{verdict(worst, target)}). The held-out set was in view while the rules were "
                  "designed; the second and the independent set each guided fixes after their "
                  "first run; the blind set was written by someone who never saw the extractor "
                  "and was never looked at while changing it.", ""]
    if "theme_cv" in report:
        lines += ["## Cross-validation", "", f"Theme model, {report['theme_cv']['folds']}-fold "
                  f"on the training data: macro-F1 {report['theme_cv']['macro_f1']:.3f}."]
    if "intent_cv" in report:
        lines += [f"All intents (Rasa, 5-fold): macro-F1 {report['intent_cv']['macro_f1']:.3f}, "
                  f"weighted {report['intent_cv']['weighted_f1']:.3f} (details in cv/)."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true", help="skip the intent cross-validation")
    args.add_argument("--model", help="a model file (default: the one for the current inputs)")
    opts = args.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict = {}
    model = Path(opts.model) if opts.model else model_path()
    if not model.exists():
        print(f"no trained model at {model}: run `make train` first")
        return 1
    print(f"loading {model} ...", flush=True)
    parser = Parser(model)
    theme_evaluation(parser, report)
    multi_label_evaluation(parser, report)
    out_of_scope_evaluation(parser, report)
    entity_evaluation(report)
    theme_cross_validation(report)
    if not opts.quick:
        print("5-fold cross-validation of the intents (five trainings; ~10 min) ...", flush=True)
        intent_cross_validation(report)
    (OUT / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    text = markdown(report)
    (OUT / "report.md").write_text(text)
    print(text)
    print(f"written: {OUT.relative_to(ROOT)}/report.md, report.json, theme_confusion.png, "
          "theme_calibration.png")
    met = (report["themes"]["macro_f1"] >= TARGETS["theme_macro_f1"]
           and report["out_of_scope"]["fallback_rate"] >= TARGETS["out_of_scope_fallback"])
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
