"""config/werkplaatsen.yml: loading, validation and choosing a werkplaats by postcode."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from backend.services.werkplaatsen import Directory, WerkplaatsConfigError, load_directory
from backend.settings import ROOT

REAL_FILE = ROOT / "config" / "werkplaatsen.yml"

SMALL = """\
default: Het Loket
werkplaatsen:
  - name: Noord
    contact: noord@example.nl
    postcodes: ["10-21", "90-99"]
  - name: Midden
    postcodes: ["34-41"]
"""


def write(tmp_path: Path, text: str, name: str = "werkplaatsen.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path) -> Directory:
    return load_directory(write(tmp_path, SMALL))


def test_loads_names_contacts_and_ranges(small):
    assert small.default == "Het Loket"
    assert [(wp.name, wp.contact, wp.ranges) for wp in small.werkplaatsen] == [
        ("Noord", "noord@example.nl", ((10, 21), (90, 99))),
        ("Midden", "", ((34, 41),)),
    ]
    assert small.names() == ["Noord", "Midden", "Het Loket"]


@pytest.mark.parametrize(
    "postcode, expected",
    [
        ("1012 AB", "Noord"),
        ("1000AA", "Noord"),
        ("2199 ZZ", "Noord"),  # upper bound is inclusive
        ("9000 AA", "Noord"),  # second range
        ("3400 AA", "Midden"),  # lower bound is inclusive
        ("3511 AB", "Midden"),
        ("  3511 AB", "Midden"),
        ("2200 AA", "Het Loket"),  # just outside
        ("4200 AA", "Het Loket"),
        ("0999 AA", "Het Loket"),
    ],
)
def test_for_postcode_uses_the_first_two_digits(small, postcode, expected):
    assert small.for_postcode(postcode) == expected


@pytest.mark.parametrize("postcode", [None, "", "   ", "3", "AB 3511", "onbekend", "x1012"])
def test_for_postcode_falls_back_to_the_default(small, postcode):
    assert small.for_postcode(postcode) == "Het Loket"


def test_default_name_when_the_file_has_none(tmp_path):
    directory = load_directory(write(tmp_path, """\
        werkplaatsen:
          - name: Noord
            postcodes: ["10-21"]
        """))
    assert directory.default
    assert directory.for_postcode("5000 AA") == directory.default != "Noord"


def test_the_real_file_loads_and_regions_do_not_overlap():
    directory = load_directory(REAL_FILE)
    assert directory.werkplaatsen
    owners: dict[int, list[str]] = {}
    for wp in directory.werkplaatsen:
        for lo, hi in wp.ranges:
            for prefix in range(lo, hi + 1):
                owners.setdefault(prefix, []).append(wp.name)
    assert {p: n for p, n in owners.items() if len(n) > 1} == {}
    # every valid Dutch postcode region (10-99) has a werkplaats
    assert sorted(owners) == list(range(10, 100))
    assert len(set(directory.names())) == len(directory.names())


def test_missing_file(tmp_path):
    with pytest.raises(WerkplaatsConfigError, match="not found"):
        load_directory(tmp_path / "nope.yml")


def test_a_directory_instead_of_a_file(tmp_path):
    with pytest.raises(WerkplaatsConfigError, match="werkplaatsen"):
        load_directory(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "werkplaatsen.yml"
    path.write_bytes(b"default: \xff\xfe\x00kapot\n")
    with pytest.raises(WerkplaatsConfigError, match="werkplaatsen"):
        load_directory(path)


def test_invalid_yaml(tmp_path):
    path = write(tmp_path, "werkplaatsen: [\n  - name: x\n    postcodes: ['10-21'\n")
    with pytest.raises(WerkplaatsConfigError, match="not valid YAML"):
        load_directory(path)


@pytest.mark.parametrize(
    "text",
    ["", "just a string\n", "werkplaatsen: Noord\n", "default: X\n", "- name: Noord\n"],
    ids=["empty", "string", "not a list", "no list", "top-level list"],
)
def test_needs_a_werkplaatsen_list(tmp_path, text):
    with pytest.raises(WerkplaatsConfigError, match="'werkplaatsen' list"):
        load_directory(write(tmp_path, text))


@pytest.mark.parametrize(
    "entry",
    [
        "postcodes: ['10-21']",
        "name: Noord",
        "name: ''\n    postcodes: ['10-21']",
        "name: Noord\n    postcodes: []",
    ],
    ids=["no name", "no postcodes", "empty name", "empty postcodes"],
)
def test_needs_name_and_postcodes(tmp_path, entry):
    good = "  - name: Goed\n    postcodes: ['10-21']\n"
    path = write(tmp_path, f"werkplaatsen:\n{good}  - {entry}\n")
    with pytest.raises(WerkplaatsConfigError, match=r"#2: needs 'name' and 'postcodes'"):
        load_directory(path)


def test_a_name_that_does_not_fit_the_ticket_column(tmp_path):
    path = write(tmp_path, f"werkplaatsen:\n  - name: {'W' * 121}\n    postcodes: ['10-21']\n")
    with pytest.raises(WerkplaatsConfigError, match="longer than 120"):
        load_directory(path)


@pytest.mark.parametrize("value", ["10-21", "1021", "{from: 10, to: 21}"])
def test_postcodes_must_be_a_list(tmp_path, value):
    path = write(tmp_path, f"werkplaatsen:\n  - name: Noord\n    postcodes: {value}\n")
    with pytest.raises(WerkplaatsConfigError, match="must be a list"):
        load_directory(path)


@pytest.mark.parametrize("bad", ["3-99", "50-10", "10-210", "10", "10_21", "aa-bb", "10 - 21 - 30"])
def test_malformed_ranges(tmp_path, bad):
    path = write(tmp_path, f"werkplaatsen:\n  - name: Noord\n    postcodes: ['10-21', '{bad}']\n")
    with pytest.raises(WerkplaatsConfigError) as info:
        load_directory(path)
    message = str(info.value)
    assert repr(bad) in message
    assert "werkplaats #1" in message
    assert "postcode range" in message


def test_a_range_with_spaces_around_it_is_fine(tmp_path):
    path = write(tmp_path, "werkplaatsen:\n  - name: Noord\n    postcodes: [' 10-21 ']\n")
    assert load_directory(path).werkplaatsen[0].ranges == ((10, 21),)
