"""`make bench`: reply latency through the hub vs. directly against Rasa's REST channel.

Starts the whole stack on free ports (same model, same action server, same database), then runs
N concurrent scripted intakes in rounds that alternate between the two paths:
- hub:    POST /api/v1/conversations/{id}/messages (records, forwards to Rasa, records replies)
- direct: POST Rasa /webhooks/rest/webhook with the same texts (conversation opened via the hub,
          so the action server can write the ticket the same way)
Prints p50/p95 per path and the ratio (target: the hub adds under 15%)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from backend.stack import Stack
from tests.e2e.conftest import free_port
from tests.e2e.driver import Chat, api
from tests.e2e.personas import BAKERY

N = int(os.environ.get("BENCH_CONVERSATIONS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def script() -> list[str]:
    """The user texts of one scripted intake (recorded once through the hub)."""
    return [text for who, text in Chat(STACK.base_url).start().run(BAKERY).log if who == "user"]


def hub_conversation(texts: list[str]) -> list[float]:
    chat = Chat(STACK.base_url).start()
    times = []
    for text in texts:
        t0 = time.perf_counter()
        chat.say(text)
        times.append(time.perf_counter() - t0)
    return times


def direct_conversation(texts: list[str]) -> list[float]:
    status, body = api(STACK.base_url, "POST", "/api/v1/conversations", {})
    sender = body["conversation_id"]
    url = f"http://127.0.0.1:{STACK.rasa_port}/webhooks/rest/webhook"
    times = []
    for text in texts:
        data = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            replies = json.loads(r.read())
        times.append(time.perf_counter() - t0)
        assert replies, f"no reply from Rasa to {text!r}"
    return times


def run(path, texts: list[str]) -> list[float]:
    with ThreadPoolExecutor(N) as pool:
        return [t for times in pool.map(lambda _: path(texts), range(N)) for t in times]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> int:
    texts = script()
    print(f"{N} concurrent conversations x {len(texts)} turns, {ROUNDS} alternating rounds")
    results: dict[str, list[float]] = {"hub": [], "direct": []}
    for i in range(ROUNDS):
        for name, path in (("hub", hub_conversation), ("direct", direct_conversation)):
            results[name] += run(path, texts)
        print(f"  round {i + 1}: hub p50 {pct(results['hub'], 50):.0f} ms, "
              f"direct p50 {pct(results['direct'], 50):.0f} ms", flush=True)
    print(f"\n{'path':<8}{'turns':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for name, values in results.items():
        print(f"{name:<8}{len(values):>7}{pct(values, 50):>9.0f}{pct(values, 95):>9.0f}")
    for q in (50, 95):
        ratio = pct(results["hub"], q) / pct(results["direct"], q)
        print(f"hub/direct p{q}: {ratio:.3f} (hub adds {100 * (ratio - 1):+.1f}%, target < +15%)")
    return 0


if __name__ == "__main__":
    var = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    port = free_port()
    STACK = Stack(port=port, rasa_port=free_port(), action_port=free_port(), log_dir=var / "log",
                  env={"INTAKE_ENV": "test", "INTAKE_VAR_DIR": str(var),
                       "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL",
                                                      f"sqlite:///{var / 'intake.db'}")})
    print("starting the stack for the benchmark ...", flush=True)
    STACK.start()
    try:
        STACK.wait_healthy(timeout=400)
        sys.exit(main())
    finally:
        STACK.stop()
