"""The backend's only way to Rasa: its REST channel for turns, /model/parse for classification."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, starting, or timed out)."""


@dataclass
class BotMessage:
    text: str
    buttons: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"text": self.text, "buttons": self.buttons}


def _text(value: object) -> str:
    return "" if value is None else str(value)  # a null title/payload is not "None"


def _to_messages(payload: object) -> list[BotMessage]:
    messages: list[BotMessage] = []
    for item in payload if isinstance(payload, list) else []:
        if not isinstance(item, dict):
            continue
        text = str(item.get("text") or "")
        buttons = [
            {"title": _text(b.get("title")), "payload": _text(b.get("payload"))}
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        ]
        if text or buttons:
            messages.append(BotMessage(text, buttons))
    return messages


class RasaClient:
    def __init__(self, base_url: str, token: str = "", timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender: str, text: str,
                   metadata: dict | None = None) -> list[BotMessage]:
        """One turn. `metadata` (e.g. the channel and the contact's phone) reaches the actions
        as the user message's metadata (Rasa's REST channel passes it on)."""
        body: dict = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            response = await self._http.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            return _to_messages(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc

    async def requested_slot(self, sender: str, timeout: float | None = None) -> str | None:
        """The slot the bot's form asks for now (the tracker's requested_slot), or None. The
        phone line uses it to know which question the caller answers (Rasa's HTTP API)."""
        try:
            response = await self._http.get(
                f"{self.base_url}/conversations/{sender}/tracker",
                params={"token": self.token, "include_events": "NONE"},
                **({"timeout": timeout} if timeout else {}))
            response.raise_for_status()
            slots = response.json().get("slots") or {}
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc
        value = slots.get("requested_slot") if isinstance(slots, dict) else None
        return value if isinstance(value, str) and value else None

    async def parse(self, text: str) -> dict:
        try:
            response = await self._http.post(
                f"{self.base_url}/model/parse", params={"token": self.token}, json={"text": text}
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or type(exc).__name__) from exc

    async def healthy(self) -> bool:
        try:
            response = await self._http.get(f"{self.base_url}/status", params={"token": self.token})
            status = response.json() if response.status_code == 200 else {}
            return isinstance(status, dict) and bool(status.get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
