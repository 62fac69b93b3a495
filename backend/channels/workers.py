"""One background task per key (a conversation): work for one conversation runs in order, work
for different conversations runs side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("backend.channels")


class KeyedWorkers:
    """`kick(key)` makes sure `work(key)` runs soon. A kick while it runs makes it run once more
    afterwards, so nothing recorded in the meantime is left behind."""

    def __init__(self, work: Callable[[str], Awaitable[None]], name: str) -> None:
        self.work, self.name = work, name
        self._tasks: dict[str, asyncio.Task] = {}
        self._again: set[str] = set()

    def kick(self, key: str) -> None:
        if key in self._tasks:
            self._again.add(key)
            return
        self._tasks[key] = asyncio.get_running_loop().create_task(self._run(key))

    async def _run(self, key: str) -> None:
        try:
            while True:
                self._again.discard(key)
                try:
                    await self.work(key)
                except asyncio.CancelledError:
                    raise
                except Exception:  # the next kick (or the sweep) tries again
                    log.exception("%s worker for %s failed", self.name, key)
                if key not in self._again:
                    return
        finally:
            self._tasks.pop(key, None)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
