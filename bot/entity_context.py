"""Context rules for the entities: whether a candidate span really is one, judged by the words
around it. Used by bot/entities.py; works on spaCy tokens but imports nothing from spaCy."""

from __future__ import annotations

import re

from bot import gazetteer

FILLERS = {"eh", "ehm", "uh", "uhm", "nou", "dus", "ehh", "hmm"}
GREETINGS = FILLERS | {"hoi", "hallo", "hey", "hee", "hi", "ja", "nee", "oke", "ok", "oké", "dag",
                       "goedemorgen", "goedemiddag", "goedenavond", "beste", "hoihoi", "yo"}
CLAUSE_BREAKS = {".", "!", "?", ";", ",", ":", "\n", "(", ")", "-", "–"}
SENTENCE_BREAKS = {".", "!", "?", ";", ":", "\n"}
PLACE_PREPS = {"in", "uit", "te", "vanuit", "bij", "nabij", "rond", "rondom", "omgeving", "regio",
               "naar", "richting", "vlakbij", "dichtbij", "gemeente", "tussen", "buiten",
               "centrum", "omstreken", "buurt"}
PARTICLES = {"de", "van", "der", "den", "ter", "ten", "vd", "v.d."}
LIST_JOINS = {"en", ",", "of", "&", "/", "+"}
# Sector context: whose business is it?
OTHER = {"aan", "voor", "zoals", "andere", "anderen", "concurrent", "concurrenten", "klant",
         "klanten", "afnemers", "doelgroep", "bij", "via", "naar", "met", "leverancier",
         "leveranciers", "collega's", "collega", "veel", "alle"}
POSSESSIVE = {"mijn", "m'n", "mn", "onze", "ons", "eigen", "me", "m’n"}
SELF = {"ben", "bent", "zijn", "als", "zzp'er", "zzper", "zzp", "zelfstandig", "zelfstandige",
        "was", "werk", "eigenaar"}
OWN_VERBS = {"heb", "hebben", "run", "runnen", "ben", "zijn", "bent", "heeft", "hebt"}
# "... een bakkerij" is the writer's own only after words like these ("we hebben een ...").
OWN_MARKERS = OWN_VERBS | {"is", "eigenaar", "namens", "om", "open", "openen", "geopend",
                           "begin", "beginnen", "begonnen", "start", "starten", "gestart",
                           "overgenomen", "overnemen", "werk", "werken", "als", "runt"}
# Looking for one, not being one: "welke kapper", "zoek een garage", "3 koks gezocht".
SEEKING = {"zoek", "zoeken", "zoekt", "gezocht", "nodig", "boek", "boeken", "welke", "welk",
           "waar", "vind", "vinden", "goeie", "goede", "goedkope", "iemand"}
SEEKING_AFTER = {"nodig", "gezocht", "zoekt", "zoeken", "gevraagd"}
HIRING = {"zoek", "zoeken", "zoekt", "gezocht", "nodig", "vacature", "vacatures", "gevraagd"}
ARTICLES = {"een", "n", "'n", "één"}
DEFINITE = {"de", "het", "die", "deze", "dat"}
ADJECTIVES = {"klein", "kleine", "eigen", "grote", "groot", "lokale", "lokaal", "nieuwe", "nieuw",
              "familie", "echte", "zelfstandig", "zelfstandige", "ambachtelijke", "ambachtelijk"}
NUMBER_WORDS = {"twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
                "meerdere", "paar", "enkele"}
# Employees
COLLECTIVE_LEAD = {"met", "we", "wij", "ons"}
SOLO_WORDS = {"zzp'er", "zzper", "zzp", "zzp’er", "eenmanszaak", "eenpitter"}
SOLO_NOT_BEFORE = {"op", "maar", "met", "aan", "in", "de", "het", "'s", "voor", "als", "om", "bij",
                   "nog", "wat", "s", "thuis", "die", "dat", "ook"}
BARE_COUNT_AFTER = {"en", "dus", "nu", "man", "hier", "op", "bij", "personen", "hoor", "ongeveer",
                    "totaal", "in", "inclusief", "incl", "zo", "ofzo", "of"}
SELF_TAIL = re.compile(
    r"^\s*(?:in (?:loon)?dienst\s*)?,?\s*(?:en|plus|\+|met)\s*(?:ik|mij|mezelf|ikzelf)(?:zelf)?"
    r"(?=\s*(?:$|[.,!?;)]|erbij|zelf|meegeteld|inclusief|dus|hoor))", re.I)


def _words_before(span, limit: int = 6, breaks=CLAUSE_BREAKS) -> list[str]:
    """Lower-cased words before the span in the same clause, nearest last."""
    out = []
    for token in reversed(span.doc[max(0, span.start - limit):span.start]):
        if token.text in breaks or token.text.strip() == "":
            break
        out.insert(0, token.lower_)
    return out


def _prev(span, skip=FILLERS):
    """The token before the span, skipping fillers ('in eh Alphen'), or None."""
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in skip:
        i -= 1
    return span.doc[i] if i >= 0 else None


def sentence_start(span) -> bool:
    prev = _prev(span, skip=set())
    return prev is None or prev.text in SENTENCE_BREAKS or prev.text.strip() == ""


def _in_ent(token, label: str) -> bool:
    return token is not None and token.ent_type_ == label


# --------------------------------------------------------------------------- place
def _surname_like(span) -> bool:
    """'Anna de Vries', 'Jan van Beek', 'Peter Hoorn': part of a person's name."""
    prev = _prev(span, skip=set())
    if prev is None:
        return False
    before = span.doc[prev.i - 1] if prev.i > 0 else None
    if prev.lower_ in PARTICLES and before is not None and before.text[:1].isupper() \
            and before.lower_ not in PLACE_PREPS:
        return True
    return False


def place_value(span) -> str | None:
    place = gazetteer.places().get(gazetteer.key(span.text))
    if place is None:
        return None
    if _surname_like(span):
        return None
    if place.level == "normal":
        return place.name
    prev = _prev(span)
    capital = span.text[:1].isupper()
    prep = prev is not None and (prev.lower_ in PLACE_PREPS or _in_ent(prev, "postcode"))
    if prep and prev.lower_ == "te" and not capital:
        prep = False  # "om het personeel beter in te zetten"
    listed = prev is not None and prev.lower_ in LIST_JOINS and prev.i > 0 and _in_ent(
        span.doc[prev.i - 1], "place")
    name_before = prev is not None and prev.text[:1].isupper() and not prep and not listed
    if place.level == "ambiguous":
        ok = prep or listed or (capital and not sentence_start(span) and not name_before)
    else:
        ok = (prep or listed) and capital
    return place.name if ok else None


# --------------------------------------------------------------------------- sector
def _after(span, n: int = 2) -> list[str]:
    """Lower-cased words after the span in the same clause."""
    out = []
    for token in span.doc[span.end:span.end + n]:
        if token.text in CLAUSE_BREAKS:
            break
        out.append(token.lower_)
    return out


def _agent_is_own(span, before: list[str], plural: bool) -> bool:
    if span.text[:1].isupper() and _surname_like_agent(span):
        return False
    if any(w in OTHER or w in SEEKING for w in before) or set(_after(span)) & SEEKING_AFTER:
        return False
    last = before[-3:]
    if any((w in POSSESSIVE and w != "eigen") or w in DEFINITE for w in last):
        return False  # "mijn boekhouder", "de fotograaf"
    if plural:
        return "zijn" in last
    if last and last[-1] in ARTICLES and not any(w in SELF for w in last):
        return False  # "we hebben een boekhouder"
    opening = all(w in GREETINGS for w in before)
    return opening or any(w in SELF for w in last) or _self_after(span)


def _self_after(span) -> bool:
    """'slager hier', 'timmerman van beroep': the words after say it is the writer."""
    after = [t.lower_ for t in span.doc[span.end:span.end + 2]]
    return after[:1] == ["hier"] or after == ["van", "beroep"]


def _surname_like_agent(span) -> bool:
    prev = _prev(span, skip=set())
    return prev is not None and not sentence_start(span) and (
        prev.text[:1].isupper() or prev.lower_ in PARTICLES)


BUSINESS_HEADS = {"praktijk", "bureau", "centrum", "winkel", "zaak", "bedrijf", "studio",
                  "atelier", "kantoor", "bedrijfje", "zaakje", "praktijkje"}


def _business_is_own(before: list[str], plural: bool, after: list[str] = ()) -> bool:
    if any(w in POSSESSIVE for w in before[-2:]):
        return True
    if len(before) >= 2 and before[-1] == "voor" and before[-2] in BUSINESS_HEADS:
        return True  # "een praktijk voor logopedie"
    if any(w in OTHER or w in SEEKING for w in before) or set(after) & SEEKING_AFTER:
        return False
    if plural:
        return any(w.isdigit() or w in NUMBER_WORDS for w in before[-3:]) or "zijn" in before
    words = [w for w in before if w not in ADJECTIVES]
    if words and words[-1] in ARTICLES:  # "een bakkerij": only after "we hebben", "ik ben", ...
        head = words[:-1]
        return all(w in GREETINGS for w in head) or any(w in OWN_MARKERS for w in head)
    if words and words[-1] in DEFINITE:  # "de supermarkt stelt eisen": someone else's
        return any(w in {"zijn", "ben"} for w in words[:-1])
    return True


def sector_value(span) -> str | None:
    form = gazetteer.sector_forms().get(gazetteer.key(span.text))
    if form is None:
        return None
    before = [w for w in _words_before(span) if w not in FILLERS]
    if form.kind == "agent":
        own = _agent_is_own(span, before, form.plural)
    elif form.kind == "own":
        own = not form.plural and any(w in OWN_VERBS for w in before[-3:])
    else:
        own = _business_is_own(before, form.plural, _after(span))
    return form.sector if own else None


# --------------------------------------------------------------------------- employees
def is_solo(span) -> bool:
    words = {t.lower_ for t in span}
    return bool(words & SOLO_WORDS) or "alleen" in words or "eentje" in words


def solo_holds(span) -> bool:
    """'ik werk alleen' yes; 'ik werk alleen op maandag' no; 'zzp'ers' never matches."""
    if span[-1].lower_ != "alleen":
        return True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is None or after.lower_ not in SOLO_NOT_BEFORE


EMPLOYER_WORDS = {"zijn", "werken", "werk", "werkt", "bedrijf", "team", "zaak", "praktijk",
                  "kantoor", "bureau", "winkel", "salon", "bedrijfje", "zaakje"}


def count_holds(span) -> bool:
    """'3 koks gezocht', 'groeien naar 20 man' and 'een verjaardag met veertig mensen' are no
    head count of the business."""
    before = [w for w in _words_before(span) if w not in FILLERS]
    if any(w in HIRING for w in before[-2:]) or set(_after(span, 1)) & HIRING:
        return False  # "zoek 2 monteurs", "3 koks gezocht"
    if before and before[-1] in ("naar", "tot"):
        return False
    if span[0].lower_ == "met" and span[-1].lower_ == "mensen":
        forms = gazetteer.sector_forms()
        return all(w in GREETINGS for w in before) or any(
            w in EMPLOYER_WORDS or w in forms for w in before)
    return True


def bare_count_holds(span) -> bool:
    """'we zijn met 8' yes; 'we zijn met 3 systemen bezig' no."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is None or after.is_punct or after.lower_ in BARE_COUNT_AFTER


def self_tail(span) -> str:
    """' en ik' when the entrepreneur counts themselves after the number: '3 man en ik'."""
    return " en ik" if SELF_TAIL.match(span.doc.text[span.end_char:]) else ""


# --------------------------------------------------------------------------- typos
DISTRICT = re.compile(r"^(?P<place>.+?)-(noord|zuid|oost|west|centrum|zuidoost|noordwest|"
                      r"noordoost|zuidwest|stad)$", re.I)


def district_place(token):
    """'Amsterdam-Noord' -> Amsterdam (a district written onto a town's name)."""
    m = DISTRICT.match(token.text)
    place = gazetteer.places().get(gazetteer.key(m.group("place"))) if m else None
    return place.name if place is not None and place.level == "normal" else None


def fuzzy_entities(doc, covered: set[int], make) -> list:
    """Places and sectors with one typo ('amsterdm', 'bakerij') that the ruler missed, and
    districts ('Rotterdam-Zuid')."""
    out = []
    for token in doc:
        if token.i in covered:
            continue
        district = district_place(token)
        if district:
            out.append(make("place", district, token.idx, token.idx + len(token), token.text))
            continue
        if not token.is_alpha or len(token) < gazetteer.FUZZY_MIN - 1:
            continue
        span = doc[token.i:token.i + 1]
        prev = _prev(span)
        after_prep = prev is not None and prev.lower_ in PLACE_PREPS - {"te"}
        capital = token.text[:1].isupper() and not sentence_start(span)
        place = gazetteer.fuzzy_place(token.text) if (after_prep or capital) else None
        if place is not None and place.level == "normal":
            out.append(make("place", place.name, token.idx, token.idx + len(token), token.text))
            continue
        form = gazetteer.fuzzy_sector(token.text)
        if form is None or form.kind == "own":
            continue
        before = [w for w in _words_before(span) if w not in FILLERS]
        own = (_agent_is_own(span, before, form.plural) if form.kind == "agent"
               else _business_is_own(before, form.plural, _after(span)))
        if own:
            out.append(make("sector", form.sector, token.idx, token.idx + len(token), token.text))
    return out
