"""The metrics of `make eval` (scripts/evaluate.py), checked on small hand-made cases."""

from __future__ import annotations

import pytest

from scripts.evaluate import calibration, confusion, macro_f1, markdown, nlu_examples, per_class


def test_per_class_precision_recall_f1():
    truth = ["data", "data", "overig", "overig"]
    predicted = ["data", "overig", "overig", "overig"]
    rows = per_class(truth, predicted, ["data", "overig"])
    assert rows["data"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "n": 2}
    assert rows["overig"]["precision"] == pytest.approx(2 / 3)
    assert rows["overig"]["recall"] == 1.0
    assert macro_f1(rows) == pytest.approx((2 / 3 + 0.8) / 2)


def test_a_class_never_predicted_has_zero_precision_not_an_error():
    rows = per_class(["data"], ["overig"], ["data", "overig", "automatisering"])
    assert rows["automatisering"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n": 0}


def test_calibration_bins_and_the_high_confidence_check():
    confidences = [0.95, 0.9, 0.85, 0.5, 0.3, 1.0]
    correct = [True, True, False, True, False, True]
    cal = calibration(confidences, correct, bins=5)
    assert cal["n_high"] == 4
    assert cal["accuracy_high"] == pytest.approx(0.75)
    assert sum(b["n"] for b in cal["bins"]) == len(confidences)
    assert 0.0 <= cal["ece"] <= 1.0


def test_confusion_rows_are_truth_columns_predictions():
    m = confusion(["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    assert m == [[1, 1], [0, 1]]


def test_nlu_examples_reads_block_and_list_examples(tmp_path):
    f = tmp_path / "nlu.yml"
    f.write_text('version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hoi\n'
                 '      - hallo daar\n  - intent: thanks\n    examples:\n      - text: bedankt\n'
                 '  - synonym: x\n    examples: |\n      - y\n', encoding="utf-8")
    assert nlu_examples([f]) == [("hoi", "greet"), ("hallo daar", "greet"), ("bedankt", "thanks")]


def test_markdown_says_when_a_target_is_not_met():
    report = {"out_of_scope": {"n": 10, "fallback_rate": 0.8, "missed": []}}
    assert "NOT met" in markdown(report)
    report["out_of_scope"]["fallback_rate"] = 0.95
    assert "NOT met" not in markdown(report)
