"""The intake entities: the EntityRuler in the Dutch spaCy pipeline plus the normalisers, on
web, WhatsApp (no capitals, typos) and spoken (numbers in words) input, and on sentences where
a word only looks like an entity. None of these sentences is in tests/nlu/entities_held_out.yml."""

from __future__ import annotations

import re

import pytest

from bot import entities, entity_patterns, gazetteer, parsing, spacy_nl


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    """The pipeline as Rasa gets it: built, saved, and loaded back with plain spacy.load."""
    import spacy

    path = spacy_nl.build(tmp_path_factory.mktemp("spacy") / "spacy_nl")
    return spacy.load(path)


def found(nlp, text: str) -> dict[str, list]:
    return entities.values(entities.extract(nlp(text)))


def check(nlp, text: str, label: str, expected) -> None:
    values = found(nlp, text).get(label, [])
    if expected is None:
        assert values == [], f"{text!r}: no {label} expected, got {values}"
    else:
        assert values == [expected], f"{text!r}: {label} {expected!r} expected, got {values}"


def test_a_plain_spacy_load_gives_labelled_entities(nlp):
    assert "entity_ruler" in nlp.pipe_names
    doc = nlp("Bakkerij in Zwolle, bel 06-12345678")
    assert {(e.label_, e.text) for e in doc.ents} >= {("place", "Zwolle"),
                                                      ("phone", "06-12345678")}


EMAILS = [
    ("Mijn mailadres is Pieter.Jansen@Bakkerij-Jansen.nl.", "pieter.jansen@bakkerij-jansen.nl"),
    ("mail: sanne@kapsalonsanne.nl 👍", "sanne@kapsalonsanne.nl"),
    ("joost @ joostbouw.nl", "joost@joostbouw.nl"),
    ("INFO@GARAGEPLUS.NL", "info@garageplus.nl"),
    ("mijn mail is henk punt de boer apenstaartje hotmail punt com", "henk.deboer@hotmail.com"),
    ("eh info at fietsenjan punt nl", "info@fietsenjan.nl"),
    ("ik stuur je straks een mail", None),
    ("mijn mail doet het niet meer sinds gisteren", None),
    ("we zijn at home bezig", None),
]


@pytest.mark.parametrize(("text", "expected"), EMAILS)
def test_email(nlp, text, expected):
    check(nlp, text, "email", expected)


PHONES = [
    ("06-12345678", "+31612345678"),
    ("06 1234 5678", "+31612345678"),
    ("+31 6 12345678", "+31612345678"),
    ("0031612345678", "+31612345678"),
    ("020-1234567", "+31201234567"),
    ("010 123 45 67", "+31101234567"),
    ("bel me ff op 0687654321 na de lunch", "+31687654321"),
    ("Telefoon: (030) 123 45 67", "+31301234567"),
    ("nul zes een twee drie vier vijf zes zeven acht", "+31612345678"),
    ("nul tien twee drie vier vijf zes zeven acht", "+31102345678"),
    ("nul zes dertien vierentwintig vijfendertig zesenveertig", "+31613243546"),
    ("we hebben 12345 klanten", None),
    ("06-123456789", None),
    ("bel me om 10 uur", None),
    ("de code is nul zes", None),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone(nlp, text, expected):
    check(nlp, text, "phone", expected)


POSTCODES = [
    ("1234 AB", "1234 AB"),
    ("1234ab", "1234 AB"),
    ("1234-ab", "1234 AB"),
    ("ons adres: Havenweg 3, 3011 AA Rotterdam", "3011 AA"),
    ("postcode 6525 en", "6525 EN"),
    ("pc is 2513 ja", "2513 JA"),
    ("postcode negen zeven een een c d", "9711 CD"),
    ("in 2018 is alles veranderd", None),
    ("we hebben er 1500 en dat is veel", None),
    ("0123 AB", None),
    ("1234 SS", None),
]


@pytest.mark.parametrize(("text", "expected"), POSTCODES)
def test_postcode(nlp, text, expected):
    check(nlp, text, "postcode", expected)


PLACES = [
    ("We zitten in Den Haag", "Den Haag"),
    ("gevestigd in 's-Hertogenbosch", "'s-Hertogenbosch"),
    ("vlak bij het station van den bosch", "'s-Hertogenbosch"),
    ("onze winkel is in bergen op zoom", "Bergen op Zoom"),
    ("kom uit zwolle", "Zwolle"),
    ("we komen uit Best", "Best"),
    ("een zaak in Leiden", "Leiden"),
    ("wij zitten in Haren", "Haren"),
    ("bakkerij in rotterdm", "Rotterdam"),
    ("ik zit in Alphen a/d Rijn", "Alphen aan den Rijn"),
    ("3511 AB Utrecht", "Utrecht"),
    ("ik doe mijn best", None),
    ("Best wel lastig allemaal", None),
    ("echt heel vervelend", None),
    ("we leveren in heel Nederland", None),
    ("ik knip haren en baarden", None),
    ("Groeten, Anna de Vries", None),
    ("we kampen met personeelstekort", None),
    ("dat kan leiden tot fouten", None),
    ("ik zit in de buurt", None),
]


@pytest.mark.parametrize(("text", "expected"), PLACES)
def test_place(nlp, text, expected):
    check(nlp, text, "place", expected)


EMPLOYEES = [
    ("we zijn met z'n vijven", 5),
    ("12 man", 12),
    ("ongeveer 30 fte", 30),
    ("5 medewerkers", 5),
    ("met zijn tweeën", 2),
    ("ik en 3 collega's", 4),
    ("twintig personeel", 20),
    ("met z’n zessen", 6),
    ("we zijn met z'n twaalven", 12),
    ("alleen ik", 1),
    ("ik ben zzp'er", 1),
    ("4 man en ik", 5),
    ("we hebben 9 man in dienst", 9),
    ("wij hebben zeventien werknemers", 17),
    ("we zijn met 8", 8),
    ("we werken met 3 systemen", None),
    ("we hebben 200 klanten per week", None),
    ("ik werk alleen op maandag", None),
    ("we huren soms zzp'ers in", None),
    ("5 medewerkers en ik wil een webshop", 5),
]


@pytest.mark.parametrize(("text", "expected"), EMPLOYEES)
def test_employees(nlp, text, expected):
    check(nlp, text, "employees", expected)


def test_one_employee_count_per_message_the_most_explicit(nlp):
    text = "ik heb 2 vaste krachten, dus we zijn met z'n drieën"
    assert found(nlp, text)["employees"] == [3]


KVK = [
    ("kvk 12345678", "12345678"),
    ("KvK-nummer: 1234 5678", "12345678"),
    ("kvk: 12.34.56.78", "12345678"),
    ("ons kvk nummer is 01234567", "01234567"),
    ("mijn inschrijving bij de kvk: 87654321", "87654321"),
    ("kvk nummer een twee drie vier vijf zes zeven acht", "12345678"),
    ("87654321", "87654321"),
    ("0612345678", None),
    ("1234 AB", None),
    ("kvk 1234567", None),
    ("ordernummer 123456789", None),
]


@pytest.mark.parametrize(("text", "expected"), KVK)
def test_kvk(nlp, text, expected):
    check(nlp, text, "kvk", expected)


def test_a_phone_number_is_not_a_kvk_number(nlp):
    assert found(nlp, "kvk 12345678 en mobiel 0612345678") == {
        "kvk": ["12345678"], "phone": ["+31612345678"]}


SECTORS = [
    ("bakker", "bakkerij"),
    ("bakkerij", "bakkerij"),
    ("we hebben een bakkerij", "bakkerij"),
    ("kapper", "kapsalon"),
    ("ik heb een kapsalon", "kapsalon"),
    ("we zitten in de bouw", "bouw"),
    ("ik ben installateur", "installatietechniek"),
    ("een architectenbureau met 3 man", "architect"),
    ("ik werk in de zorg, thuiszorg", "zorg"),
    ("we hebben een eetcafé aan de markt", "horeca"),
    ("ik ben winkelier in het centrum", "detailhandel"),
    ("ons autobedrijf", "garage"),
    ("ik ben schilder", "schildersbedrijf"),
    ("hovenier hier", "hovenier"),
    ("ik ben boekhouder voor mkb", "administratiekantoor"),
    ("fysiotherapiepraktijk", "fysiotherapie"),
    ("we hebben een transportbedrijfje", "transport"),
    ("hoi, we hebben een kapsalom in het dorp", "kapsalon"),
    ("ik heb een webshop in fietsonderdelen", "webwinkel"),
    ("mijn boekhouder doet de administratie", None),
    ("we leveren vooral aan restaurants", None),
    ("de bouw van onze website duurt lang", None),
    ("ik zorg voor de planning", None),
    ("Groet, Jan de Bakker", None),
    ("ik wil een webshop beginnen", None),
    ("software voor tandartsen", None),
]


@pytest.mark.parametrize(("text", "expected"), SECTORS)
def test_sector(nlp, text, expected):
    check(nlp, text, "sector", expected)


def test_one_message_with_everything(nlp):
    text = ("hoi! we zijn een bakkerij in Utrecht met 6 man, mail me op anna@dekorst.nl of bel "
            "06 12 34 56 78. kvk 12345678, postcode 3512 jk")
    assert found(nlp, text) == {
        "sector": ["bakkerij"], "place": ["Utrecht"], "employees": [6],
        "email": ["anna@dekorst.nl"], "phone": ["+31612345678"], "kvk": ["12345678"],
        "postcode": ["3512 JK"]}


def test_as_rasa_keeps_offsets_and_normalised_values(nlp):
    text = "Kapper in Den Bosch"
    items = entities.as_rasa(entities.extract(nlp(text)))
    assert [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in items] == [
        ("sector", "kapsalon", "Kapper"), ("place", "'s-Hertogenbosch", "Den Bosch")]


# ------------------------------------------------------------------ lexicons and helpers
def test_the_place_list_covers_municipalities_and_levels():
    places = gazetteer.places()
    assert len({p.name for p in places.values()}) > 700
    assert places["den bosch"].name == "'s-Hertogenbosch"
    assert places["best"].level == "ambiguous" and places["haren"].level == "strict"
    assert places["amsterdam"].level == "normal"


def test_the_sector_lexicon_has_about_sixty_sectors_with_synonyms():
    forms = gazetteer.sector_forms()
    assert len(gazetteer.sectors()) >= 60
    assert forms["kapper"].sector == forms["kapsalon"].sector == "kapsalon"
    assert forms["bakkers"].plural and forms["bakker"].kind == "agent"
    assert forms["hoveniers bedrijf"].sector == "hovenier"  # compounds written apart


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("amsterdam", "amsterdm", True), ("utrecht", "utrehct", True), ("zwolle", "zwolle", True),
    ("bakkerij", "bakkerijen", False), ("almere", "almelo", False), ("kapsalon", "kapsalom", True),
])
def test_one_typo(a, b, expected):
    assert gazetteer.damerau_levenshtein_1(a, b) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("vijven", 5), ("tweeën", 2), ("zessen", 6), ("twaalven", 12), ("6en", 6), ("man", None),
])
def test_collective_number(word, expected):
    assert parsing.collective_number(word) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("de bilt", "De Bilt"), ("in het hogeland", "Het Hogeland"), ("Den Bosch", "Den Bosch"),
])
def test_clean_place_keeps_known_names_whole(text, expected):
    assert parsing.clean_place(text) == expected


def test_every_spoken_letter_name_has_a_letter():
    assert set(entity_patterns.LETTER_NAMES) <= set(entities.LETTERS)


def test_patterns_are_well_formed():
    items = entity_patterns.patterns()
    assert {p["label"] for p in items} == set(entities.LABELS)
    assert all(isinstance(p["pattern"], (str, list)) for p in items)


def test_the_saved_pipeline_is_rebuilt_when_the_sources_change(tmp_path, monkeypatch):
    path = tmp_path / "nl"
    path.mkdir()
    (path / "meta.json").write_text("{}")
    (path / spacy_nl.FINGERPRINT_FILE).write_text(spacy_nl.fingerprint())
    assert spacy_nl.is_current(path)
    monkeypatch.setattr(spacy_nl, "fingerprint", lambda root=spacy_nl.ROOT: "something else")
    assert not spacy_nl.is_current(path)


# ------------------------------------------------------------------ words that only look like it
LOOKALIKES = [
    # "te" + verb is an infinitive, not "gevestigd te ..."
    ("we willen een student in te zetten op de website", "place", None),
    ("hoe krijg ik dit beter te regelen", "place", None),  # not a typo for Tegelen
    ("gevestigd te Zetten", "place", "Zetten"),
    ("ons kantoor zit in Rotterdam-Zuid", "place", "Rotterdam"),
    # looking for one is not being one
    ("welke boekhouder hier in de stad is betaalbaar", "sector", None),
    ("dringend een elektricien nodig voor de zaak", "sector", None),
    ("sinds er een bakkerij tegenover zit verkopen we minder brood", "sector", None),
    ("wij zijn een reisbureau en de fotograaf levert de plaatjes", "sector", "reisbureau"),
    ("visser hier, ik wil mijn vangst online verkopen", "sector", "visserij"),
    ("ik bel namens een cateringbedrijf", "sector", "catering"),
    ("een praktijk voor ergotherapie", "sector", "zorg"),
    # a head count of the business, not of a party or a vacancy
    ("we organiseren een bedrijfsuitje met dertig mensen", "employees", None),
    ("2 chauffeurs gezocht!", "employees", None),
    ("we willen groeien naar 15 man", "employees", None),
    ("we zijn een kapsalon met vier mensen", "employees", 4),
    # e-mail written to dodge spam bots
    ("mail naar info(at)slagerijvos.nl", "email", "info@slagerijvos.nl"),
]


@pytest.mark.parametrize(("text", "label", "expected"), LOOKALIKES)
def test_context_decides(nlp, text, label, expected):
    check(nlp, text, label, expected)


def test_patterns_have_no_open_repetition():
    """An open '+' or '*' let a message of 2000 number words take minutes (the matcher proposed
    millions of spans); every repetition is bounded."""
    for item in entity_patterns.patterns():
        if isinstance(item["pattern"], list):
            assert all(token.get("OP") in (None, "?", "!") for token in item["pattern"]), item


def test_garbage_input_is_fast_and_finds_nothing_silly(nlp):
    import time

    started = time.perf_counter()
    for text in ["nul " * 2000, "jan " * 3000 + "at gmail punt com", "06 " * 3000, "\u0000😀" * 50]:
        values = found(nlp, text)
        assert all(len(str(v)) < 60 for vs in values.values() for v in vs)
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(("text", "expected"), [
    ("wij werken met 9 vaste medewerkers", 9),
    ("we zijn met 4 vaste krachten", 4),
    ("we werken met 2 systemen", None),
])
def test_a_longer_wrong_candidate_does_not_hide_the_count(nlp, text, expected):
    check(nlp, text, "employees", expected)


# ------------------------------------------------------------------ employees: any staff noun
STAFF_COUNTS = [
    ("8 beveiligers", 8),
    ("vijf dakdekkers", 5),
    ("12 vaste krachten", 12),
    ("we hebben 5 verpleegkundigen in dienst", 5),
    ("mijn zaak heeft 4 kapsters", 4),
    ("we hebben 4 slagers", 4),
    ("twee specialisten en drie assistentes", 5),
    ("3 monteurs en 2 mensen op kantoor", 5),
    ("we hebben 6 man in de bediening en 4 in de keuken", 10),
    ("we hebben 3 fysiotherapeuten en een secretaresse", 4),
    ("ons team: 3 kapsters, 1 barbier en ikzelf", 5),
    ("een team van zes", 6),
    ("een ploeg van 8 man", 8),
    ("ons team bestaat uit 7 mensen", 7),
    ("we zijn nu 7 mensen", 7),
    ("we zijn 2 eigenaren en 4 medewerkers", 6),
    ("ik heb 4 meiden in de salon", 4),
    ("bij ons werken 14 mensen", 14),
    ("we hebben 6 mensen", 6),
    ("we zijn met z'n tweetjes", 2),
    ("ik en drie medewerkers", 4),
    ("de salon draait op mij en 2 stylistes", 3),
    # stay precise: things, animals, rooms, branches, customers and vacancies are no staff
    ("we hebben 10 vrachtwagens en 6 chauffeurs", 6),
    ("we hebben 40 koeien en 3 medewerkers", 3),
    ("10 medewerkers, 6 fulltime en 4 parttime", 10),
    ("5 medewerkers en 3 stagiairs", 5),
    ("we hebben 3 vrachtwagens", None),
    ("we hebben 40 koeien", None),
    ("we hebben 20 hotelkamers", None),
    ("we hebben 3 vestigingen", None),
    ("het kost 25 euro per uur", None),
    ("we verwerken 300 orders per week", None),
    ("in 2019 zijn we begonnen", None),
    ("we hebben 1000 volgers op instagram", None),
    ("we leveren aan 30 bakkers in de regio", None),
    ("we werken voor 20 aannemers", None),
    ("we hebben 200 kappers als klant", None),
    ("we willen 3 monteurs aannemen", None),
    ("we hebben 3 monteurs tekort", None),
    ("ik heb 2 jongens", None),
    ("er zijn 5 mensen op de wachtlijst", None),
    ("de groep bestaat uit 12 mensen", None),
    ("we huren 3 zzp'ers in", None),
    ("we hebben 25 vrijwilligers", None),
    ("we hebben 30 leerlingen", None),
    ("we zijn 7 dagen per week open", None),
]


@pytest.mark.parametrize(("text", "expected"), STAFF_COUNTS)
def test_employees_with_any_staff_noun(nlp, text, expected):
    check(nlp, text, "employees", expected)


TEAM_BY_NAME = [
    ("mijn vrouw en ik", 2),
    ("mn broer en ik", 2),
    ("alleen mijn vrouw en ik", 2),
    ("ik en mijn compagnon", 2),
    ("ik en mijn twee zoons", 3),
    ("mijn compagnon, mijn zoon en ik", 3),
    ("het bedrijf bestaat uit mijn broer en mij", 2),
    ("mijn vrouw en ik werken in de zaak", 2),
    ("ik werk samen met mijn zoon", 2),
    ("mijn broer en ik en 3 monteurs", 5),
    # who owns the business says nothing about the staff; family life is no team
    ("mijn man en ik runnen een camping", None),
    ("mijn vrouw en ik hebben 2 kinderen", None),
]


@pytest.mark.parametrize(("text", "expected"), TEAM_BY_NAME)
def test_employees_named_team(nlp, text, expected):
    check(nlp, text, "employees", expected)


SOLO = [
    ("ik werk alleen", 1),
    ("op dit moment werk ik alleen", 1),
    ("ik heb een eenmanszaak", 1),
    ("ik doe alles zelf", 1),
    ("ik heb geen personeel meer", 1),
    ("in mijn uppie", 1),
    ("ik ben zzp'er zonder personeel", 1),
    ("we werken alleen met vaste klanten", None),
    ("ik werk alleen op afspraak", None),
    ("ik kan geen personeel vinden", None),
    ("we hebben geen personeel", None),
]


@pytest.mark.parametrize(("text", "expected"), SOLO)
def test_employees_working_alone(nlp, text, expected):
    check(nlp, text, "employees", expected)


@pytest.mark.parametrize(("word", "staff"), [
    ("beveiligers", True), ("dakdekkers", True), ("monteurs", True), ("masseuses", True),
    ("specialisten", True), ("verpleegkundigen", True), ("timmerlieden", True),
    ("tuinmannen", True), ("hoveniers", True), ("metselaars", True), ("technici", True),
    ("psychologen", True), ("elektriciens", True), ("tandartsen", True), ("verkopers", True),
    ("slagers", True), ("behangers", True), ("barbiers", True), ("gastouders", True),
    ("vrachtwagens", False), ("koeien", False), ("hotelkamers", False), ("computers", False),
    ("containers", False), ("opleggers", False), ("scooters", False), ("klanten", False),
    ("kopers", False), ("ouders", False), ("zzp'ers", False), ("stagiairs", False),
    ("vrijwilligers", False), ("deelnemers", False), ("friteuses", False), ("hamsters", False),
])
def test_plural_staff_nouns_are_recognised_by_their_ending(word, staff):
    assert bool(re.match(entity_patterns.STAFF_NOUN, word)) is staff


# ------------------------------------------------------------------ sector: what the business does
ACTIVITIES = [
    ("wij verkopen fietsen", "fietsenzaak"),
    ("wij verkopen en repareren e-bikes", "fietsenzaak"),
    ("fietsen verkopen we al dertig jaar", "fietsenzaak"),
    ("we bouwen apps", "ict"),
    ("ik bouw websites voor ondernemers", "ict"),
    ("ik knip haar", "kapsalon"),
    ("wij repareren auto's", "garage"),
    ("we maken meubels op maat", "meubelmakerij"),
    ("we bezorgen pakketten", "transport"),
    ("wij geven rijles", "rijschool"),
    ("ik geef pianoles", "onderwijs"),
    ("ik geef yogalessen", "sport"),
    ("wij leggen tuinen aan", "hovenier"),
    ("wij maken kantoren schoon", "schoonmaak"),
    ("we installeren warmtepompen", "installatietechniek"),
    ("we bakken brood en taarten", "bakkerij"),
    ("we kweken paprika's", "tuinbouw"),
    ("we houden melkkoeien", "agrarisch"),
    ("ik trim honden", "dierenverzorging"),
    ("we vangen kinderen op", "kinderopvang"),
    ("we doen de boekhouding voor zzp'ers", "administratiekantoor"),
    ("ons bedrijf verkoopt wijn", "slijterij"),
    ("we hebben een zaak waar we bloemen verkopen", "bloemist"),
    ("we zijn gespecialiseerd in zonnepanelen", "installatietechniek"),
    ("we verkopen kleding online", "webwinkel"),
    ("ik fotografeer bruiloften", "fotografie"),
    # someone else's work, a wish, a question, a change or our own things are not the sector
    ("mijn broer verkoopt fietsen", None),
    ("we willen fietsen gaan verkopen", None),
    ("verkopen jullie ook fietsen?", None),
    ("we verkopen geen fietsen meer", None),
    ("we maken onze website zelf", None),
    ("we helpen bedrijven die fietsen verkopen", None),
    ("ik werk bij een bedrijf dat fietsen verkoopt", None),
    ("de bakker op de hoek verkoopt lekker brood", None),
    ("ik doe de boekhouding zelf", None),
    ("ik hou van koeien", None),
    ("we bouwen aan onze toekomst", None),
]


@pytest.mark.parametrize(("text", "expected"), ACTIVITIES)
def test_sector_from_what_the_business_does(nlp, text, expected):
    check(nlp, text, "sector", expected)


def test_a_named_sector_wins_over_an_activity(nlp):
    assert found(nlp, "we hebben een restaurant en verkopen ook fietsen")["sector"] == ["horeca"]


SECTOR_OWNERS = [
    ("mijn broer heeft een garage", None),
    ("hij heeft een kapsalon in het dorp", None),
    ("mijn vader had vroeger een bakkerij", None),
    ("onze leverancier is een bakkerij", None),
    ("we werken samen met een garage", None),
    ("mijn broer en ik hebben een garage", "garage"),
    ("ik ben klusser", "bouw"),
    ("we hebben een broodjeszaak", "horeca"),
    ("ik ben developer", "ict"),
    ("ik heb een boetiek", "detailhandel"),
    ("we zijn 5 schilders", "schildersbedrijf"),
]


@pytest.mark.parametrize(("text", "expected"), SECTOR_OWNERS)
def test_sector_is_the_writers_own(nlp, text, expected):
    check(nlp, text, "sector", expected)


@pytest.mark.parametrize(("infinitive", "stem"), [
    ("verkopen", "verkoop"), ("maken", "maak"), ("knippen", "knip"), ("geven", "geef"),
    ("repareren", "repareer"), ("leveren", "lever"), ("verhuren", "verhuur"),
    ("ontwikkelen", "ontwikkel"), ("schilderen", "schilder"), ("bouwen", "bouw"),
    ("verhuizen", "verhuis"), ("doen", "doe"), ("distribueren", "distribueer"),
])
def test_verb_stems_for_the_activity_lexicon(infinitive, stem):
    assert gazetteer.verb_stem(infinitive) == stem


def test_every_activity_names_a_known_sector_and_objects():
    sectors = set(gazetteer.sectors())
    for activity in gazetteer.sector_activities():
        assert activity.sector in sectors
        assert activity.objects and all(o == o.lower() for o in activity.objects)


# ------------------------------------------------------------------ places: villages and surnames
VILLAGES = [
    ("we zitten in Ulvenhout", "Ulvenhout"),
    ("gevestigd in Hazerswoude-Dorp", "Hazerswoude-Dorp"),
    ("ons bedrijf zit in St. Willebrord", "Sint Willebrord"),
    ("kom uit lage zwaluwe", "Lage Zwaluwe"),
    ("ik woon in damwald", "Damwâld"),
    ("zaak in veenwouden", "Feanwâlden"),
    ("we zitten in Heel", "Heel"),
    ("een werkplaats in Putten Gelderland", "Putten"),
    ("we zitten in Houten", "Houten"),
    ("de heer Van Dijk uit Houten", "Houten"),
    # words that are also a village
    ("dat is heel fijn", None),
    ("het loon van mijn personeel is te hoog", None),
    ("ik heb een winkel in de binnenstad", None),
    ("in het noorden van het land", None),
    ("we zitten in de wijk", None),
    # surnames and company names are not places
    ("meneer van Rijswijk belde", None),
    ("Jan van Houten", None),
    ("jan van houten hier", None),
    ("familie van Oss", None),
    ("mevrouw Hoorn belde terug", None),
    ("dhr. van Beek", None),
    ("ik werk bij Linden Bouw", None),
]


@pytest.mark.parametrize(("text", "expected"), VILLAGES)
def test_villages_and_surnames(nlp, text, expected):
    check(nlp, text, "place", expected)


def test_the_place_list_has_the_woonplaatsen():
    places = gazetteer.places()
    assert len({p.name for p in places.values()}) > 2400
    assert places["ulvenhout"].level == "normal"
    assert places["heel"].level == "strict" and places["loon"].level == "strict"
    assert places["damwald"].name == "Damwâld"  # accents are optional
