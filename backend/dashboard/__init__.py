"""The helpdesk web dashboard (server-rendered Jinja2, a little JavaScript): staff sign in,
work the live hand-over queue, talk to entrepreneurs, and manage tickets."""

from backend.dashboard.routes import router

__all__ = ["router"]
