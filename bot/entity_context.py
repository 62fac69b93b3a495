"""Context rules for the entities: whether a candidate span really is one, judged by the words
around it. Used by bot/entities.py; works on spaCy tokens but imports nothing from spaCy."""

from __future__ import annotations

import re
from functools import lru_cache

from bot import entity_patterns, gazetteer, parsing

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
NAME_PARTICLES = PARTICLES | {"'t", "’t", "d'", "v/d", "v.", "in", "op", "uit", "het"}
# Words before a surname: "meneer van Rijswijk", "familie de Haan", "mevrouw Hoorn".
TITLES = {"meneer", "mijnheer", "mnr", "mnr.", "dhr", "dhr.", "heer", "mevrouw", "mevr", "mevr.",
          "mw", "mw.", "mej", "mej.", "juffrouw", "juf", "meester", "familie", "fam", "fam.",
          "dokter", "dr", "dr.", "mr", "mr.", "ir", "ir.", "ing", "ing.", "drs", "drs.", "prof",
          "prof.", "notaris", "dominee", "pastoor", "burgemeester", "wethouder", "firma", "fa",
          "fa.", "gebroeders", "gebr", "gebr.", "zuster", "broeder", "buurman", "buurvrouw",
          "oom", "tante", "opa", "oma", "collega", "klant", "klanten", "leverancier", "meneertje"}
# Common Dutch first names, also typed in lower case ("jan van houten").
FIRST_NAMES = set("""
jan piet kees henk gerrit klaas willem peter pieter johan hans bert frank mark marco erik eric rob
robert richard ronald martin michel paul sander dennis jeroen bas tim tom thomas daan sem lucas
luuk bram jesse niels stefan wouter maarten joost ruud arjen arjan marcel edwin patrick rené rene
remco roel sjoerd harm hendrik hein herman jacob jaap joop koen lars mike nick rick ricardo rik
ruben sven teun thijs tijs vincent wim wilco youri yuri gijs jop jort stijn job dirk frans fred
gert geert gerard ger guus hugo ivo jelle jorn jurgen kevin leon marc martijn max menno michiel
milan mohamed mohammed ahmed ali mustafa nico olaf onno pim pepijn reinier rutger sjaak ton toon
anna anne anouk sanne lisa laura emma eva sophie julia fleur lotte iris ingrid marieke marloes
linda monique petra sandra esther ellen karin marja marian miriam wendy kim femke nicole inge
yvonne jolanda annemiek saskia els elly ria mieke tineke truus anja astrid bianca carla chantal
daphne debby diana dorien elise eline ester fenna floor hanna hannah ilse ineke irene janneke
jenny joke judith karen kirsten lieke lies lisanne maaike manon margreet maria marijke marion
mariska marleen martine merel mirjam myrthe nadia naomi nathalie noor patricia renate rianne
rosa roos sabine samantha sara sarah simone sofie suzanne tamara tessa vera wilma yara fatima
""".split())


def _surname_like(span) -> bool:
    """'Anna de Vries', 'Jan van Beek', 'meneer van Rijswijk', 'familie de Haan', 'mevrouw Hoorn',
    'jan van houten': part of a person's name."""
    doc = span.doc
    i = span.start - 1
    chain = []
    while i >= 0 and doc[i].lower_ in NAME_PARTICLES and len(chain) < 3:
        chain.append(doc[i])
        i -= 1
    before = doc[i] if i >= 0 else None
    if before is None:
        return False
    particle = any(t.lower_ in PARTICLES for t in chain)
    if before.lower_ in TITLES and (particle or not chain):
        return True  # "meneer Hoorn", "meneer van Rijswijk"
    if not particle:
        return False
    if any(t.text[:1].isupper() for t in chain) and chain[-1].i > 0 and not sentence_start(
            doc[chain[-1].i:chain[-1].i + 1]) and before.lower_ not in PLACE_PREPS:
        return True  # "bakkerij Van Rijswijk": a capital particle inside a sentence
    if before.lower_ in FIRST_NAMES:
        return True  # "jan van houten"
    return before.text[:1].isupper() and before.lower_ not in PLACE_PREPS and before.is_alpha


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
    if _company_name(span):
        return None  # "ik werk bij Linden Bouw"
    if place.level == "ambiguous":
        ok = prep or listed or (capital and not sentence_start(span) and not name_before)
    else:
        ok = (prep or listed) and capital
    return place.name if ok else None


# Words after a place name that still leave it a place: "Putten Gelderland", "Velp Centrum".
REGIONS = {"gelderland", "drenthe", "friesland", "fryslân", "fryslan", "groningen", "overijssel",
           "flevoland", "utrecht", "noord-holland", "zuid-holland", "zeeland", "noord-brabant",
           "brabant", "limburg", "nederland", "holland", "nl", "centrum", "noord", "zuid", "oost",
           "west", "dorp", "stad", "gld", "nb", "nh", "zh", "ov", "dr", "fr", "gr", "ut"}
COMPANY_WORDS = {"bv", "b.v.", "vof", "v.o.f.", "cv", "c.v.", "nv", "n.v.", "&", "en", "zn",
                 "zonen", "holding", "groep"}


def _company_name(span) -> bool:
    """A capitalised word after the name makes it part of a company's name: 'Linden Bouw',
    'Putten Transport B.V.' (not 'Best, Noord-Brabant', not 'Best en Eindhoven')."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    place = gazetteer.places().get(gazetteer.key(span.text))
    if after is None or not span.text[:1].isupper() or place is None or place.level == "normal":
        return False
    if after.lower_ in REGIONS:
        return False
    if after.lower_ in COMPANY_WORDS - {"en", "&"}:
        return True
    return after.text[:1].isupper() and after.is_alpha and not after.ent_type_ and (
        after.lower_ not in PARTICLES | PLACE_PREPS) and len(after) > 2


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


# Someone else's business: "mijn broer heeft een garage", "hij is kapper".
OTHER_PEOPLE = {"broer", "zus", "zuster", "vader", "moeder", "pa", "ma", "zoon", "dochter",
                "oom", "tante", "opa", "oma", "neef", "nicht", "zwager", "schoonzus",
                "schoonvader", "schoonmoeder", "schoonzoon", "schoondochter", "vriend",
                "vriendin", "buurman", "buurvrouw", "kennis", "kennissen", "buren", "collega",
                "vrouw", "partner", "echtgenoot", "echtgenote", "ouders", "broers", "zussen",
                "klant", "klanten", "vriendje", "vriendinnetje"}
THIRD_PERSON = {"hij", "zij", "ze", "hun"}


def _someone_elses(before: list[str]) -> bool:
    """The clause is about someone else: 'mijn broer heeft een ...', 'hij runt een ...'."""
    words = set(before)
    if words & {"ik", "we", "wij", "ikzelf", "wijzelf"}:
        return False
    return bool(words & THIRD_PERSON) or any(
        a in POSSESSIVE | {"je", "jouw", "zijn", "haar", "hun", "de"} and b in OTHER_PEOPLE
        for a, b in zip(before, before[1:], strict=False))


BUSINESS_HEADS = {"praktijk", "bureau", "centrum", "winkel", "zaak", "bedrijf", "studio",
                  "atelier", "kantoor", "bedrijfje", "zaakje", "praktijkje"}


def _business_is_own(before: list[str], plural: bool, after: list[str] = ()) -> bool:
    if _someone_elses(before):
        return False
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
    if form.kind != "agent" and _someone_elses(
            [w for w in _words_before(span, limit=10) if w not in FILLERS]):
        return None  # "mijn broer heeft sinds kort een garage"
    if form.kind == "agent":
        own = _agent_is_own(span, before, form.plural)
    elif form.kind == "own":
        own = not form.plural and any(w in OWN_VERBS for w in before[-3:])
    else:
        own = _business_is_own(before, form.plural, _after(span))
    return form.sector if own else None


def sectors_inside_counts(doc, make) -> list:
    """Sector words inside an employee count ('we zijn 5 schilders', 'een bakkerij met 3
    bakkers'): the ruler kept the longer count, so the noun is judged on its own here too."""
    forms = gazetteer.sector_forms()
    out = []
    for span in doc.ents:
        if span.label_ != "employees":
            continue
        for token in span:
            if gazetteer.key(token.text) in forms:
                value = sector_value(doc[token.i:token.i + 1])
                if value:
                    out.append(make("sector", value, token.idx, token.idx + len(token),
                                    token.text))
    return out


# --------------------------------------------------------------------------- activities
SUBJECTS = {"1": {"ik", "ikzelf"}, "plural": {"we", "wij", "wijzelf"}}
SUBORDINATORS = {"omdat", "waar", "doordat", "zodat", "sinds", "terwijl", "dat", "waarmee",
                 "waarin"}
OWN_HEADS = ("bedrijf", "bedrijfje", "zaak", "zaakje", "winkel", "winkeltje", "onderneming",
             "firma", "team", "praktijk", "bureau", "studio", "atelier", "salon", "eenmanszaak")
OBJECT_STOPS = {"maar", "want", "omdat", "terwijl", "die", "dat", "waar", "wat", "als"}
NOT_DOING = {"geen", "niet", "minder", "meer", "nauwelijks", "amper", "weinig", "nooit", "steeds"}
SPECIALISED = {"gespecialiseerd", "specialist", "specialisten", "gespecialiseerde"}


def _key(token) -> str:
    return _text_key(token.text)


@lru_cache(maxsize=8192)
def _text_key(text: str) -> str:
    return gazetteer.key(text)


def _object_at(doc, i: int, objects: tuple[str, ...]) -> int | None:
    """How well one of `objects` matches at token i: 0 a phrase, 1 a word, 2 the end of a
    compound ('racefietsen' for 'fietsen'); None when none does."""
    words, phrases = _object_index(objects)
    word = _key(doc[i])
    for parts in phrases.get(word, ()):
        if [_key(t) for t in doc[i:i + len(parts)]] == list(parts):
            return 0
    if word in words:
        return 1
    for cut in range(3, len(word) - 3):
        if word[cut:] in words:
            return 2
    return None


@lru_cache(maxsize=512)
def _object_index(objects: tuple[str, ...]) -> tuple[frozenset, dict]:
    """The one-word objects, and the phrases by their first word."""
    words = frozenset(o for o in objects if " " not in o)
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for obj in objects:
        if " " in obj:
            parts = tuple(obj.split())
            phrases.setdefault(parts[0], []).append(parts)
    return words, phrases


def _object_ok(doc, i: int, verb_i: int, channel: bool = False) -> bool:
    """Not 'onze website', 'de fiets van mijn zoon', 'geen fietsen'; 'de administratie van
    ondernemers' is fine, and so is a sales channel: 'via onze webshop'."""
    lo, hi = sorted((verb_i, i))
    if any(doc[j].lower_ in NOT_DOING for j in range(lo + 1, hi)):
        return False  # "we verkopen geen fietsen", "verkopen we minder brood" (a change)
    if channel:  # "we verkopen kleding online", not "fietsen, en sinds kort ook online"
        return not {t.lower_ for t in doc[max(lo + 1, i - 3):i]} & {
            "ook", "tevens", "daarnaast", "deels", "soms", "sinds"}
    prev = doc[i - 1].lower_ if i > 0 else ""
    if prev in POSSESSIVE or (i > 1 and prev == "eigen" and doc[i - 2].lower_ in POSSESSIVE):
        return False
    if prev in DEFINITE:
        after = [t.lower_ for t in doc[i + 1:i + 4]]
        return bool(after) and after[0] in ("voor", "van") and not (
            set(after[1:2]) & (POSSESSIVE | DEFINITE | {"mezelf", "mijzelf", "ons"}))
    return True


def _clause(doc, i: int, step: int, limit: int = 8):
    """Token indices from i onwards (step 1) or backwards (step -1) in the same clause."""
    j = i + step
    while 0 <= j < len(doc) and abs(j - i) <= limit:
        token = doc[j]
        if token.text in SENTENCE_BREAKS or token.text.strip() == "":
            break
        yield j
        j += step


def _find_object(doc, verb_i: int, activity, indices) -> tuple[int, int] | None:
    """(match quality, index) of the first object of `activity` among `indices`."""
    for j in indices:
        if doc[j].lower_ in OBJECT_STOPS:
            return None  # a new clause: "we helpen bedrijven die fietsen verkopen"
        quality = _object_at(doc, j, activity.objects)
        if quality is not None:
            return (quality, j) if _object_ok(doc, j, verb_i, activity.prefer) else None
    return None


def _subject(doc, v: int, person: str) -> str | None:
    """Whether the writer (or their own business) does it: 'main' with the verb before its
    object (ik verkoop, verkopen we, ons bedrijf verkoopt), 'sub' with the verb at the end
    (omdat we fietsen verkopen, een zaak die fietsen verkoopt), or None (mijn broer verkoopt,
    we willen ... verkopen)."""
    before = doc[v - 1].lower_ if v > 0 else ""
    after = doc[v + 1].lower_ if v + 1 < len(doc) else ""
    if person in SUBJECTS:
        if before in SUBJECTS[person] or after in SUBJECTS[person]:
            return "main"
        if person == "plural" and before not in ("ze", "zij", "jullie", "hun", "u", "je"):
            words = [doc[j].lower_ for j in _clause(doc, v, -1, 6)]
            if "ik" in words and "en" in words and not set(words) & {"willen", "gaan", "zouden"}:
                return "main"  # "mijn vrouw en ik verkopen", "ik en mijn broer bouwen"
        for j in _clause(doc, v, -1, 6):
            if doc[j].lower_ in SUBJECTS[person] and j > 0 and doc[j - 1].lower_ in SUBORDINATORS:
                return "sub"
        return None
    # third person: "ons bedrijf verkoopt", "een bedrijf dat fietsen verkoopt"
    if v > 1 and doc[v - 2].lower_ in POSSESSIVE and _key(doc[v - 1]).endswith(OWN_HEADS):
        return "main"
    for j in _clause(doc, v, -1, 6):
        if doc[j].lower_ in ("die", "dat") and j > 0 and _key(doc[j - 1]).endswith(OWN_HEADS):
            words = [doc[k].lower_ for k in range(max(0, j - 6), j)]
            if set(words) & (POSSESSIVE | {"ik", "we", "wij"}) and not set(words) & (
                    THIRD_PERSON | OTHER | SEEKING):
                return "sub"
    return None


def _verb_matches(doc, v: int):
    """(activity, quality, object index) for the activity verbs at token v."""
    entries = gazetteer.activity_verbs().get(_key(doc[v]), [])
    if not entries or (v + 1 < len(doc) and doc[v + 1].lower_ == "van"):
        return
    for activity, person in entries:
        role = _subject(doc, v, person)
        if role is None:
            continue
        if activity.particle and activity.particle not in {
                doc[j].lower_ for j in _clause(doc, v, 1, 10)}:
            continue  # "we leggen tuinen aan" needs its "aan"
        if activity.objects == ("*",):
            nxt = next(iter(_clause(doc, v, 1, 1)), None)
            if nxt is None or doc[nxt].lower_ not in POSSESSIVE | DEFINITE | {"geen", "niet"}:
                yield activity, 3, v
            continue
        if role == "main":
            found = _find_object(doc, v, activity, _clause(doc, v, 1))
            subject_after = v + 1 < len(doc) and doc[v + 1].lower_ in SUBJECTS.get(person, ())
            if found is None and subject_after:
                found = _find_object(doc, v, activity, _clause(doc, v, -1, 5))
        else:  # verb at the end: the object comes before it
            found = _find_object(doc, v, activity, _clause(doc, v, -1, 6))
        if found is not None:
            yield activity, found[0], found[1]


def _specialised_matches(doc, i: int):
    """'wij zijn gespecialiseerd in zonnepanelen', 'ik ben specialist in het repareren van
    fietsen'."""
    words = [doc[j].lower_ for j in _clause(doc, i, -1, 5)]
    if not set(words) & {"ik", "we", "wij"} and not (set(words) & POSSESSIVE and any(
            w.endswith(OWN_HEADS) for w in words)):
        return
    window = list(_clause(doc, i, 1, 8))
    if not window or doc[window[0]].lower_ != "in":
        return
    for j in window[1:]:
        for activity, person in gazetteer.activity_verbs().get(_key(doc[j]), []):
            if person == "plural" and j + 1 < len(doc) and doc[j + 1].lower_ == "van":
                found = _find_object(doc, j, activity, _clause(doc, j + 1, 1, 5))
                if found is not None or activity.objects == ("*",):
                    yield activity, found[0] if found else 3, j
        for activity in gazetteer.sector_activities():
            if activity.objects != ("*",):
                quality = _object_at(doc, j, activity.objects)
                if quality is not None and _object_ok(doc, j, i):
                    yield activity, quality + 1, j


def activity_sector(doc, make) -> list:
    """The sector from what the writer says their business does ('wij verkopen fietsen',
    'ik knip haar', 'we bouwen apps'): one sector, the best match (bot/data/sectors.yml,
    activity). Questions and someone else's work ('mijn broer verkoopt fietsen') do not count."""
    best, verbs = None, gazetteer.activity_verbs()
    question, asking = [False] * len(doc), False
    for i in range(len(doc) - 1, -1, -1):  # in a sentence that ends with "?"
        if doc[i].text in SENTENCE_BREAKS:
            asking = doc[i].text == "?"
        question[i] = asking
    for v in range(len(doc)):
        word = _key(doc[v])
        if question[v] or (word not in verbs and word not in SPECIALISED):
            continue
        matches = list(_verb_matches(doc, v))
        if word in SPECIALISED:
            matches += list(_specialised_matches(doc, v))
        for activity, quality, at in matches:
            rank = (not activity.prefer, quality, v, activity.order)
            if best is None or rank < best[0]:
                best = (rank, activity, at)
    if best is None:
        return []
    _, activity, at = best
    token = doc[at]
    return [make("sector", activity.sector, token.idx, token.idx + len(token), token.text)]


# --------------------------------------------------------------------------- employees
STAFF_RE = re.compile(entity_patterns.STAFF_NOUN)
WEAK_NOUNS = set(entity_patterns.WEAK_PERSON_NOUNS)
STAFF_ADJECTIVES = set(entity_patterns.STAFF_ADJECTIVES)
TEAM_NOUNS = set(entity_patterns.TEAM_NOUNS)
SELF_WORDS = set(entity_patterns.SELF)
IN_SERVICE = {"in", "personeel", "werkzaam", "dienst", "loondienst"}
# Where staff work: "3 monteurs en 2 mensen op kantoor", "4 meiden in de salon".
WORKPLACES = {"kantoor", "winkel", "zaak", "salon", "keuken", "bediening", "werkplaats",
              "productie", "fabriek", "praktijk", "magazijn", "bar", "balie", "receptie",
              "vloer", "werkvloer", "weg", "bus", "wagen", "bouw", "opvang", "groep",
              "administratie", "planning", "loonlijst", "buitendienst",
              "binnendienst", "showroom", "kas", "kassa", "zaal", "spoeling",
              "afwas", "verkoop", "montage", "klantenservice", "helpdesk", "leiding",
              "boerderij", "stal", "camping", "school", "tuin", "projecten", "wagens"}
WORK_AFTER = {"werken", "werkzaam", "rijden", "draaien", "lopen", "vast", "fulltime", "parttime",
              "personeel", "erbij", "meewerken"}
NOT_STAFF_BEFORE = {"aan", "voor", "van", "via", "per", "tegen", "onder", "zonder", "tussen"}
WISHES = {"wil", "willen", "wilde", "wilden", "hoop", "hopen", "zou", "zouden", "graag"}
HIRING_AFTER = HIRING | {"tekort", "aannemen", "werven", "aantrekken", "extra", "bijzoeken"}
LIST_JOIN = {",", "en", "plus", "+", "&"}
SOLO_STARTS = SOLO_WORDS | {"eenmanszaakje", "eenmansbedrijf", "eenmansbedrijfje",
                            "solo-ondernemer", "soloondernemer", "solo", "zonder"}
NOT_SOLO_AFTER = {"kunnen", "kan", "vinden", "krijgen", "gevonden", "aannemen", "te", "om",
                  "aan"}


def is_solo(span) -> bool:
    words = [t.lower_ for t in span]
    if words[0] in SOLO_STARTS or words[0] == "alleen":
        return True
    if words[-1] in {"alleen", "eentje", "uppie", "up"}:
        return True
    return "geen" in words or (words[-1] == "zelf" and "alles" in words)


def solo_holds(span) -> bool:
    """'ik werk alleen', 'werk ik alleen', 'ik doe alles zelf', 'ik heb geen personeel' yes;
    'ik werk alleen op maandag', 'we werken alleen', 'ik kan geen personeel vinden' no."""
    words = [t.lower_ for t in span]
    before = [w for w in _words_before(span) if w not in FILLERS]
    after = span.doc[span.end] if span.end < len(span.doc) else None
    after_word = after.lower_ if after is not None else ""
    if words[0] in SOLO_WORDS or words[0] in SOLO_STARTS - {"zonder"}:
        return True
    ik = "ik" in words or (before[-1:] == ["ik"])
    if words[0] == "zonder":
        return not {"we", "wij", "ons", "onze"} & set(before)
    if "geen" in words:
        return ik and after_word not in NOT_SOLO_AFTER
    if words[-1] in ("alleen", "zelf") and words[0] in ("werk", "werken", "doe", "run", "draai",
                                                         "regel"):
        if not ik:
            return False  # "we werken alleen ...", "dan werken jullie alleen"
    if words[-1] != "alleen":
        return True
    return after is None or after_word not in SOLO_NOT_BEFORE


EMPLOYER_WORDS = {"zijn", "werken", "werk", "werkt", "bedrijf", "team", "zaak", "praktijk",
                  "kantoor", "bureau", "winkel", "salon", "bedrijfje", "zaakje"}


def _number_at(token) -> int | None:
    text = token.lower_.replace(".", "")
    if text.isdigit():
        return int(text)
    if token.lower_ in ("een", "één", "eén"):
        return None
    return parsing.words_to_number(token.lower_)


def _before_count(span) -> list[str]:
    """The words before the span's number (inside the span or before it), modifiers and
    fillers left out: [..., 'werken', 'voor'] for 'we werken voor 20 aannemers'."""
    skip = FILLERS | set(entity_patterns.MODIFIERS) - {"de", "in", "een"}
    count = _count_token(span)
    inside = [t.lower_ for t in span[:count.i - span.start]] if count is not None else []
    return [w for w in _words_before(span) + inside if w not in skip]


def count_holds(span) -> bool:
    """'3 koks gezocht', 'groeien naar 20 man', 'we leveren aan 30 bakkers' and 'een verjaardag
    met veertig mensen' are no head count of the business."""
    before = [w for w in _words_before(span) if w not in FILLERS]
    after = _after(span, 2)
    if any(w in HIRING for w in before[-2:]) or set(after[:1]) & HIRING_AFTER:
        return False  # "zoek 2 monteurs", "3 koks gezocht", "we hebben 3 monteurs tekort"
    if after[:1] == ["als"] and after[1:2] and after[1] in OTHER | {"opdrachtgever",
                                                                   "opdrachtgevers"}:
        return False  # "40 kappers als klant"
    if before and before[-1] in ("naar", "tot"):
        return False
    if set(before[-3:]) & WISHES:
        return False  # "we willen 3 monteurs aannemen"
    lead = _before_count(span)
    if span[0].lower_ not in SELF_WORDS and lead and lead[-1] in NOT_STAFF_BEFORE:
        if not (lead[-1] == "van" and len(lead) > 1 and lead[-2] in TEAM_NOUNS | EMPLOYER_WORDS):
            return False  # "voor 20 aannemers", "van 3 docenten"; not "een team van 6 man"
    if span[0].lower_ == "met" and span[-1].lower_ in WEAK_NOUNS:
        forms = gazetteer.sector_forms()
        return all(w in GREETINGS for w in before) or any(
            w in EMPLOYER_WORDS or w in forms for w in before)
    return True


def _count_token(span):
    """The last number in the span ('12' in 'team van 12 man')."""
    for token in reversed(span):
        if _number_at(token) is not None:
            return token
    return None


def _place_phrase_end(doc, i: int) -> int:
    """After 'op kantoor', 'in de winkel', 'achter de bar', 'in loondienst': where it ends."""
    if i < len(doc) and doc[i].lower_ in {"op", "in", "achter", "aan", "bij"}:
        for j in range(i + 1, min(i + 4, len(doc))):
            word = doc[j].lower_
            if word in WORKPLACES or word in ("dienst", "loondienst"):
                return j + 1
            if doc[j].text in CLAUSE_BREAKS or word in LIST_JOIN:
                break
    if i < len(doc) and doc[i].lower_ in ("werkzaam", "personeel"):
        return i + 1
    return i


def _weak_holds(span, noun) -> bool:
    """'5 mensen in dienst', 'we zijn 4 mensen', 'ik heb 2 jongens in de werkplaats',
    'we hebben 6 mensen.' yes; 'ik heb 2 jongens', 'er zijn 5 mensen op de wachtlijst' no."""
    doc = span.doc
    lead = span[0].lower_
    if lead in SELF_WORDS or lead in TEAM_NOUNS or lead.startswith("werk"):
        return True
    if lead == "met":
        return True  # decided in count_holds
    before = [w for w in _words_before(span) if w not in FILLERS]
    if lead in ("bestaat", "bestaan", "bestond", "bestonden"):
        return bool(set(before) & (TEAM_NOUNS | {"we", "wij", "ons", "onze", "personeel"}))
    if any(t.lower_ in IN_SERVICE for t in doc[noun.i + 1:span.end]):
        return True
    if _place_phrase_end(doc, span.end) > span.end:
        return True
    after = _after(span, 5)
    if after[:1] and after[0] in WORK_AFTER:
        return True
    if after[:1] in (["die"], ["dat"]) and set(after[1:]) & {"werken", "werkt", "werkzaam"}:
        return True  # "3 mensen die voor me werken"
    if lead == "zijn":
        return True  # the subject was checked in staff_holds
    if noun.lower_ in ("mensen", "personen", "koppen") and before[-1:] and before[-1] in (
            "heb", "hebben", "hebt") and not after:
        return True  # "we hebben 6 mensen."
    return bool(set(before) & {"werken", "werkt", "werkzaam", "dienst", "personeel"})


def staff_holds(span) -> bool:
    """The noun after the number is staff ('8 beveiligers', the patterns only take those), or
    the words around make a bare number or a weak noun ('5 mensen', '3 jongens') the
    business's head count."""
    count = _count_token(span)
    if count is None:
        return True
    lead = span[0].lower_
    if lead == "zijn":
        before = _words_before(span)
        words = [t.lower_ for t in span]
        if not (before[-1:] and before[-1] in ("we", "wij")) and not set(words[1:3]) & {
                "we", "wij"}:
            nouns = [t for t in span[count.i - span.start + 1:]
                     if t.lower_ not in STAFF_ADJECTIVES | IN_SERVICE]
            return bool(nouns) and nouns[0].lower_ not in WEAK_NOUNS  # "dat zijn 3 monteurs"
    nouns = [t for t in span[count.i - span.start + 1:]
             if t.lower_ not in STAFF_ADJECTIVES | IN_SERVICE]
    if not nouns:
        return True  # a bare number: bare_count_holds decides
    if nouns[0].lower_ in WEAK_NOUNS:
        return _weak_holds(span, nouns[0])
    return True


def bare_count_holds(span) -> bool:
    """'we zijn met 8' yes; 'we zijn met 3 systemen bezig' no."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is None or after.is_punct or after.lower_ in BARE_COUNT_AFTER


MAX_LIST_ITEMS = 8  # a longer "list" is no description of a team


def more_staff(span) -> tuple[int, int]:
    """'3 monteurs en 2 mensen op kantoor', 'vier koks, twee in de bediening': the counts that
    follow in the same list, and the token index after them."""
    doc = span.doc
    start = span.end - 1 if span[-1].lower_ == "in" else span.end  # "6 man in| de bediening"
    i, extra, items = _place_phrase_end(doc, start), 0, 0
    while i + 1 < len(doc) and doc[i].lower_ in LIST_JOIN and items < MAX_LIST_ITEMS:
        items += 1
        j = i + 1
        if doc[i].text == "," and doc[j].lower_ == "en" and j + 1 < len(doc):
            j += 1
        if doc[j].lower_ in ("nog", "ook") and j + 1 < len(doc):
            j += 1
        count = _number_at(doc[j])
        if count is None and doc[j].lower_ in ("een", "één") and j + 1 < len(doc) and (
                _one_staff(doc[j + 1].lower_)):
            k = _place_phrase_end(doc, j + 2)  # "3 fysiotherapeuten en een secretaresse"
            extra, i = extra + 1, k
            continue
        if count is None or not 0 < count <= 10_000:
            break
        k = j + 1
        while k < len(doc) and doc[k].lower_ in STAFF_ADJECTIVES:
            k += 1
        if k < len(doc) and (STAFF_RE.match(doc[k].lower_) or doc[k].lower_ in WEAK_NOUNS or (
                count == 1 and _one_staff(doc[k].lower_))):
            k = _place_phrase_end(doc, k + 1)
        elif _place_phrase_end(doc, k) > k:
            k = _place_phrase_end(doc, k)  # "en 2 op kantoor"
        else:
            break
        while k < len(doc) and doc[k].lower_ in IN_SERVICE:
            k += 1
        extra, i = extra + count, k
    return extra, i


def _one_staff(word: str) -> bool:
    """A singular staff noun: its plural is one ('monteur', 'specialist', 'secretaresse')."""
    if word in ONE_STAFF:
        return True
    return word not in WEAK_NOUNS and any(
        STAFF_RE.match(word + ending) for ending in ("s", "en", "n", "'s"))


def self_tail(span, end: int | None = None) -> str:
    """' en ik' when the entrepreneur counts themselves after the number: '3 man en ik' (after
    the list that ends at token `end`, when given)."""
    doc = span.doc
    start = doc[end - 1].idx + len(doc[end - 1]) if end and end > span.end else span.end_char
    return " en ik" if SELF_TAIL.match(doc.text[start:]) else ""


# "mijn vrouw en ik", "ik en mijn broer", "mijn compagnon, mijn zoon en ik": the team by name.
RELATIONS = {"vrouw", "man", "partner", "vriend", "vriendin", "compagnon", "compaan",
             "zakenpartner", "vennoot", "broer", "broertje", "zus", "zusje", "zuster", "zoon",
             "dochter", "vader", "pa", "moeder", "ma", "schoonzoon", "schoondochter",
             "schoonvader", "schoonmoeder", "zwager", "schoonzus", "schoonbroer", "neef", "nicht",
             "echtgenoot", "echtgenote", "wederhelft", "vrouwtje", "mannetje", "collega", "maat",
             "compagnonne", "mede-eigenaar", "medeeigenaar", "associé", "associe", "stiefzoon",
             "stiefdochter", "oom", "tante", "vent", "meid"}
RELATION_PLURALS = {"zoons", "zonen", "dochters", "broers", "zussen", "zusters", "compagnons",
                    "partners", "vennoten", "zakenpartners", "collega's", "collegas", "neven"}
ONE_STAFF = {"collega", "medewerker", "werknemer", "compagnon", "partner", "vennoot",
             "kracht", "hulp", "zakenpartner"}
FAMILY_POSSESSIVES = {"mijn", "m'n", "mn", "me", "m’n", "mijne"}
NOT_TEAM_AFTER = {"kinderen", "kids", "kinderen.", "vakantie", "getrouwd", "trouwen",
                  "verhuisd", "verhuizen", "wonen", "woonden", "honden"}


def _relation_item(doc, i: int) -> tuple[int, int, bool] | None:
    """(people, next index, is the writer) for 'ik', 'mijn vrouw', 'mijn twee zoons',
    'een collega' at token i."""
    if i >= len(doc):
        return None
    word = doc[i].lower_
    if word in SELF_WORDS | {"mij"}:
        return 1, i + 1, True
    if word in ("een", "één") and i + 1 < len(doc) and doc[i + 1].lower_ in ONE_STAFF:
        return 1, i + 2, False
    if word not in FAMILY_POSSESSIVES or i + 1 >= len(doc):
        return None
    j = i + 1
    if doc[j].lower_ in ("eigen", "lieve") and j + 1 < len(doc):
        j += 1
    count = _number_at(doc[j])
    if count is not None and j + 1 < len(doc) and doc[j + 1].lower_ in RELATION_PLURALS:
        return count, j + 2, False
    if count is None and doc[j].lower_ in RELATIONS:
        return 1, j + 1, False
    return None


def team_by_name(doc, make) -> list:
    """Employee counts from 'mijn vrouw en ik' (2), 'ik en mijn twee zoons' (3), 'ik run de
    zaak samen met mijn broer' (2), extended by a list of staff after it ('mijn broer en ik en
    3 monteurs': 5). Rank 3 (after every explicit count) unless staff follow (rank 1)."""
    out, i = [], 0
    while i < len(doc):
        start, items, j = i, [], i
        together = False
        if doc[i].lower_ == "samen" and i + 1 < len(doc) and doc[i + 1].lower_ == "met":
            together, j = True, i + 2
        while True:
            item = _relation_item(doc, j)
            if item is None:
                break
            items.append(item)
            j = item[1]
            if j < len(doc) and doc[j].lower_ in {",", "en", "&", "+"}:
                nxt = _relation_item(doc, j + 1)
                if nxt is not None:
                    j += 1
                    continue
            break
        people = sum(n for n, _, me in items if not me)
        has_self = any(me for _, _, me in items)
        if together and people and not has_self:
            sentence = _sentence_words(doc, start)
            if "ik" in sentence and not sentence & {"we", "wij", "jullie", "hij", "zij"}:
                has_self = True
        if people and has_self and len(items) + together >= 2:
            span = doc[start:j]
            extra, end = more_staff(span)
            if extra or _team_statement(doc, start, j, together):
                last = doc[max(end, j) - 1]
                begin, finish = doc[start].idx, last.idx + len(last)
                out.append(make("employees", people + 1 + extra, begin, finish,
                                doc.text[begin:finish], 1 if extra else 3))
            i = j
            continue
        i += 1
    return out


TEAM_VERBS = {"werken", "werk", "werkt", "doen", "doe", "draaien", "draai", "staan", "sta",
              "tweeën", "tweeen", "tweetjes", "drieën", "alleen", "met"}
TEAM_BEFORE = {"uit", "alleen", "zijn", "is", "namelijk", "enkel", "slechts", "maar", "dus"}


def _team_statement(doc, start: int, end: int, together: bool) -> bool:
    """'mijn vrouw en ik.', 'alleen mijn broer en ik', 'mijn vrouw en ik werken in de zaak',
    'bestaat uit mijn vrouw en mij' say who the team is; 'mijn vrouw en ik runnen een b&b' says
    who owns it (there may be staff), and 'mijn vrouw en ik hebben 2 kinderen' is no team."""
    clause_after = [doc[k].lower_ for k in range(end, min(end + 8, len(doc)))
                    if doc[k].text not in CLAUSE_BREAKS] if end < len(doc) and (
        doc[end].text not in CLAUSE_BREAKS) else []
    if set(clause_after) & NOT_TEAM_AFTER:
        return False
    if together:
        return bool(_sentence_words(doc, start) & TEAM_VERBS - {"met"})
    before = _prev(doc[start:end], skip=FILLERS | GREETINGS)
    if before is None or before.text in CLAUSE_BREAKS:
        if not clause_after:
            return True  # the answer itself: "mijn vrouw en ik"
    elif before.lower_ in TEAM_BEFORE:
        return True
    return bool(set(clause_after[:4]) & TEAM_VERBS)


def _sentence_words(doc, i: int) -> set[str]:
    start, end = i, i
    while start > 0 and doc[start - 1].text not in SENTENCE_BREAKS:
        start -= 1
    while end < len(doc) and doc[end].text not in SENTENCE_BREAKS:
        end += 1
    return {t.lower_ for t in doc[start:end]}


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
