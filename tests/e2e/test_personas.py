"""Whole conversations: every scripted persona (tests/e2e/personas/*.yml) talks to the real
stack through the public API; the ticket is checked through the staff API. At least 95% must
end with the correct outcome. Set PERSONAS_RECORD=path.json to keep the per-persona record
(turns to the ticket, where it got stuck, transcript); it is always written to pytest's tmp dir.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from scripts.eval_personas import (
    TARGET_PASS_RATE,
    THEMES,
    failure_report,
    load_personas,
    markdown,
    run_all,
    summary,
    write_json,
)

PERSONAS = load_personas()


def test_there_are_enough_varied_personas():
    assert len(PERSONAS) >= 20
    eligible = [p for p in PERSONAS if p["expect"]["ticket"]]
    sectors = {str(p["expect"]["company"]["sector"]) for p in eligible}
    assert len(sectors) >= 12, sectors
    sizes = [p["expect"]["company"]["employees"] for p in eligible]
    assert min(sizes) <= 2 and max(sizes) >= 40, sizes
    themes = Counter(t for p in eligible for t in p["expect"]["themes"])
    assert set(themes) == set(THEMES), themes
    assert any(len(p["expect"].get("themes_all") or []) >= 2 for p in eligible)
    assert set(Counter(p["style"] for p in PERSONAS)) == {"web", "whatsapp", "spoken"}
    assert len(PERSONAS) - len(eligible) >= 2  # a zzp'er and a large company


def test_personas_end_with_the_right_outcome(stack, tmp_path_factory):
    workers = int(os.environ.get("PERSONAS_WORKERS", "2"))
    records = run_all(stack.base_url, stack.admin_token, PERSONAS, workers)
    s = summary(records)
    out = tmp_path_factory.mktemp("personas") / "personas.json"
    write_json(records, out)
    (out.parent / "personas.md").write_text(markdown(records), encoding="utf-8")
    if os.environ.get("PERSONAS_RECORD"):
        write_json(records, Path(os.environ["PERSONAS_RECORD"]))
    failing = [r for r in records if not r["ok"]]
    report = "\n".join(failure_report(r) for r in failing)
    print(f"\npersonas: {s['correct']}/{s['personas']} correct, median turns to a ticket "
          f"{s['median_turns_to_ticket']}, record in {out}")
    if failing:
        print(report)
    assert s["pass_rate"] >= TARGET_PASS_RATE, (
        f"{s['correct']}/{s['personas']} personas correct "
        f"(< {100 * TARGET_PASS_RATE:.0f}%):\n{report}"
    )

