"""Request bodies of the JSON API (pydantic v2). Bad input -> 422 with a JSON body."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

Theme = Literal["online_marketing_sales", "data", "automatisering", "overig"]
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
POSTCODE = r"^[1-9]\d{3} ?[A-Z]{2}$"
PHONE = r"^\+?\d{9,15}$"


class MessageIn(BaseModel):
    text: StrictStr


class ClassifyIn(BaseModel):
    text: StrictStr = Field(max_length=5000)


class ThemeScore(BaseModel):
    theme: Theme
    confidence: float = Field(ge=0, le=1)


class CompanyIn(BaseModel):
    name: StrictStr = Field(min_length=1, max_length=200)
    sector: StrictStr = Field(default="", max_length=120)
    employees: int | None = Field(default=None, ge=0, le=10_000_000)
    postcode: StrictStr = Field(default="", max_length=10)
    place: StrictStr = Field(default="", max_length=120)
    kvk_number: str | None = Field(default=None, pattern=r"^\d{8}$")


class ContactIn(BaseModel):
    name: StrictStr = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL)
    phone: str | None = Field(default=None, pattern=PHONE)


class ConsentIn(BaseModel):
    privacy: StrictBool
    followup: StrictBool = False


class IntakeIn(BaseModel):
    source: str | None = Field(default=None, max_length=120)
    maturity: int | None = Field(default=None, ge=1, le=10)


class TicketIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: StrictStr = Field(min_length=1, max_length=40)
    question: StrictStr = Field(min_length=1, max_length=10_000)
    summary: StrictStr = Field(default="", max_length=20_000)
    theme: Theme
    themes: list[ThemeScore] = Field(min_length=1, max_length=4)
    company: CompanyIn
    contact: ContactIn
    consent: ConsentIn
    intake: IntakeIn = IntakeIn()
    details: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _rules(self) -> TicketIn:
        if not self.consent.privacy:
            raise ValueError("consent.privacy must be true: no ticket without consent")
        if not (self.contact.email or self.contact.phone):
            raise ValueError("contact needs an email or a phone number")
        if self.theme not in {t.theme for t in self.themes}:
            raise ValueError("theme must be one of themes")
        return self
