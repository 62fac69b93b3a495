"""Record Rasa test stories from real conversations: run each scripted persona through the
running stack, read Rasa's tracker and write it as a test story in tests/stories/.
Regenerate after a deliberate dialogue change: `make stories` (then review the diff)."""

from __future__ import annotations

import json
import sys
import urllib.request

import yaml

from backend.settings import ROOT, load_settings
from tests.e2e.driver import Chat
from tests.e2e.personas import SCENARIOS

SKIP_SLOTS = {"theme_evidence", "retries"}


def story_steps(events: list[dict]) -> list[dict]:
    steps: list[dict] = []
    started = False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            started = True
            intent = event["parse_data"]["intent"]["name"]
            if event["text"].startswith("/"):
                steps.append({"intent": intent})
            else:
                steps.append({"user": event["text"], "intent": intent})
        elif not started:
            continue
        elif kind == "action" and event["name"] != "action_listen":
            steps.append({"action": event["name"]})
        elif kind == "active_loop":
            steps.append({"active_loop": event.get("name")})
        elif kind == "slot" and event["name"] not in SKIP_SLOTS:
            value = event.get("value")
            if isinstance(value, (str, int, float, bool)) or value is None:
                steps.append({"slot_was_set": [{event["name"]: value}]})
        elif kind == "reset_slots":
            steps.append({"slot_was_set": [{"requested_slot": None}]})
    return steps


def tracker(rasa_url: str, token: str, sender: str) -> dict:
    url = f"{rasa_url}/conversations/{sender}/tracker?token={token}&include_events=ALL"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def main(base_url: str = "http://127.0.0.1:8000") -> int:
    settings = load_settings()
    stories = []
    for name, answers in SCENARIOS.items():
        chat = Chat(base_url).start().run(answers)
        events = tracker(settings.rasa_url, settings.rasa_token, chat.conversation_id)["events"]
        stories.append({"story": name, "steps": story_steps(events)})
        print(f"recorded {name}: {len(stories[-1]['steps'])} steps")
    out = ROOT / "tests" / "stories" / "test_intake_stories.yml"
    header = "# Recorded by scripts/record_stories.py from real conversations; review diffs.\n"
    out.write_text(header + yaml.safe_dump({"version": "3.1", "stories": stories},
                                           allow_unicode=True, sort_keys=False, width=100))
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
