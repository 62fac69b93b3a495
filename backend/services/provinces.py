"""The Dutch provinces by postcode region (the first two digits of the postcode).

A two-digit region sometimes straddles a provincial border (38xx is Amersfoort in Utrecht but
also Harderwijk in Gelderland). Each region is given to the province most of it lies in, so the
provinces never overlap and together cover every postcode (10-99). Where that is not precise
enough, a werkplaats lists postcode ranges instead (config/werkplaatsen.yml).
"""

from __future__ import annotations

PROVINCES: dict[str, tuple[tuple[int, int], ...]] = {
    "Groningen": ((95, 99),),
    "Friesland": ((84, 92),),
    "Drenthe": ((78, 79), (93, 94)),
    "Overijssel": ((74, 77), (80, 81)),
    "Flevoland": ((13, 13), (82, 83)),
    "Gelderland": ((40, 41), (65, 73)),
    "Utrecht": ((34, 39),),
    "Noord-Holland": ((10, 12), (14, 21)),
    "Zuid-Holland": ((22, 33), (42, 42)),
    "Zeeland": ((43, 45),),
    "Noord-Brabant": ((46, 57),),
    "Limburg": ((58, 64),),
}
# Spellings staff may use for the same province.
ALIASES = {"fryslân": "Friesland", "fryslan": "Friesland", "brabant": "Noord-Brabant"}


def province_named(name: str) -> str | None:
    """The canonical province name for what staff wrote ('utrecht', 'Noord Holland'), or None."""
    key = " ".join(str(name).replace("-", " ").split()).lower()
    for province in PROVINCES:
        if province.replace("-", " ").lower() == key:
            return province
    return ALIASES.get(key)
