"""Dutch texts that the actions build (the fixed ones live in domain.yml responses)."""

from __future__ import annotations

import os

HELPDESK = "helpdesk@digitalewerkplaats.example of bel 085 - 000 00 00 (werkdagen 9 tot 17 uur)"


def privacy_url() -> str:
    return os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + "/privacy"


def greeting() -> str:
    return (
        "Hoi! Ik ben de digitale assistent van de Digitale Werkplaats, geen mens. Ik help je je "
        "vraag over digitaal ondernemen op een rij te zetten. Daarna helpen studenten je verder. "
        "Dat kost je ongeveer 5 minuten.\n"
        f"Wat je vertelt, gebruiken we alleen voor je aanvraag: {privacy_url()}\n"
        "Liever een mens? Typ 'medewerker'. Stoppen kan altijd: typ 'stop'."
    )


REFERRALS = {
    "zzp": (
        "Je werkt als zelfstandige, zonder personeel. De Digitale Werkplaats is er vooral voor "
        "bedrijven met 2 tot 50 mensen. Voor zzp'ers heeft KVK veel gratis hulp, webinars en "
        "checklists over online ondernemen: https://www.kvk.nl/"
    ),
    "large": (
        "Jullie zijn een groot bedrijf, met meer dan 250 mensen. De werkplaats helpt vooral kleine "
        "bedrijven. Voor grotere bedrijven is de regionale ontwikkelingsmaatschappij (ROM) een "
        "goede plek, of een lectoraat van een hogeschool: https://www.rom-nederland.nl/"
    ),
    "private": (
        "Je vraag gaat niet over een bedrijf. De werkplaats helpt alleen ondernemers. Voor hulp "
        "met je eigen computer, telefoon of DigiD kun je gratis terecht bij het Informatiepunt "
        "Digitale Overheid in de bibliotheek: https://www.bibliotheek.nl/"
    ),
}


# After the ticket (actions/next_steps.py): the menukaart's offers as the entrepreneur hears them.
OFFER_PHRASES = {
    "kort_project": "een kort project met studenten",
    "project_10_20_weken": "een project van 10 tot 20 weken met studenten",
    "hackathon": "een hackathon met studenten",
    "webinar_masterclass": "een webinar of masterclass",
    "helpdeskuur": "een vragenuur bij de helpdesk",
    "werkstudent": "een werkstudent",
    "doorverwijzing": "advies over wie je verder kan helpen",
}
# What you can do now instead of waiting for students ("Dan kun je ...").
ALTERNATIVE_PHRASES = {
    "webinar_masterclass": "meedoen aan een webinar",
    "helpdeskuur": "een helpdeskuur boeken",
    "doorverwijzing": "je laten doorverwijzen naar wie je nu kan helpen",
}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
