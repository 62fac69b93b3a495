"""Whole conversations: scripted entrepreneurs (tests/e2e/personas/*.yml) against the whole stack.

Each persona answers the bot's questions in its own style (web, WhatsApp, spoken) through the
public API; the ticket is then fetched with the staff API and checked against what the persona
expects (ticket or a referral, the theme, company and contact details). The same functions are
used by tests/e2e/test_personas.py (against the test session's stack) and by this script, which
starts a fresh stack with a throw-away database and writes results/personas.json and .md:

    .venv-backend/bin/python scripts/eval_personas.py [--only ID ...] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a file: `python scripts/eval_personas.py`
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tests.e2e.driver import Chat, api  # noqa: E402

PERSONA_DIR = ROOT / "tests" / "e2e" / "personas"
STYLES = ("web", "whatsapp", "spoken")
THEMES = ("online_marketing_sales", "data", "automatisering", "overig")
# Questions every persona that should end with a ticket must be able to answer (the bot asks
# need_problem, theme_choice and place only sometimes, so every persona answers them too).
TICKET_QUESTIONS = ("need_description", "need_problem", "need_goal", "need_tried",
                    "need_urgency", "theme_choice", "company_name", "sector", "employees",
                    "postcode", "place", "kvk_number", "contact_name", "contact_email",
                    "contact_phone", "source", "maturity", "consent_privacy",
                    "consent_followup", "summary_confirmed")
TARGET_PASS_RATE = 0.95
TARGET_MEDIAN_TURNS = 14


# ---------------------------------------------------------------- personas as data

def load_personas(directory: Path = PERSONA_DIR) -> list[dict]:
    """Every persona file, checked for shape; the id is the file name without .yml."""
    personas = []
    for path in sorted(directory.glob("*.yml")):
        persona = yaml.safe_load(path.read_text(encoding="utf-8"))
        persona["id"] = path.stem
        problems = persona_problems(persona)
        if problems:
            raise ValueError(f"{path.name}: " + "; ".join(problems))
        personas.append(persona)
    return personas


def persona_problems(persona: dict) -> list[str]:
    problems = []
    for key in ("name", "description", "style", "answers", "expect"):
        if not persona.get(key):
            problems.append(f"missing {key}")
    if problems:
        return problems
    if persona["style"] not in STYLES:
        problems.append(f"style must be one of {STYLES}")
    expect, answers = persona["expect"], persona["answers"]
    if not isinstance(expect.get("ticket"), bool):
        problems.append("expect.ticket must be true or false")
    if expect.get("ticket"):
        missing = [q for q in TICKET_QUESTIONS if q not in answers]
        if missing:
            problems.append(f"no answers to {missing}")
        themes = expect.get("themes") or []
        if not themes or any(t not in THEMES for t in themes + expect.get("themes_all", [])):
            problems.append(f"expect.themes must be a non-empty list of {THEMES}")
        for part, keys in (("company", ("name", "sector", "employees", "postcode", "place",
                                        "kvk")),
                           ("contact", ("name", "email", "phone"))):
            absent = [k for k in keys if k not in (expect.get(part) or {})]
            if absent:
                problems.append(f"expect.{part} lacks {absent}")
    elif "eligibility_insist" not in answers:
        problems.append("an ineligible persona must answer eligibility_insist")
    return problems


# ---------------------------------------------------------------- checking a ticket

def _same_text(a, b) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def ticket_themes(ticket: dict) -> list[str]:
    """The themes that apply to the ticket: its main theme plus the other applicable ones."""
    found = [ticket.get("theme")]
    applicable = (ticket.get("details") or {}).get("applicable_themes")
    if isinstance(applicable, str):
        found += [t.strip() for t in applicable.split(",") if t.strip()]
    elif isinstance(applicable, list):
        found += applicable
    else:  # no explicit list: the themes with a real share of the confidence
        found += [t["theme"] for t in ticket.get("themes") or [] if t.get("confidence", 0) >= 0.3]
    return [t for i, t in enumerate(found) if t and t not in found[:i]]


def ticket_problems(expect: dict, ticket: dict) -> list[str]:
    """What in the ticket differs from what the persona expects (empty: all correct)."""
    problems = []
    applying = ticket_themes(ticket)
    if not set(expect["themes"]) & set(applying):
        problems.append(f"theme: expected one of {expect['themes']}, ticket has {applying} "
                        f"(scores {[(t['theme'], t['confidence']) for t in ticket['themes']]})")
    for theme in expect.get("themes_all") or []:
        if theme not in applying:
            problems.append(f"theme: {theme} should also apply (multi-theme), ticket has "
                            f"{applying}")
    want, got = expect["company"], ticket["company"]
    # sector is free text: it must contain one of these words (the persona's own words)
    sectors = want["sector"] if isinstance(want["sector"], list) else [want["sector"]]
    checks = [
        ("company.name", want["name"], got["name"], _same_text(want["name"], got["name"])),
        ("company.sector", f"contains one of {sectors}", got["sector"],
         any(str(x).casefold() in str(got["sector"] or "").casefold() for x in sectors)),
        ("company.employees", want["employees"], got["employees"],
         want["employees"] == got["employees"]),
        ("company.postcode", want["postcode"], got["postcode"],
         (want["postcode"] or "") == (got["postcode"] or "")),
        ("company.place", want["place"], got["place"], _same_text(want["place"], got["place"])),
        ("company.kvk_number", want["kvk"], got["kvk_number"],
         (want["kvk"] or None) == (got["kvk_number"] or None)),
    ]
    want, got = expect["contact"], ticket["contact"]
    checks += [
        ("contact.name", want["name"], got["name"], _same_text(want["name"], got["name"])),
        ("contact.email", want["email"], got["email"],
         (want["email"] or None) == (got["email"] or None)),
        ("contact.phone", want["phone"], got["phone"],
         (want["phone"] or None) == (got["phone"] or None)),
    ]
    if "maturity" in expect:
        got_maturity = (ticket.get("intake") or {}).get("maturity")
        checks.append(("intake.maturity", expect["maturity"], got_maturity,
                       expect["maturity"] == got_maturity))
    problems += [f"{field}: expected {want_!r}, got {got_!r}"
                 for field, want_, got_, ok in checks if not ok]
    return problems


# ---------------------------------------------------------------- one persona, all personas

def run_persona(base_url: str, admin_token: str, persona: dict) -> dict:
    """Talk to the stack as the persona; returns the record with `ok` and `problems`."""
    started = time.monotonic()
    record = {"id": persona["id"], "name": persona["name"], "style": persona["style"],
              "expect_ticket": persona["expect"]["ticket"], "ok": False, "problems": [],
              "reference": None, "turns": 0, "stuck_at": None, "reason": "", "re_asked": {}}
    try:
        chat = Chat(base_url).start()
    except Exception as exc:  # noqa: BLE001 - report, never crash the whole run
        record.update(problems=[f"could not start a conversation: {exc}"], transcript=[])
        return record
    played = chat.play(persona["answers"])
    record.update(reference=played["reference"], turns=played["turns"],
                  stuck_at=played["stuck_at"], reason=played["reason"], asks=played["asks"],
                  conversation_id=chat.conversation_id)
    record["re_asked"] = {
        q: n for q, n in played["asks"].items()
        if n > (len(a) if isinstance(a := persona["answers"].get(q), list) else 1)
    }
    expect = persona["expect"]
    problems: list[str] = []
    if expect["ticket"]:
        if not played["reference"]:
            problems.append(f"no ticket: stuck at {played['stuck_at']} ({played['reason']})")
        else:
            status, ticket = api(base_url, "GET", f"/api/v1/tickets/{played['reference']}",
                                 token=admin_token)
            if status != 200:
                problems.append(f"ticket {played['reference']} not readable: {status} {ticket}")
            else:
                record["ticket"] = ticket
                if ticket.get("conversation_id") != chat.conversation_id:
                    problems.append("ticket belongs to another conversation")
                problems += ticket_problems(expect, ticket)
    else:
        if played["reference"]:
            problems.append(f"ineligible, but got ticket {played['reference']}")
        status, body = api(base_url, "GET", "/api/v1/tickets?limit=1000", token=admin_token)
        if status == 200 and any(t["conversation_id"] == chat.conversation_id
                                 for t in body["items"]):
            problems.append("ineligible, but a ticket was stored for the conversation")
        said = "\n".join(text for who, text in chat.log if who == "bot")
        if expect.get("referral") and expect["referral"] not in said:
            problems.append(f"no referral: the bot never mentioned {expect['referral']!r} "
                            f"(ended at {played['stuck_at']}: {played['reason']})")
        record["stuck_at"] = None if not problems else record["stuck_at"]
    record.update(ok=not problems, problems=problems, transcript=chat.log,
                  seconds=round(time.monotonic() - started, 1))
    return record


def run_all(base_url: str, admin_token: str, personas: list[dict], workers: int = 2,
            progress=None) -> list[dict]:
    def one(persona: dict) -> dict:
        record = run_persona(base_url, admin_token, persona)
        if progress:
            progress(record)
        return record

    with ThreadPoolExecutor(max(1, workers)) as pool:
        return list(pool.map(one, personas))


def summary(records: list[dict]) -> dict:
    ok = [r for r in records if r["ok"]]
    ticket_turns = [r["turns"] for r in records if r["expect_ticket"] and r["reference"]]
    stuck: dict[str, list[str]] = {}
    for r in records:
        if not r["ok"] and r.get("stuck_at") and not r["reference"]:
            stuck.setdefault(r["stuck_at"], []).append(r["id"])
    re_asked: dict[str, list[str]] = {}
    for r in records:
        for question in r.get("re_asked") or {}:
            re_asked.setdefault(question, []).append(r["id"])
    return {
        "personas": len(records),
        "correct": len(ok),
        "pass_rate": round(len(ok) / len(records), 3) if records else 0.0,
        "target_pass_rate": TARGET_PASS_RATE,
        "tickets": len(ticket_turns),
        "median_turns_to_ticket": statistics.median(ticket_turns) if ticket_turns else None,
        "target_median_turns": TARGET_MEDIAN_TURNS,
        "by_style": {style: f"{sum(r['ok'] for r in records if r['style'] == style)}/"
                            f"{sum(r['style'] == style for r in records)}" for style in STYLES},
        "stuck_at": stuck,
        "re_asked": re_asked,
    }


def failure_report(record: dict, transcript: bool = True) -> str:
    lines = [f"--- {record['id']} ({record['name']}, {record['style']}): "
             f"{len(record['problems'])} problem(s), {record['turns']} turns"]
    lines += [f"    * {p}" for p in record["problems"]]
    if record.get("re_asked"):
        lines.append(f"    re-asked: {record['re_asked']}")
    if transcript:
        lines += [f"      {who}: {text}".replace("\n", "\n           ")
                  for who, text in record.get("transcript") or []]
    return "\n".join(lines)


def public(record: dict) -> dict:
    """The JSON record (without the whole ticket, which is large)."""
    out = {k: v for k, v in record.items() if k != "ticket"}
    if record.get("ticket"):
        t = record["ticket"]
        out["ticket"] = {k: t.get(k) for k in ("reference", "theme", "themes", "company",
                                                 "contact", "werkplaats", "intake")}
        out["ticket"]["applicable_themes"] = ticket_themes(t)
    out["transcript"] = [[who, text] for who, text in record.get("transcript") or []]
    return out


def write_json(records: list[dict], path: Path, extra: dict | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"summary": summary(records), **(extra or {}),
            "personas": [public(r) for r in records]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def markdown(records: list[dict], extra: dict | None = None, transcripts: bool = True) -> str:
    s = summary(records)
    lines = ["# Whole conversations: persona report", ""]
    for key, value in (extra or {}).items():
        lines.append(f"- {key}: {value}")
    lines += [
        f"- correct outcome: {s['correct']}/{s['personas']} = {100 * s['pass_rate']:.0f}% "
        f"(target >= {100 * TARGET_PASS_RATE:.0f}%)",
        f"- median user turns to a confirmed ticket: {s['median_turns_to_ticket']} "
        f"(target <= {TARGET_MEDIAN_TURNS}; {s['tickets']} tickets)",
        "- correct per style: " + ", ".join(f"{k} {v}" for k, v in s["by_style"].items()),
        "", "| persona | style | outcome | turns | ended / stuck at | re-asked |",
        "|---|---|---|---|---|---|",
    ]
    for r in records:
        outcome = ("ok" if r["ok"] else "FAIL") + (
            f" ({r['reference']})" if r["reference"] else " (no ticket)")
        ended = r["stuck_at"] or ("ticket" if r["reference"] else "referred")
        re_asked = ", ".join(f"{q} x{n}" for q, n in (r.get("re_asked") or {}).items())
        lines.append(f"| {r['id']} | {r['style']} | {outcome} | {r['turns']} | {ended} | "
                     f"{re_asked} |")
    if s["stuck_at"]:
        lines += ["", "## Where personas got stuck", ""]
        lines += [f"- {q}: {', '.join(ids)}" for q, ids in s["stuck_at"].items()]
    if s["re_asked"]:
        lines += ["", "## Questions asked more often than the persona expected", ""]
        lines += [f"- {q}: {', '.join(ids)}" for q, ids in s["re_asked"].items()]
    failing = [r for r in records if not r["ok"]]
    if failing:
        lines += ["", "## Failures", ""]
        for r in failing:
            lines.append(f"### {r['id']} ({r['name']})")
            lines += [f"- {p}" for p in r["problems"]]
            if transcripts:
                lines += ["", "```", *(f"{who}: {text}" for who, text in r["transcript"]), "```"]
            lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the script

def ensure_model(train: bool) -> Path:
    from scripts.model_hash import model_path

    model = model_path()
    if model.exists():
        return model
    newest = sorted((ROOT / "models").glob("intake-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not train:
        if not newest:
            raise SystemExit("no trained model in models/: run `make train`")
        print(f"warning: no model for the current inputs ({model.name}); using the newest one, "
              f"{newest[-1].name}", flush=True)
        return newest[-1]
    print(f"no model for the current inputs: training {model.name} (a few minutes) ...",
          flush=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false")
    result = subprocess.run([str(ROOT / ".venv-bot" / "bin" / "python"), "-m", "scripts.train"],
                            cwd=ROOT, env=env)
    if result.returncode != 0 or not model.exists():
        raise SystemExit("training failed")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="persona ids (file names without .yml)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PERSONAS_WORKERS",
                                                                          "2")))
    parser.add_argument("--no-train", action="store_true",
                        help="do not train when the model is out of date; use the newest")
    parser.add_argument("--out", type=Path, default=ROOT / "results")
    args = parser.parse_args(argv)

    from backend.stack import Stack
    from tests.e2e.conftest import ADMIN_TOKEN, free_port

    personas = load_personas()
    if args.only:
        personas = [p for p in personas if p["id"] in set(args.only)]
    model = ensure_model(train=not args.no_train)
    var = Path(tempfile.mkdtemp(prefix="intake-personas-"))
    port = free_port()
    stack = Stack(port=port, rasa_port=free_port(), action_port=free_port(), log_dir=var / "log",
                  env={"INTAKE_ENV": "test", "INTAKE_VAR_DIR": str(var),
                       "DATABASE_URL": f"sqlite:///{var / 'intake.db'}",
                       "INTAKE_ADMIN_TOKEN": ADMIN_TOKEN,
                       "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    print(f"starting the stack with {model.name} (logs in {var / 'log'}) ...", flush=True)
    stack.start(model)
    try:
        stack.wait_healthy(timeout=400)
        t0 = time.monotonic()

        def progress(r: dict) -> None:
            print(f"  {'ok  ' if r['ok'] else 'FAIL'} {r['id']:<32} {r['turns']:>3} turns"
                  + ("" if r["ok"] else f"  {r['problems'][0][:90]}"), flush=True)

        records = run_all(stack.base_url, ADMIN_TOKEN, personas, args.workers, progress)
        extra = {"model": model.name, "seconds": round(time.monotonic() - t0)}
    finally:
        stack.stop()

    s = summary(records)
    print("\n" + markdown(records, extra, transcripts=False))
    write_json(records, args.out / "personas.json", extra)
    (args.out / "personas.md").write_text(markdown(records, extra), encoding="utf-8")
    print(f"wrote {args.out / 'personas.json'} and {args.out / 'personas.md'}")
    return 0 if s["pass_rate"] >= TARGET_PASS_RATE else 1


if __name__ == "__main__":
    raise SystemExit(main())
