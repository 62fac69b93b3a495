"""bot.corrections: what the entrepreneur types when the summary is not right."""

from __future__ import annotations

import pytest

from bot import corrections

DETECT = [
    ("nee, het zijn er 12", {"employees": 12}),
    ("nee we zijn met 15 man", {"employees": 15}),
    ("we zijn met z'n achten", {"employees": 8}),
    ("eigenlijk zijn we met 3 fte en ik", {"employees": 4}),
    ("het zijn er geen 12 maar 14", {"employees": 14}),
    ("nee we zijn met 8", {"employees": 8}),
    ("nee we zijn niet met 6 maar met 8", {"employees": 8}),
    ("mijn mail is x@y.nl", {"contact_email": "x@y.nl"}),
    ("Nee mijn e-mail is Jan@Bakkerij.nl", {"contact_email": "jan@bakkerij.nl"}),
    ("de postcode is 1234 AB Amsterdam", {"postcode": "1234 AB", "place": "Amsterdam"}),
    ("het is 1234AB", {"postcode": "1234 AB"}),
    ("kvk is 12345678", {"kvk_number": "12345678"}),
    ("mijn kvk nummer is 1234 5678", {"kvk_number": "12345678"}),
    ("nee het is 06 12345678", {"contact_phone": "+31612345678"}),
    # the last 8 digits of a mobile number are no KvK-nummer
    ("het telefoonnummer moet 06-87654321 zijn", {"contact_phone": "+31687654321"}),
    ("het cijfer moet een 7 zijn", {"maturity": 7}),
    ("de bedrijfsnaam is Bakkerij Jansen", {"company_name": "Bakkerij Jansen"}),
    ("het bedrijf heet Jansen & Zn", {"company_name": "Jansen & Zn"}),
    ("de naam van ons bedrijf is Kapsalon Anna", {"company_name": "Kapsalon Anna"}),
    ("mijn naam is Piet de Vries", {"contact_name": "Piet de Vries"}),
    ("de branche is horeca", {"sector": "horeca"}),
    ("de sector is bouw", {"sector": "bouw"}),
    # naming a field that is wrong gives no value: ask what it should be
    ("nee", {}),
    ("ja", {}),
    ("klopt niet", {}),
    ("postcode klopt niet", {}),
    ("de branche klopt niet", {}),
    ("mijn naam is verkeerd gespeld", {}),
    ("de naam van het bedrijf klopt niet", {}),
    ("wijzig e-mail", {}),
    ("wijzig aantal medewerkers", {}),
    ("wijzig bedrijfsnaam", {}),
    ("wijzig jouw naam", {}),
    ("wijzig cijfer digitaal", {}),
]


@pytest.mark.parametrize(("text", "expected"), DETECT)
def test_detect(text, expected):
    assert corrections.detect(text) == expected


FIELD_FOR = [
    ("wijzig e-mail", "contact_email"),
    ("Wijzig E-mail", "contact_email"),
    ("wijzig bedrijfsnaam", "company_name"),
    ("wijzig branche", "sector"),
    ("wijzig aantal medewerkers", "employees"),
    ("wijzig postcode en plaats", "postcode"),
    ("wijzig kvk-nummer", "kvk_number"),
    ("wijzig jouw naam", "contact_name"),
    ("wijzig telefoon", "contact_phone"),
    ("wijzig je vraag", "need_description"),
    ("wijzig hoe je ons kent", "source"),
    ("wijzig cijfer digitaal", "maturity"),
    ("mail", "contact_email"),
    ("het telefoonnummer", "contact_phone"),
    ("mijn mobiele nummer klopt niet", "contact_phone"),
    ("de postcode", "postcode"),
    ("het adres klopt niet", "postcode"),
    ("de plaats klopt niet", "postcode"),
    ("mijn naam", "contact_name"),
    ("het aantal mensen", "employees"),
    ("de vraag", "need_description"),
    ("de naam van het bedrijf klopt niet", "company_name"),
    # 'adres' inside 'e-mailadres' is the e-mail, not the address
    ("nee, het e-mailadres klopt niet", "contact_email"),
    ("mijn mailadres is fout", "contact_email"),
    ("nee", None),
    ("iets anders", None),
]


@pytest.mark.parametrize(("text", "expected"), FIELD_FOR)
def test_field_for(text, expected):
    assert corrections.field_for(text) == expected


@pytest.mark.parametrize("slot", list(corrections.FIELDS))
def test_every_button_payload_points_to_its_field(slot):
    label = corrections.FIELDS[slot][0]
    assert corrections.field_for(f"wijzig {label}") == slot
    assert corrections.detect(f"wijzig {label}") == {}


def test_a_postcode_correction_takes_a_place_only_when_it_is_a_known_place():
    assert corrections.detect("Oeps, de postcode is 3441 BK.") == {"postcode": "3441 BK"}
    assert corrections.detect("nee het is 3511 AB Utrecht") == {"postcode": "3511 AB",
                                                                "place": "Utrecht"}
