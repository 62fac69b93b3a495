"""config/werkplaatsen.yml: loading, the checks at start-up, choosing a werkplaats by postcode."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from backend.app import create_app
from backend.services.menukaart import STUDENT_OFFERS, THEMES
from backend.services.provinces import PROVINCES, province_named
from backend.services.werkplaatsen import (
    Directory,
    Offer,
    Period,
    WerkplaatsConfigError,
    load_directory,
)
from backend.settings import ROOT
from tests.backend.conftest import make_settings

REAL_FILE = ROOT / "config" / "werkplaatsen.yml"

SMALL = """\
default: Het Loket
no_students:
  - {from: "07-01", to: "08-31", label: zomervakantie}
werkplaatsen:
  - name: Noord
    contact: noord@example.nl
    postcodes: ["10-21", "90-99"]
    neighbours: [Midden]
    themes: [online_marketing_sales, automatisering]
    offers: [kort_project, helpdeskuur]
  - name: Midden
    provinces: [utrecht]
    themes: [data, online_marketing_sales]
    offers:
      project_10_20_weken: {themes: [data], employees: {min: 2, max: 50}, urgency: [geen haast]}
      webinar_masterclass:
    no_students:
      - {from: 2027-02-06, to: 2027-02-14, label: carnaval}
"""


def write(tmp_path: Path, text: str, name: str = "werkplaatsen.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path) -> Directory:
    return load_directory(write(tmp_path, SMALL))


def test_loads_names_contacts_and_regions(small):
    assert small.default == "Het Loket"
    assert [(wp.name, wp.contact, wp.ranges) for wp in small.werkplaatsen] == [
        ("Noord", "noord@example.nl", ((10, 21), (90, 99))),
        ("Midden", "", ((34, 39),)),  # the province of Utrecht
    ]
    assert small.werkplaatsen[1].provinces == ("Utrecht",)
    assert small.names() == ["Noord", "Midden", "Het Loket"]


def test_loads_themes_offers_neighbours_and_periods(small):
    noord, midden = small.werkplaatsen
    assert noord.themes == ("online_marketing_sales", "automatisering")
    assert noord.neighbours == ("Midden",)
    assert noord.offers == (Offer("kort_project"), Offer("helpdeskuur"))
    assert midden.offers == (
        Offer("project_10_20_weken", ("data",), 2, 50, ("geen haast",)),
        Offer("webinar_masterclass"),
    )
    summer = Period("zomervakantie", yearly=((7, 1), (8, 31)))
    assert noord.no_students == (summer,)  # the shared periods apply to every werkplaats
    assert midden.no_students == (summer, Period("carnaval", date(2027, 2, 6), date(2027, 2, 14)))


def test_a_loket_given_by_name_takes_everything_and_offers_what_needs_no_students(small):
    loket = small.landelijk
    assert loket.name == "Het Loket" and loket.themes == THEMES
    assert [o.key for o in loket.offers] == ["webinar_masterclass", "helpdeskuur",
                                             "doorverwijzing"]
    assert loket.no_students == small.werkplaatsen[0].no_students[:1]


def test_the_loket_can_be_described_as_a_block(tmp_path):
    text = SMALL.replace("default: Het Loket", textwrap.dedent("""\
        default:
          name: Landelijk
          contact: loket@example.nl
          offers: [doorverwijzing]"""))
    directory = load_directory(write(tmp_path, text))
    assert directory.default == "Landelijk" == directory.landelijk.name
    assert directory.landelijk.contact == "loket@example.nl"
    assert [o.key for o in directory.landelijk.offers] == ["doorverwijzing"]
    assert directory.for_postcode("5000 AA") == "Landelijk"


def test_default_name_when_the_file_has_none(tmp_path):
    directory = load_directory(write(tmp_path, SMALL.replace("default: Het Loket\n", "")))
    assert directory.default
    assert directory.for_postcode("5000 AA") == directory.default not in ("Noord", "Midden")


@pytest.mark.parametrize(
    "postcode, expected",
    [
        ("1012 AB", "Noord"),
        ("1000AA", "Noord"),
        ("2199 ZZ", "Noord"),  # upper bound is inclusive
        ("9000 AA", "Noord"),  # second range
        ("3400 AA", "Midden"),  # lower bound of the province is inclusive
        ("3511 AB", "Midden"),
        ("  3511 AB", "Midden"),
        ("3999 ZZ", "Midden"),
        ("2200 AA", "Het Loket"),  # just outside
        ("4000 AA", "Het Loket"),
        ("0999 AA", "Het Loket"),
    ],
)
def test_for_postcode_uses_the_first_two_digits(small, postcode, expected):
    assert small.for_postcode(postcode) == expected


@pytest.mark.parametrize("postcode", [None, "", "   ", "3", "AB 3511", "onbekend", "x1012"])
def test_for_postcode_falls_back_to_the_default(small, postcode):
    assert small.for_postcode(postcode) == "Het Loket"
    assert small.werkplaats_for_postcode(postcode) is None


# --- the provinces ------------------------------------------------------------------------------


def test_the_provinces_cover_every_postcode_region_once():
    owners = [p for province, ranges in PROVINCES.items() for lo, hi in ranges
              for p in range(lo, hi + 1)]
    assert sorted(owners) == list(range(10, 100))
    assert len(PROVINCES) == 12


@pytest.mark.parametrize(("written", "province"), [
    ("Utrecht", "Utrecht"), ("noord-holland", "Noord-Holland"), ("Noord Holland", "Noord-Holland"),
    ("  zuid-holland ", "Zuid-Holland"), ("Fryslân", "Friesland"), ("brabant", "Noord-Brabant"),
    ("Holland", None), ("", None),
])
def test_province_names_as_staff_write_them(written, province):
    assert province_named(written) == province


# --- the real file ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Directory:
    return load_directory(REAL_FILE)


def test_the_real_file_loads_and_regions_do_not_overlap(real):
    assert len(real.werkplaatsen) == 11
    owners: dict[int, list[str]] = {}
    for wp in real.werkplaatsen:
        for lo, hi in wp.ranges:
            for prefix in range(lo, hi + 1):
                owners.setdefault(prefix, []).append(wp.name)
    assert {p: n for p, n in owners.items() if len(n) > 1} == {}
    # every valid Dutch postcode region (10-99) has a werkplaats
    assert sorted(owners) == list(range(10, 100))
    assert len(set(real.names())) == len(real.names())


def test_the_real_file_describes_each_werkplaats(real):
    for wp in real.werkplaatsen:
        assert wp.contact and wp.themes and wp.offers, wp.name
        assert wp.neighbours, f"{wp.name} has no neighbour to fall back on"
        assert "doorverwijzing" in {o.key for o in wp.offers}, wp.name
    limburg = next(wp for wp in real.werkplaatsen if "Limburg" in wp.name)
    assert "data" in limburg.themes and "online_marketing_sales" not in limburg.themes
    desks = [wp.name for wp in real.werkplaatsen
             if not {o.key for o in wp.offers} & STUDENT_OFFERS]
    assert desks, "some werkplaatsen are only a desk (loket)"
    assert real.landelijk.name == real.default and real.landelijk.themes == THEMES


@pytest.mark.parametrize(("day", "label"), [
    (date(2027, 7, 1), "zomervakantie"), (date(2027, 8, 31), "zomervakantie"),
    (date(2027, 1, 20), "tentamenweken"), (date(2027, 6, 20), "tentamenweken"),
    (date(2026, 12, 31), "kerstvakantie"), (date(2027, 1, 2), "kerstvakantie"),
])
def test_the_real_file_has_the_student_holidays(real, day, label):
    for wp in (*real.werkplaatsen, real.landelijk):
        assert label in {p.label for p in wp.no_students if p.span_containing(day)}, wp.name
    assert not any(p.span_containing(date(2027, 9, 15)) for p in real.landelijk.no_students)


# --- bad files ----------------------------------------------------------------------------------


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


def test_a_key_given_twice_is_not_silently_dropped(tmp_path):
    text = SMALL.replace("    offers: [kort_project, helpdeskuur]\n",
                         "    offers: [kort_project]\n    offers: [helpdeskuur]\n")
    with pytest.raises(WerkplaatsConfigError, match="'offers' appears twice") as info:
        load_directory(write(tmp_path, text))
    assert "line 11" in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["", "just a string\n", "werkplaatsen: Noord\n", "default: X\n", "- name: Noord\n"],
    ids=["empty", "string", "not a list", "no list", "top-level list"],
)
def test_needs_a_werkplaatsen_list(tmp_path, text):
    with pytest.raises(WerkplaatsConfigError, match="'werkplaatsen' list"):
        load_directory(write(tmp_path, text))


def test_an_empty_list_is_refused(tmp_path):
    with pytest.raises(WerkplaatsConfigError, match="at least one werkplaats"):
        load_directory(write(tmp_path, "werkplaatsen: []\n"))


def test_an_unknown_top_level_key(tmp_path):
    with pytest.raises(WerkplaatsConfigError) as info:
        load_directory(write(tmp_path, SMALL.replace("no_students:", "no_student:")))
    assert str(info.value).startswith("werkplaatsen.yml: top level, field 'no_student': unknown")
    assert "did you mean 'no_students'?" in str(info.value)


ZUID = """\
  - name: Zuid
    postcodes: ["50-59"]
    themes: [data]
    offers: [helpdeskuur]
"""

# (what to change in Zuid's block, the field the message names, a piece of the message)
BAD = {
    "unknown key": (("themes:", "thema:"), "thema", "did you mean 'themes'?"),
    "no themes": (('    themes: [data]\n', ''), "themes", "needs at least one theme"),
    "empty themes": (("[data]", "[]"), "themes", "needs at least one theme"),
    "unknown theme": (("[data]", "[data, marketing]"), "themes", "unknown theme 'marketing'"),
    "no offers": (("    offers: [helpdeskuur]\n", ""), "offers", "at least one offer"),
    "unknown offer": (("[helpdeskuur]", "[cursus]"), "offers", "unknown offer 'cursus'"),
    "offer twice": (("[helpdeskuur]", "[helpdeskuur, helpdeskuur]"), "offers", "listed twice"),
    "offers not a list": (("[helpdeskuur]", "helpdeskuur"), "offers", "must be a list"),
    "unknown offer option": (("[helpdeskuur]", "{helpdeskuur: {size: 5}}"),
                             "offers.helpdeskuur.size", "unknown key"),
    "offer theme not taken": (("[helpdeskuur]", "{helpdeskuur: {themes: [automatisering]}}"),
                              "offers.helpdeskuur.themes", "not one of this werkplaats's themes"),
    "min above max": (("[helpdeskuur]", "{helpdeskuur: {employees: {min: 10, max: 5}}}"),
                      "offers.helpdeskuur.employees", "min (10) is more than max (5)"),
    "negative size": (("[helpdeskuur]", "{helpdeskuur: {employees: {min: -1}}}"),
                      "offers.helpdeskuur.employees.min", "not a number of employees"),
    "size as text": (("[helpdeskuur]", "{helpdeskuur: {employees: {max: veel}}}"),
                     "offers.helpdeskuur.employees.max", "not a number of employees"),
    "size not a block": (("[helpdeskuur]", "{helpdeskuur: {employees: 5}}"),
                         "offers.helpdeskuur.employees", "{min: 2, max: 50}"),
    "unknown urgency": (("[helpdeskuur]", "{helpdeskuur: {urgency: [morgen]}}"),
                        "offers.helpdeskuur.urgency", "unknown urgency 'morgen'"),
    "unknown neighbour": (("themes:", "neighbours: [Midden, Noordd]\n    themes:"), "neighbours",
                          "'Noordd' is not a werkplaats in this file; did you mean 'Noord'?"),
    "own neighbour": (("themes:", "neighbours: [Zuid]\n    themes:"), "neighbours",
                      "its own neighbour"),
    "no region": (('    postcodes: ["50-59"]\n', ""), "postcodes", "needs 'postcodes' or"),
    "bad range": (('"50-59"', '"59-50"'), "postcodes", "postcode range '59-50'"),
    "range below 10": (('"50-59"', '"05-09"'), "postcodes", "start at 10"),
    "unknown province": (('postcodes: ["50-59"]', "provinces: [Holland]"), "provinces",
                         "unknown province 'Holland'"),
    "overlap with postcodes": (('"50-59"', '"21-22"'), "postcodes",
                               "postcode region 21 (postcodes) is also served by 'Noord'"),
    "overlap with a province": (('postcodes: ["50-59"]', "provinces: [Noord-Holland]"),
                                "provinces", "is also served by 'Noord'"),
    "province over postcodes": (('"50-59"', '"36-36"'), "postcodes",
                                "region 36 (postcodes) is also served by 'Midden' "
                                "(provinces (Utrecht))"),
    "name of the loket": (("name: Zuid", "name: Het Loket"), "name", "already used by the "
                          "landelijk loket"),
    "name twice": (("name: Zuid", "name: Noord"), "name", "already used by werkplaats #1"),
    "bad date": (("themes:", "no_students: [{from: 2027-02-30, to: 2027-03-05, label: x}]\n"
                  "    themes:"), "no_students #1.from", "'2027-02-30' is not a date"),
    "bad month-day": (("themes:", "no_students: [{from: '13-01', to: '12-31', label: x}]\n"
                       "    themes:"), "no_students #1.from", "not a date in the calendar"),
    "date as words": (("themes:", "no_students: [{from: 1 juli, to: '08-31', label: x}]\n"
                       "    themes:"), "no_students #1.from", "must be a date like"),
    "missing to": (("themes:", "no_students: [{from: '07-01', label: x}]\n    themes:"),
                   "no_students #1.to", "is missing"),
    "from after to": (("themes:", "no_students: [{from: 2027-03-05, to: 2027-03-01, label: x}]"
                       "\n    themes:"), "no_students #1", "is after 'to'"),
    "mixed kinds": (("themes:", "no_students: [{from: 2027-07-01, to: '08-31', label: x}]\n"
                     "    themes:"), "no_students #1", "must both be dates"),
    "no label": (("themes:", "no_students: [{from: '07-01', to: '08-31'}]\n    themes:"),
                 "no_students #1.label", "needs a label"),
    "period key": (("themes:", "no_students: [{from: '07-01', tot: '08-31', label: x}]\n"
                    "    themes:"), "no_students #1.tot", "unknown key"),
    "contact not text": (("themes:", "contact: [a, b]\n    themes:"), "contact", "must be text"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_werkplaats_is_refused_with_file_werkplaats_and_field(tmp_path, case):
    (old, new), field, fragment = BAD[case]
    assert old in ZUID
    name = "Het Loket" if case == "name of the loket" else "Noord" if case == "name twice" \
        else "Zuid"
    path = write(tmp_path, SMALL + ZUID.replace(old, new, 1))
    with pytest.raises(WerkplaatsConfigError) as info:
        load_directory(path)
    message = str(info.value)
    assert message.startswith(f"werkplaatsen.yml: werkplaats #3 '{name}', field '{field}': "), \
        message
    assert fragment in message
    assert "\n" not in message  # one clear line


def test_the_good_zuid_block_itself_loads(tmp_path):
    directory = load_directory(write(tmp_path, SMALL + ZUID))
    assert directory.for_postcode("5211 AB") == "Zuid"


@pytest.mark.parametrize(
    "entry",
    ["postcodes: ['10-21']\n    themes: [data]\n    offers: [helpdeskuur]",
     "name: ''\n    postcodes: ['10-21']\n    themes: [data]\n    offers: [helpdeskuur]",
     "name: 12\n    postcodes: ['10-21']\n    themes: [data]\n    offers: [helpdeskuur]"],
    ids=["no name", "empty name", "number"],
)
def test_needs_a_name(tmp_path, entry):
    path = write(tmp_path, f"werkplaatsen:\n  - {entry}\n")
    with pytest.raises(WerkplaatsConfigError, match=r"werkplaats #1, field 'name': needs a name"):
        load_directory(path)


def test_a_werkplaats_that_is_not_a_block(tmp_path):
    with pytest.raises(WerkplaatsConfigError, match="werkplaats #3 must be a block"):
        load_directory(write(tmp_path, SMALL + "  - Zuid\n"))


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
    assert "werkplaats #1 'Noord'" in message
    assert "postcode range" in message


def test_a_range_with_spaces_around_it_is_fine(tmp_path):
    directory = load_directory(write(tmp_path, SMALL.replace('"10-21"', '" 10-21 "')))
    assert directory.werkplaatsen[0].ranges == ((10, 21), (90, 99))


@pytest.mark.parametrize("default", ["[a, b]", "''", "{name: Loket, regio: x}",
                                     "{name: Loket, themes: []}"])
def test_a_bad_loket(tmp_path, default):
    with pytest.raises(WerkplaatsConfigError, match=r"default \(the landelijk loket\)"):
        load_directory(write(tmp_path, SMALL.replace("default: Het Loket", f"default: {default}")))


def test_a_bad_shared_period(tmp_path):
    with pytest.raises(WerkplaatsConfigError) as info:
        load_directory(write(tmp_path, SMALL.replace('"08-31"', '"08-32"')))
    assert str(info.value).startswith(
        "werkplaatsen.yml: top level, field 'no_students #1.to': '08-32' is not a date")


# --- start-up -----------------------------------------------------------------------------------


def test_the_backend_refuses_to_start_with_a_bad_file(tmp_path, migrated, fake_rasa):
    path = write(tmp_path, SMALL + ZUID.replace("[data]", "[data, marketing]"))
    with pytest.raises(WerkplaatsConfigError,
                       match=r"^werkplaatsen.yml: werkplaats #3 'Zuid', field 'themes': unknown "
                             r"theme 'marketing'"):
        create_app(make_settings(migrated, fake_rasa.url, werkplaatsen_file=path))


def test_the_backend_starts_with_the_real_file(migrated, fake_rasa):
    app = create_app(make_settings(migrated, fake_rasa.url, werkplaatsen_file=REAL_FILE))
    assert app.state.directory == load_directory(REAL_FILE)


def test_make_run_says_why_and_starts_nothing(tmp_path, monkeypatch, capsys):
    from backend import stack

    path = write(tmp_path, SMALL + ZUID.replace("    themes: [data]\n", ""))
    monkeypatch.setenv("WERKPLAATSEN_FILE", str(path))
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("INTAKE_ENV", "development")
    monkeypatch.setattr(stack.Stack, "start", lambda *a, **k: pytest.fail("started anyway"))
    assert stack.main() == 1
    assert capsys.readouterr().err.strip() == (
        "start-up failed: werkplaatsen.yml: werkplaats #3 'Zuid', field 'themes': needs at least "
        "one theme: online_marketing_sales, data, automatisering, overig")
