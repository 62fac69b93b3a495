"""The action server's only way out: the backend hub's HTTP API (service token, short timeouts).
The actions never touch the database."""

from __future__ import annotations

import asyncio
import os

import aiohttp


class BackendError(RuntimeError):
    """The backend refused the request or could not be reached."""


class BackendClient:
    def __init__(self, base_url: str | None = None, token: str | None = None,
                 timeout: float = 5.0, attempts: int = 3) -> None:
        self.base_url = (base_url or os.environ.get("INTAKE_BACKEND_URL")
                         or "http://127.0.0.1:8000").rstrip("/")
        self.token = token if token is not None else os.environ.get("INTAKE_SERVICE_TOKEN", "")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.attempts = attempts

    async def create_ticket(self, payload: dict) -> dict:
        """Idempotent: the conversation id is the key, so a retry never makes a second ticket."""
        return await self._post("/api/v1/tickets", payload)

    async def request_handover(self, conversation_id: str, reason: str) -> dict:
        """Ask for a helpdesk student; idempotent while a request is open. Returns the state and
        the helpdesk's availability ({state, open, expected_wait_minutes, next_opening})."""
        return await self._post(f"/api/v1/conversations/{conversation_id}/handover",
                                {"reason": reason})

    async def _post(self, path: str, payload: dict) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                async with aiohttp.ClientSession(timeout=self.timeout) as session:
                    async with session.post(f"{self.base_url}{path}", json=payload,
                                            headers=headers) as response:
                        if response.status in (200, 201):
                            return await response.json(content_type=None)
                        # an error body may be HTML from a proxy: read it as text, never retry 4xx
                        body = (await response.text(errors="replace"))[:500]
                        if response.status < 500:
                            raise BackendError(f"{path} refused ({response.status}): {body}")
                        last = BackendError(f"backend error {response.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                last = exc
            if attempt + 1 < self.attempts:
                await asyncio.sleep(0.3 * 2**attempt)
        raise BackendError(f"backend unreachable: {last}")
