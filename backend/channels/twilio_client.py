"""Twilio's Messages API: POST {api}/2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP
basic auth (account SID, auth token). TWILIO_API_URL points it elsewhere (tests, proxies)."""

from __future__ import annotations

import json

import httpx


class TwilioError(RuntimeError):
    """Twilio did not accept the message. `retryable`: worth another try later (429, 5xx,
    network); otherwise Twilio refused it (4xx) and trying again will not help."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable, self.status = retryable, status


def _describe(response: httpx.Response) -> str:
    """Twilio's error body: {code, message, more_info, status}."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("message"):
        code = f" {body['code']}" if body.get("code") else ""
        return f"Twilio{code}: {body['message']} (HTTP {response.status_code})"
    return f"Twilio answered HTTP {response.status_code}: {response.text[:200]}"


class TwilioMessages:
    def __init__(self, *, account_sid: str, auth_token: str, api_url: str,
                 timeout: float = 15.0) -> None:
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._http = httpx.AsyncClient(timeout=timeout, auth=(account_sid, auth_token))

    async def close(self) -> None:
        await self._http.aclose()

    async def create(self, *, to: str, from_: str, body: str | None = None,
                     content_sid: str | None = None,
                     content_variables: dict | None = None,
                     status_callback: str | None = None) -> str:
        """Send one message (text, or a template by ContentSid); returns the message SID."""
        data = {"To": to, "From": from_}
        if status_callback:
            data["StatusCallback"] = status_callback
        if content_sid:
            data["ContentSid"] = content_sid
            if content_variables:
                data["ContentVariables"] = json.dumps(content_variables, ensure_ascii=False)
        else:
            data["Body"] = body or ""
        try:
            response = await self._http.post(self.url, data=data)
        except httpx.HTTPError as exc:
            raise TwilioError(f"Twilio not reachable: {exc or type(exc).__name__}",
                              retryable=True) from exc
        if response.status_code in (200, 201):
            try:
                return str(response.json().get("sid") or "")
            except (ValueError, AttributeError):
                return ""
        retryable = response.status_code == 429 or response.status_code >= 500
        raise TwilioError(_describe(response), retryable=retryable, status=response.status_code)
