"""The voice turn budget: Twilio waits at most 15 s for TwiML. A turn (the bot's answer) runs
as a task; the webhook waits for it at most VOICE_TURN_TIMEOUT seconds. When the time is up the
caller hears "Een ogenblikje." and Twilio is sent (<Redirect>) to the pending URL, which picks
up the same task, still running, and answers with its TwiML once it is done. The caller's answer
was recorded before the bot was asked, so nothing is lost, also not when this process restarts
(the pending URL then speaks what the transcript holds)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("backend.channels")
KEEP_SECONDS = 300.0  # a finished turn nobody asked for is forgotten after this


class TurnBudget:
    def __init__(self) -> None:
        self._turns: dict[str, asyncio.Task] = {}

    async def run(self, key: str, work: Coroutine[Any, Any, Any], seconds: float) -> Any:
        """Start `work` for `key` (a CallSid) and wait for it at most `seconds`: its result,
        or None while it is still running (ask `wait(key)` later)."""
        task = asyncio.get_running_loop().create_task(work)
        self._turns[key] = task
        task.add_done_callback(lambda done: self._finished(key, done))
        return await self.wait(key, seconds)

    async def wait(self, key: str, seconds: float) -> Any:
        """The result of `key`'s turn, None when it needs more than `seconds`. KeyError when
        there is no such turn (done and collected, or started by another process)."""
        task = self._turns[key]
        done, _pending = await asyncio.wait({task}, timeout=seconds)
        if not done:
            return None
        if self._turns.get(key) is task:
            del self._turns[key]
        return task.result()

    def running(self, key: str) -> bool:
        task = self._turns.get(key)
        return task is not None and not task.done()

    def _finished(self, key: str, task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("voice turn for %s failed", key, exc_info=task.exception())

        def forget() -> None:
            if self._turns.get(key) is task:
                del self._turns[key]

        asyncio.get_running_loop().call_later(KEEP_SECONDS, forget)
