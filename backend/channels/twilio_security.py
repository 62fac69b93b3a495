"""Twilio webhooks: check X-Twilio-Signature with the twilio library's RequestValidator against
the public URL Twilio called (PUBLIC_BASE_URL + path + query), never the internal address.
A FastAPI dependency; the WhatsApp webhook uses it, the voice channel can reuse it."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator

log = logging.getLogger("backend.channels")
SIGNATURE_HEADER = "X-Twilio-Signature"


def public_url(request: Request, base_url: str) -> str:
    """The URL Twilio signed: the configured public base, the path and query as requested."""
    query = request.url.query
    return base_url.rstrip("/") + request.url.path + (f"?{query}" if query else "")


def is_valid(token: str, url: str, params: ImmutableMultiDict, signature: str) -> bool:
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, params, signature)


async def twilio_form(request: Request) -> dict[str, str]:
    """The webhook's form parameters, once the signature proves Twilio sent them to this URL.
    Anything else is refused with 403 before the request has any effect."""
    settings = request.app.state.settings
    if not settings.twilio_auth_token:
        log.warning("Twilio webhook refused: TWILIO_AUTH_TOKEN is not set")
        raise HTTPException(403, "Twilio webhooks are not configured")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(403, "invalid Twilio signature") from None
    params = ImmutableMultiDict(pairs)
    url = public_url(request, settings.public_base_url)
    if not is_valid(settings.twilio_auth_token, url, params,
                    request.headers.get(SIGNATURE_HEADER, "")):
        raise HTTPException(403, "invalid Twilio signature")
    return dict(pairs)
