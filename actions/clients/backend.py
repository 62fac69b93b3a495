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
        headers = {"Authorization": f"Bearer {self.token}"}
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                async with aiohttp.ClientSession(timeout=self.timeout) as session:
                    async with session.post(f"{self.base_url}/api/v1/tickets", json=payload,
                                            headers=headers) as response:
                        if response.status in (200, 201):
                            return await response.json(content_type=None)
                        # an error body may be HTML from a proxy: read it as text, never retry 4xx
                        body = (await response.text(errors="replace"))[:500]
                        if response.status < 500:
                            raise BackendError(f"ticket refused ({response.status}): {body}")
                        last = BackendError(f"backend error {response.status}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                last = exc
            if attempt + 1 < self.attempts:
                await asyncio.sleep(0.3 * 2**attempt)
        raise BackendError(f"backend unreachable: {last}")
