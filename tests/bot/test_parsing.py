"""bot.parsing on input as entrepreneurs type it (WhatsApp style, typos) or say it (phone)."""

from __future__ import annotations

import pytest

from bot import parsing

# The question is "Met hoeveel mensen werken jullie, jijzelf meegeteld?", so the entrepreneur
# counts: "ik en 2 parttimers" is 3 people.
EMPLOYEES = [
    ("we zijn met z'n vijven", 5),
    ("Met zn vieren", 4),
    ("met z'n tweeën", 2),
    ("wij zijn met zijn drieën", 3),
    ("we zijn met ons tienen", 10),
    ("met z'n 6en", 6),
    ("12 man", 12),
    ("ongeveer 30 fte", 30),
    ("een stuk of 15", 15),
    ("15-20", 15),
    ("ruim 300 man", 300),
    ("we zijn met 8 mensen", 8),
    ("vijf medewerkers", 5),
    ("twee", 2),
    ("tien", 10),
    ("vijfentwintig", 25),
    ("honderdtwintig man", 120),
    ("een man of 5", 5),
    ("zzp'er", 1),
    ("Ik ben zzp", 1),
    ("eenmanszaak", 1),
    ("alleen ik", 1),
    ("ik werk alleen", 1),
    ("in m'n eentje", 1),
    ("1 man zaak", 1),
    ("drie man en ik", 4),
    ("7 man plus mij", 8),
    ("ik en 2 parttimers", 3),
    ("mezelf en 4 medewerkers", 5),
    ("ik met 2 collega's", 3),
    ("2 fte + ik", 3),
    ("2+ik", 3),
    ("het zijn er niet 12 maar 14", 14),
    ("we zijn niet met z'n vieren maar met z'n vijven", 5),
    ("we zijn met 5 man, niet veel maar wel goed", 5),
    ("Nou we zijn met z'n zessen hoor 😅", 6),
    ("geen idee", None),
    ("weet ik niet", None),
    ("veel", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), EMPLOYEES)
def test_parse_employees(text, expected):
    assert parsing.parse_employees(text) == expected


PHONES = [
    ("06-12345678", "+31612345678"),
    ("06 12345678", "+31612345678"),
    ("06 12 34 56 78", "+31612345678"),
    ("0612345678", "+31612345678"),
    ("bel me op 06.12.34.56.78", "+31612345678"),
    ("mijn nummer is 0612345678", "+31612345678"),
    ("+31 6 1234 5678", "+31612345678"),
    ("+31612345678", "+31612345678"),
    ("+31 (0)6 12345678", "+31612345678"),
    ("0031612345678", "+31612345678"),
    ("0031 (0)6 1234 5678", "+31612345678"),
    ("010 123 4567", "+31101234567"),
    ("(020) 123 45 67", "+31201234567"),
    ("+31(0)20-1234567", "+31201234567"),
    ("085 - 000 00 00", "+31850000000"),
    ("+32 470 12 34 56", "+32470123456"),
    ("12345", None),
    ("0612345", None),
    ("06-123456789", None),
    ("1234 AB", None),
    ("geen", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_parse_phone(text, expected):
    assert parsing.parse_phone(text) == expected


POSTCODES = [
    ("3511ab utrecht", ("3511 AB", "Utrecht")),
    ("3511 AB Utrecht.", ("3511 AB", "Utrecht")),
    ("postcode 6811 KA in Arnhem", ("6811 KA", "Arnhem")),
    ("postcode is 2511 CV Den Haag", ("2511 CV", "Den Haag")),
    ("we zitten op 1012 AB te Amsterdam", ("1012 AB", "Amsterdam")),
    ("we zitten in Den Bosch, 5211 AB", ("5211 AB", "Den Bosch")),
    ("Utrecht 3511ab", ("3511 AB", "Utrecht")),
    ("3511 ab bergen op zoom", ("3511 AB", "Bergen op Zoom")),
    ("9999 zz 's-Hertogenbosch", ("9999 ZZ", "'s-Hertogenbosch")),
    ("1234 AB", ("1234 AB", "")),
    ("1234-ab", ("1234 AB", "")),
    ("12345", None),
    ("0123 AB", None),
    ("1234 ABC", None),
    ("Utrecht", None),
]


@pytest.mark.parametrize(("text", "expected"), POSTCODES)
def test_parse_postcode(text, expected):
    assert parsing.parse_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Utrecht", "Utrecht"), ("in zwolle", "Zwolle"), ("we zitten in alphen aan den rijn",
                                                      "Alphen aan den Rijn"),
     ("gevestigd te Den Helder", "Den Helder"), ("1234", ""), ("", "")],
)
def test_clean_place(text, expected):
    assert parsing.clean_place(text) == expected


KVK = [
    ("12345678", "12345678"),
    ("1234 5678", "12345678"),
    ("kvk 12.34.56.78", "12345678"),
    ("mijn kvk is 87654321", "87654321"),
    ("nummer: 1234 5678 ", "12345678"),
    ("1234567", None),
    ("123456789", None),
    ("0612345678", None),
    ("weet ik niet", None),
]


@pytest.mark.parametrize(("text", "expected"), KVK)
def test_parse_kvk(text, expected):
    assert parsing.parse_kvk(text) == expected


EMAILS = [
    ("Jan@Bakkerij.NL", "jan@bakkerij.nl"),
    ("mijn mail is x@y.nl.", "x@y.nl"),
    ("mail: j.jansen@hotmail.com!", "j.jansen@hotmail.com"),
    ("<jan@x.nl>", "jan@x.nl"),
    ("jan@x.nl en mijn telefoon is 0612345678", "jan@x.nl"),
    ("jan.devries@gmail", None),
    ("jan punt de vries apenstaartje gmail punt com", None),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_parse_email(text, expected):
    assert parsing.parse_email(text) == expected


SPOKEN_EMAILS = [
    ("jan punt de vries apenstaartje gmail punt com", "jan.devries@gmail.com"),
    ("info at bakkerij punt nl", "info@bakkerij.nl"),
    ("minke at outlook dot com", "minke@outlook.com"),
    ("jan @ bakkerij.nl", "jan@bakkerij.nl"),
    ("piet-jan streepje smit apenstaartje ziggo punt nl", "piet-jan-smit@ziggo.nl"),
    # words that merely contain 'at', 'min' or 'punt' stay whole
    ("mathijs punt kater apenstaartje kpn punt nl", "mathijs.kater@kpn.nl"),
    ("admin apenstaartje bakkerij punt nl", "admin@bakkerij.nl"),
    ("jasmine apenstaartje hotmail punt com", "jasmine@hotmail.com"),
    # the way people start the sentence on the phone
    ("mijn mail is jan punt jansen apenstaartje gmail punt com", "jan.jansen@gmail.com"),
    ("Mijn e-mailadres is piet at ziggo punt nl", "piet@ziggo.nl"),
    ("e-mail: jan punt smit at kpn punt nl", "jan.smit@kpn.nl"),
    ("het is info apenstaartje kapsalon streepje anna punt nl", "info@kapsalon-anna.nl"),
    ("mail apenstaartje bakkerij punt nl", "mail@bakkerij.nl"),
]


@pytest.mark.parametrize(("text", "expected"), SPOKEN_EMAILS)
def test_spoken_email(text, expected):
    assert parsing.parse_email(parsing.spoken_email(text)) == expected


MATURITY = [
    ("een 6", 6),
    ("zes", 6),
    ("6/10", 6),
    ("5 / 10", 5),
    ("10/10", 10),
    ("7 van de 10", 7),
    ("7 op 10", 7),
    ("3 uit 10", 3),
    ("10", 10),
    ("tien", 10),
    ("een 10!", 10),
    ("1", 1),
    ("een dikke 8", 8),
    ("ik zou zeggen een zeven", 7),
    ("ik denk een 4 of 5", 4),
    ("6,5", 6),
    ("11", None),
    ("0", None),
    ("geen idee", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), MATURITY)
def test_parse_maturity(text, expected):
    assert parsing.parse_maturity(text) == expected


YES_NO = [
    ("ja", True), ("Ja!", True), ("jaa", True), ("jazeker", True), ("jawel", True),
    ("ja hoor 👍", True), ("Ja, dat mag", True), ("ja graag", True), ("yes!!", True),
    ("ok", True), ("Oké", True), ("prima", True), ("akkoord", True), ("klopt", True),
    ("klopt helemaal", True), ("ja klopt", True), ("ja klopt helemaal", True),
    ("ja, toch aanvragen", True),
    ("nee", False), ("Nee.", False), ("nee hoor", False), ("liever niet", False),
    ("nope", False), ("nah", False), ("niet akkoord", False), ("nee, het zijn er 12", False),
    ("klopt niet", False), ("dat klopt niet", False), ("klopt helemaal niet", False),
    ("misschien", None), ("neem contact op", None), ("jammer", None), ("", None),
]


@pytest.mark.parametrize(("text", "expected"), YES_NO)
def test_parse_yes_no(text, expected):
    assert parsing.parse_yes_no(text) is expected


DONT_KNOW = [
    ("weet ik niet", True), ("Weet ik niet hoor", True), ("ik weet het niet", True),
    ("ik weet t niet", True), ("weet niet", True), ("geen idee", True),
    ("ik heb geen idee", True), ("Geen flauw idee 🤷", True), ("idk", True), ("nvt", True),
    ("n.v.t.", True), ("onbekend", True), ("sla maar over", True), ("overslaan", True),
    ("moet ik opzoeken", True), ("heb ik niet bij de hand", True), ("weet ik veel", True),
    ("ik zou het niet weten", True), ("ik weet het niet precies", True),
    ("geen", False), ("ik heb geen kvk", False), ("dat weet ik wel: 12", False),
    ("we willen meer klanten", False),
]


@pytest.mark.parametrize(("text", "expected"), DONT_KNOW)
def test_is_dont_know(text, expected):
    assert parsing.is_dont_know(text) is expected


URGENCY = [
    ("zsm", "zo snel mogelijk"),
    ("zo snel mogelijk", "zo snel mogelijk"),
    ("Liefst gisteren haha", "zo snel mogelijk"),
    ("deze maand nog", "zo snel mogelijk"),
    ("eigenlijk meteen", "zo snel mogelijk"),
    ("spoed!", "zo snel mogelijk"),
    ("geen haast", "geen haast"),
    ("niet dringend", "geen haast"),
    ("het is niet zo dringend", "geen haast"),
    ("niet urgent", "geen haast"),
    ("geen spoed", "geen haast"),
    ("geen spoed, na de zomer", "geen haast"),
    ("volgend jaar", "geen haast"),
    ("maakt niet uit", "geen haast"),
    ("na de zomer", "binnen 3 maanden"),
    ("binnen een paar weken", "binnen 3 maanden"),
    ("in het voorjaar", "binnen 3 maanden"),
    ("binnen 3 maanden", "binnen 3 maanden"),
    ("als het kan voor kerst", "als het kan voor kerst"),
]


@pytest.mark.parametrize(("text", "expected"), URGENCY)
def test_parse_urgency(text, expected):
    assert parsing.parse_urgency(text) == expected


def test_parse_urgency_keeps_free_text_short():
    assert len(parsing.parse_urgency("x" * 500)) == 120


NUMBER_WORDS = [
    ("vijf", 5), ("Twaalf", 12), ("elf", 11), ("vijfentwintig", 25), ("eenentwintig", 21),
    ("tweeëndertig", 32), ("achtentachtig", 88), ("negenennegentig", 99), ("honderd", 100),
    ("honderdtwintig", 120), ("tweehonderd", 200), ("driehonderdvijftig", 350),
    ("duizend", 1000), ("banaan", None), ("", None),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_WORDS)
def test_words_to_number(text, expected):
    assert parsing.words_to_number(text) == expected


def test_numbers_in_mixes_digits_and_words_but_not_the_article():
    assert parsing.numbers_in("een bakkerij met drie winkels en 12,5 fte") == [3, 12]


NAMES = [
    ("Ik ben Jan", "Jan"),
    ("ik heet piet", "piet"),
    ("mijn naam is Fatima El Amrani.", "Fatima El Amrani"),
    ("Met Anneke", "Anneke"),
    ("dit is Sanne!", "Sanne"),
    ("  Mo  ", "Mo"),
    ("Bakkerij de Vries", "Bakkerij de Vries"),
    ('het bedrijf heet "Kapsalon Anna"', "Kapsalon Anna"),
    ("De bedrijfsnaam is Jansen Bouw BV", "Jansen Bouw BV"),
    ("ons bedrijf heet De Bakker", "De Bakker"),
    ("wij heten Van der Berg Transport", "Van der Berg Transport"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_clean_name(text, expected):
    assert parsing.clean_name(text) == expected
    assert parsing.looks_like_name(text)


@pytest.mark.parametrize("text", ["", "...", "12345", "jan@bakkerij.nl", "x" * 81])
def test_not_a_name(text):
    assert not parsing.looks_like_name(text)


def test_clean_name_is_capped():
    assert len(parsing.clean_name("a" * 500)) == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Hoi!!  ", "hoi"), ("Het’s   goed 👍", "het's goed"), ("JA.", "ja"), (None, "")],
)
def test_normalise(text, expected):
    assert parsing.normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Oké, dan is het goed.", True), ("okee", True), ("idd prima", True),
    ("eh nee liever niet", False), ("nou ja hoor", True), ("eh weet ik niet", None),
])
def test_yes_and_no_with_fillers_and_accents(text, expected):
    assert parsing.parse_yes_no(text) is expected
