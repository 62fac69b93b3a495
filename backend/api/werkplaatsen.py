"""The werkplaatsen and their menukaart as configured (config/werkplaatsen.yml), for staff."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from backend.api.deps import require_staff
from backend.services.menukaart import OFFER_LABELS, STUDENT_OFFERS, THEMES, URGENCIES
from backend.services.routing import availability
from backend.services.tickets import dutch_today
from backend.services.werkplaatsen import Werkplaats

router = APIRouter(prefix="/api/v1", tags=["werkplaatsen"])


def _with_availability(werkplaats: Werkplaats, today) -> dict:
    when = availability(werkplaats, today)
    return {
        **werkplaats.as_dict(),
        "students_available": when.students_available,
        "available_from": when.available_from.isoformat() if when.available_from else None,
        "no_students_now": list(when.labels),
    }


@router.get("/werkplaatsen", dependencies=[Depends(require_staff)])
def list_werkplaatsen(request: Request) -> dict:
    directory, today = request.app.state.directory, dutch_today()
    return {
        "file": request.app.state.settings.werkplaatsen_file.name,
        "today": today.isoformat(),
        "themes": list(THEMES),
        "offers": [{"offer": key, "label": label, "needs_students": key in STUDENT_OFFERS}
                   for key, label in OFFER_LABELS.items()],
        "urgencies": list(URGENCIES),
        "landelijk": _with_availability(directory.landelijk, today),
        "werkplaatsen": [_with_availability(wp, today) for wp in directory.werkplaatsen],
    }
