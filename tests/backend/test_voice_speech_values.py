"""What a caller says, as a value (backend/services/speech_values.py): e-mail addresses and
postcodes from Dutch speech, spelled back for the ear, yes/no, choices and keyed digits."""

from __future__ import annotations

import pytest

from backend.services import speech_values as sv


@pytest.mark.parametrize("said, email", [
    ("anna apenstaartje bakkerij de korst punt n l", "anna@bakkerijdekorst.nl"),
    ("anna at bakkerijdekorst punt nl", "anna@bakkerijdekorst.nl"),
    ("Anna@BakkerijDeKorst.nl.", "anna@bakkerijdekorst.nl"),
    ("mijn e-mailadres is jan punt de vries apenstaartje gmail punt com",
     "jan.devries@gmail.com"),
    ("het is info apestaartje kapsalon-lisa punt nl", "info@kapsalon-lisa.nl"),
    ("jan at gmail com", "jan@gmail.com"),  # no 'punt' heard before a top-level domain
    ("j a n streepje p i e t apenstaartje ziggo punt nl", "jan-piet@ziggo.nl"),
    ("piet laag streepje bouw at outlook punt com", "piet_bouw@outlook.com"),
    ("e-mail sanne 2 at hotmail punt com", "sanne2@hotmail.com"),
    ("nee, het is piet at bakker punt nl", "piet@bakker.nl"),
])
def test_an_email_address_from_speech(said, email):
    assert sv.email_from_speech(said) == email


@pytest.mark.parametrize("said", [
    "geen", "weet ik niet", "anna bakkerij punt nl", "anna at at bakkerij punt nl",
    "anna apenstaartje bakkerij", "apenstaartje gmail punt com", "anna at gmail punt punt com",
    "", "anna at gmail punt c",
])
def test_what_is_not_an_email_address_stays_none(said):
    assert sv.email_from_speech(said) is None


def test_an_email_address_spelled_for_the_ear():
    assert sv.spell_email("anna@bakkerijdekorst.nl") == (
        "a, n, n, a, apenstaartje, b, a, k, k, e, r, i, j, d, e, k, o, r, s, t, punt n l")
    assert sv.spell_email("jan.de-vries_2@gmail.com") == (
        "j, a, n, punt, d, e, streepje, v, r, i, e, s, laag streepje, 2, apenstaartje, gmail, "
        "punt com")
    assert sv.spell_email("p@mail.bakker.nl") == "p, apenstaartje, m, a, i, l, punt, b, a, k, " \
                                                  "k, e, r, punt n l"


@pytest.mark.parametrize("said, postcode, place", [
    ("3 5 1 1 a b", "3511 AB", ""),
    ("3511 AB Utrecht", "3511 AB", "Utrecht"),
    ("postcode is 3511ab in Utrecht", "3511 AB", "Utrecht"),
    ("drie vijf elf a b", "3511 AB", ""),
    ("vijfendertig elf bee ka", "3511 BK", ""),
    ("3 5 1 1 a van anton b van bernard", "3511 AB", ""),
    ("9712 ka el Groningen", "9712 KL", "Groningen"),
    ("5211 e en 's-Hertogenbosch", "5211 EN", "'s-Hertogenbosch"),
])
def test_a_postcode_from_speech(said, postcode, place):
    assert sv.postcode_from_speech(said) == (postcode, place)


@pytest.mark.parametrize("said", ["3511", "0123 ab", "ik zit in Utrecht", "35 a b",
                                  "3 5 1 1 1 2 a", ""])
def test_what_is_not_a_postcode_stays_none(said):
    assert sv.postcode_from_speech(said) is None


def test_a_postcode_spelled_for_the_ear():
    assert sv.spell_postcode("3511 AB", "Utrecht") == "3, 5, 1, 1, A, B, in Utrecht"
    assert sv.spell_postcode("3511 AB") == "3, 5, 1, 1, A, B"


@pytest.mark.parametrize("said, letters", [
    ("a b", "AB"), ("AB", "AB"), ("bee ka", "BK"), ("de letters zijn x z", "XZ"),
    ("eh a b", "AB"), ("a", None), ("abc", None), ("a b c", None), ("eh", None), ("", None),
])
def test_the_letters_of_a_postcode(said, letters):
    assert sv.postcode_letters(said) == letters


def test_keyed_digits():
    assert sv.keyed("3511#") == "3511" and sv.keyed("*12#") == "12" and sv.keyed("") == ""
    assert sv.keyed_postcode_digits("3511") == "3511"
    assert [sv.keyed_postcode_digits(d) for d in ("351", "35110", "0351", "")] == [None] * 4


@pytest.mark.parametrize("said, meaning", [
    ("ja", True), ("Ja, klopt.", True), ("1", True), ("één", True), ("klopt", True),
    ("nee", False), ("nee hoor", False), ("2", False), ("twee", False), ("klopt niet", False),
    ("misschien", None), ("3", None), ("", None),
])
def test_yes_or_no(said, meaning):
    assert sv.yes_no(said) is meaning


@pytest.mark.parametrize("said, chosen", [
    ("1", 1), ("een", 1), ("optie 1", 1), ("whatsapp graag", 1), ("via WhatsApp", 1),
    ("2", 2), ("twee", 2), ("bel me maar terug", 2), ("terugbellen", 2),
    ("3", None), ("ja", None), ("", None), ("geen idee", None),
])
def test_a_choice_by_number_or_words(said, chosen):
    assert sv.choice(said, 2) == chosen


@pytest.mark.parametrize("said, person", [
    ("medewerker", True), ("Ik wil een medewerker spreken", True), ("mag ik een mens", True),
    ("ja", False), ("anna at gmail punt com", False), ("", False), ("mensen", False),
])
def test_asking_for_a_person(said, person):
    assert sv.asks_for_person(said) is person
