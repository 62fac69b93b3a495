"""backend.services.whatsapp_text: numbered options, splitting, media descriptions."""

from __future__ import annotations

import pytest

from backend.services import whatsapp_text as wt

OPTIONS = [{"title": "Zo snel mogelijk", "payload": "zo snel mogelijk"},
           {"title": "Binnen 3 maanden", "payload": "binnen 3 maanden"},
           {"title": "Geen haast", "payload": "geen haast"}]


def test_buttons_render_as_numbered_lines():
    text = wt.render("Hoe snel wil je ermee aan de slag?", OPTIONS)
    assert text == ("Hoe snel wil je ermee aan de slag?\n\n1. Zo snel mogelijk\n"
                    "2. Binnen 3 maanden\n3. Geen haast\n" + wt.OPTIONS_HINT)
    assert wt.render("Geen knoppen", []) == "Geen knoppen"


@pytest.mark.parametrize("typed, meant", [
    ("2", "binnen 3 maanden"), (" 3. ", "geen haast"), ("1)", "zo snel mogelijk"),
    ("optie 2", "binnen 3 maanden"), ("Geen haast!", "geen haast"),
    ("binnen 3 MAANDEN", "binnen 3 maanden"),
    ("4", "4"), ("0", "0"), ("12345678", "12345678"), ("volgend jaar", "volgend jaar"),
])
def test_a_number_or_the_words_pick_an_option(typed, meant):
    assert wt.resolve_option(typed, OPTIONS) == meant


def test_without_options_a_number_is_just_a_number():
    assert wt.resolve_option("6", []) == "6"


def test_long_texts_are_split_at_paragraphs_within_the_limit():
    text = "\n\n".join(f"Alinea {i}. " + "woord " * 60 for i in range(20))
    parts = wt.split(text, limit=500)
    assert all(len(p) <= 500 for p in parts) and len(parts) > 1
    assert all(p.startswith("Alinea") for p in parts)
    assert wt.split("kort") == ["kort"]


def test_emoji_count_double_towards_the_limit():
    parts = wt.split("😀" * 1000)
    assert [len(p) for p in parts] == [800, 200]


def test_a_text_without_spaces_is_still_split():
    assert [len(p) for p in wt.split("x" * 3500)] == [1600, 1600, 300]


@pytest.mark.parametrize("params, described", [
    ({"Body": "hallo"}, "hallo"),
    ({"Body": "", "NumMedia": "1", "MediaContentType0": "audio/ogg"}, wt.VOICE),
    ({"Body": "kijk", "NumMedia": "2", "MediaContentType0": "image/png"}, f"{wt.IMAGE} kijk"),
    ({"NumMedia": "1", "MediaContentType0": "video/mp4"}, wt.VIDEO),
    ({"NumMedia": "1", "MediaContentType0": "text/vcard"}, wt.CONTACT_CARD),
    ({"NumMedia": "1", "MediaContentType0": "application/pdf"}, wt.DOCUMENT),
    ({"Latitude": "52.1", "Longitude": "5.1", "Label": "Bakkerij"},
     f"{wt.LOCATION} 52.1,5.1 (Bakkerij)"),
    ({"Body": "  "}, wt.EMPTY),
    ({"Body": "x", "NumMedia": "veel"}, "x"),
])
def test_inbound_messages_are_described_for_the_transcript(params, described):
    assert wt.describe_inbound(params) == described


def test_every_marker_has_a_friendly_dutch_answer():
    for marker in (wt.VOICE, wt.IMAGE, wt.VIDEO, wt.DOCUMENT, wt.CONTACT_CARD, wt.LOCATION,
                   wt.EMPTY):
        assert wt.notice_for(marker + " iets")
    assert wt.notice_for("gewoon tekst") is None


@pytest.mark.parametrize("text, opener", [
    ("Hallo", True), ("hoi!", True), ("Goedemiddag", True), ("hallo daar 👋", True),
    ("Hoi, ik wil een webshop", False), ("ik heb een vraag", False), ("", False),
])
def test_an_opener_is_only_a_greeting(text, opener):
    assert wt.is_opener(text) is opener


def test_template_variables_are_one_short_line():
    assert wt.flatten("a\nb\t c") == "a b c"
    assert len(wt.flatten("x" * 400)) == 255
