"""EntityRuler patterns for the intake entities. They find candidate spans; bot/entities.py
then normalises each span and drops what does not hold up (a phone number with 11 digits, a
place that is only a word here). Pure data: no spaCy import, so this is cheap to test."""

from __future__ import annotations

import re

from bot import gazetteer

UNITS = "een|één|eén|twee|drie|vier|vijf|zes|zeven|acht|negen"
TEENS = "tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
NUMBER_WORD = rf"nul|{UNITS}|{TEENS}|(?:(?:{UNITS})(?:en|ën))?(?:{TENS})|\w*honderd\w*"
# One token that is a number: digits or a Dutch number word.
NUM = {"LOWER": {"REGEX": rf"^(\d+(?:[.,]\d+)?|{NUMBER_WORD})$"}}
NUM_NO_ONE = {"LOWER": {"REGEX": rf"^(\d+(?:[.,]\d+)?|(?!een$|één$|eén$)(?:{NUMBER_WORD}))$"}}
DIGIT_WORD = {"LOWER": {"REGEX": rf"^(\d+|{NUMBER_WORD})$"}}

# --- employees
COLLECTIVES = (r"^(tweeën|tweeen|tweetjes|drieën|drieen|vieren|vijven|zessen|zevenen|achten|"
               r"negenen|tienen|elven|twaalven|\d+en|\d+-en)$")
PERSON_NOUNS = [
    "man", "fte", "fte's", "medewerker", "medewerkers", "werknemer", "werknemers",
    "personeelsleden", "personeel", "collega's", "collegas", "collega’s", "krachten", "vakmensen",
    "koks", "chefs", "obers", "docenten", "leerkrachten", "leraren", "leraressen", "therapeuten",
    "artsen", "assistenten", "assistentes", "consulenten", "accountants", "consultants",
    "gezellen", "knechten", "juffen", "hulpen", "verzorgenden", "helpenden", "barista's",
    "baristas", "barista’s", "eigenaren", "eigenaars", "vennoten", "compagnons", "secretaresses",
    "receptionistes", "leidsters", "pedicures", "schoonheidsspecialistes", "visagistes",
    "stukadoors", "stucadoors", "fotografen", "videografen", "gastvrouwen", "gastheren",
    "bouwvakkers",
]
# Plural nouns for people at work, recognised by their ending: bakk-ers, mont-eurs, mass-euses,
# special-isten, verpleeg-kundigen, vak-lieden, schoonmaak-krachten, tuin-mannen, hoven-iers,
# metsel-aars, stagi-airs, techn-ici, psycho-logen, elektri-ciens, fysiothera-peuten, tand-artsen.
STAFF_ENDINGS = ["ers", "eurs", "euses", "isten", "istes", "kundigen", "lieden", "krachten",
                 "mannen", "iers", "aars", "airs", "ici", "logen", "gogen", "ciens", "peuten",
                 "artsen", "assistenten", "assistentes", "docenten", "koks", "collega's",
                 "leraren", "leraressen", "accountants", "consultants"]
# Words with such an ending that are no staff. Heads also end compounds ("hotelkamers").
NOT_STAFF_HEADS = [
    # things, machines and vehicles
    "computers", "printers", "scanners", "plotters", "beamers", "servers", "routers",
    "containers", "trailers", "opleggers", "aanhangers", "kippers", "trekkers", "brommers",
    "scooters", "campers", "sprinters", "bulldozers", "tankers", "kotters", "boilers",
    "vriezers", "kokers", "friteuses", "blussers", "mixers", "blenders", "heaters", "koelers",
    "drogers", "stickers", "flyers", "folders", "posters", "banners", "covers", "filters",
    "orders", "nummers", "cijfers", "letters", "papers", "kaders", "borders", "ladders",
    "lockers", "spijkers", "stekkers", "wekkers", "tellers", "vouchers", "dossiers",
    "ateliers", "cahiers", "papiers", "registers", "clusters", "lusters", "adapters",
    "chargers", "speakers", "pagers", "lasers", "markers", "boxers", "sneakers", "slippers",
    "sweaters", "jumpers", "crackers", "wafers", "burgers", "bekers", "liqueurs", "interieurs",
    "humeurs", "kwartiers", "emmers", "kelders", "zolders", "kamers", "meters", "liters",
    "zomers", "winters", "diners", "catalogen", "dialogen", "monologen", "kisten",
    "twisten", "jaars", "komkommers", "pepers",
    # animals
    "oesters", "lobsters", "hamsters", "tijgers", "panters", "vlinders", "otters", "bevers",
    "kevers", "herders", "retrievers", "monsters",
    # people who are not the business's staff: customers, pupils, family, hired-in
    "klanten", "bezoekers", "gebruikers", "deelnemers", "huurders", "bewoners", "volgers",
    "kijkers", "luisteraars", "lezers", "leveranciers", "passagiers", "reizigers", "sporters",
    "fietsers", "wandelaars", "hardlopers", "spelers", "toeristen", "cursisten", "broers",
    "zusters", "dochters", "moeders", "vaders", "opdrachtgevers", "werkgevers", "investeerders",
    "aandeelhouders", "donateurs", "debiteurs", "crediteurs", "zzp'ers", "zzpers", "freelancers",
    "vrijwilligers", "afnemers", "aanvragers", "bellers", "bestellers", "franchisenemers",
    "peuters", "kleuters", "tieners", "pubers", "kampeerders", "gangers", "rokers", "kiezers",
    "ruiters", "golfers", "zwemmers", "dansers", "ondernemers", "starters", "inwoners",
    # interns and trainees are not staff
    "stagiairs", "stagiaires", "praktikanten",
]
# ... and as whole words only: "verkopers", "slagers", "behangers", "barbiers" are staff.
NOT_STAFF_WORDS = ["kopers", "ouders", "lopers", "anders", "immers", "elders", "eters", "biers",
                   "lagers", "hangers"]
# Plural nouns for people that are staff only when the words around say so ("5 mensen in
# dienst", "we zijn 4 mensen", "3 jongens in de werkplaats"), not in "ik heb 2 jongens".
WEAK_PERSON_NOUNS = ["mensen", "personen", "koppen", "jongens", "meiden", "meisjes", "dames",
                     "heren", "mannen", "vrouwen", "studenten", "scholieren", "broers", "zussen",
                     "partners", "zakenpartners"]


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace("'", "['’]") for w in words)


_STAFF_BODY = (rf"(?!(?:{_alternatives(NOT_STAFF_WORDS)})$)"
               rf"(?!.*(?:{_alternatives(NOT_STAFF_HEADS)})$)"
               rf"(?:{_alternatives(PERSON_NOUNS)}"
               rf"|[a-zà-ÿ'’\-]{{2,}}(?:{_alternatives(STAFF_ENDINGS)}))")
STAFF_NOUN = rf"^{_STAFF_BODY}$"
STAFF_OR_WEAK_NOUN = rf"^(?:{_STAFF_BODY}|{_alternatives(WEAK_PERSON_NOUNS)})$"

STAFF_ADJECTIVES = ["vaste", "vast", "fulltime", "parttime", "eigen", "pedagogisch", "pedagogische",
                    "losse", "flexibele", "fte", "man", "fulltime-", "part-time", "full-time",
                    "ervaren", "betaalde", "echte", "goede", "jonge"]
MODIFIERS = ["ongeveer", "ong", "ong.", "zo'n", "zon", "circa", "ca", "ca.", "rond", "rond de",
             "ruim", "bijna", "pakweg", "plusminus", "+/-", "een", "stuk", "of", "eh", "ehm",
             "totaal", "in", "maar", "nog", "net", "iets", "meer", "dan", "boven", "de"]
SELF = ["ik", "ikzelf", "mezelf", "mijzelf", "mij"]
TEAM_NOUNS = ["team", "ploeg", "crew", "staf", "bezetting", "personeelsbestand",
              "teampje", "clubje", "bedrijf", "bedrijfje", "zaak", "zaakje", "praktijk", "kantoor",
              "bureau", "salon", "winkel", "onderneming"]
SOLO = [
    [{"LOWER": {"IN": ["zzp'er", "zzper", "zzp", "zzp’er", "eenmanszaak", "eenpitter",
                       "eenmanszaakje", "eenmansbedrijf", "eenmansbedrijfje", "solo-ondernemer",
                       "soloondernemer", "solo"]}}],
    [{"LOWER": {"IN": ["werk", "werken"]}}, {"LOWER": "ik", "OP": "?"},
     {"LOWER": {"IN": ["helemaal", "echt", "nog", "gewoon", "momenteel", "nu"]}, "OP": "?"},
     {"LOWER": "alleen"}],
    [{"LOWER": "alleen"}, {"LOWER": {"IN": ["ik", "mezelf", "mij", "ikzelf"]}}],
    [{"LOWER": "in"}, {"LOWER": {"IN": ["m'n", "mijn", "mn", "m’n"]}},
     {"LOWER": {"IN": ["eentje", "uppie", "up"]}}],
    [{"LOWER": {"IN": ["doe", "run", "draai"]}}, {"LOWER": "ik", "OP": "?"},
     {"LOWER": {"IN": ["alles", "het", "de", "zaak", "bedrijf"]}, "OP": "?"},
     {"LOWER": {"IN": ["alles", "zaak", "bedrijf"]}, "OP": "?"}, {"LOWER": "alleen"}],
    [{"LOWER": {"IN": ["doe", "regel"]}}, {"LOWER": "ik", "OP": "?"}, {"LOWER": "alles"},
     {"LOWER": {"IN": ["zelf", "alleen"]}}],
    [{"LOWER": {"IN": ["heb", "hebt"]}}, {"LOWER": "ik", "OP": "?"}, {"LOWER": "geen"},
     {"LOWER": {"IN": ["personeel", "medewerkers", "werknemers", "collega's", "collegas"]}}],
    [{"LOWER": "zonder"}, {"LOWER": "personeel"}],
]


def _optional(words: list[str], times: int = 1) -> list[dict]:
    return [{"LOWER": {"IN": words}, "OP": "?"} for _ in range(times)]


def _repeat(spec: dict, least: int, most: int) -> list[dict]:
    """`spec` least..most times. Never an open '+' or '*': on a message of 2000 number words
    those make the matcher propose millions of spans."""
    return [dict(spec)] * least + [{**spec, "OP": "?"}] * (most - least)


def employee_patterns() -> list[list[dict]]:
    noun = {"LOWER": {"REGEX": STAFF_NOUN}}
    weak = {"LOWER": {"IN": WEAK_PERSON_NOUNS}}
    staff = {"LOWER": {"REGEX": STAFF_OR_WEAK_NOUN}}
    zn = {"LOWER": {"IN": ["z'n", "zn", "zijn", "ons", "z’n", "zun"]}}
    collective = {"LOWER": {"REGEX": COLLECTIVES}}
    mods = _optional(MODIFIERS, 3)
    adjectives = _optional(STAFF_ADJECTIVES, 2)
    in_service = [*_optional(["personeel"]), *_optional(["in", "werkzaam"]),
                  *_optional(["dienst", "loondienst"])]
    return [
        [{"LOWER": "met"}, zn, collective],
        [{"LOWER": "met"}, {"LOWER": "z"}, {"LOWER": {"IN": ["’n", "'n"]}}, collective],
        [{"LOWER": {"IN": ["we", "wij", "ons"]}},
         {"LOWER": {"REGEX": r"^(tweeën|tweeen|tweetjes|drieën)$"}}],
        [{"LOWER": {"REGEX": r"^(tweeën|tweeen|tweetjes|drieën|drieen)$"}}],
        # "8 beveiligers", "vijf dakdekkers", "12 vaste krachten in dienst"
        [NUM_NO_ONE, *adjectives, noun, *in_service],
        # "5 mensen in dienst", "3 jongens in de werkplaats": the context decides (bot/entities)
        [NUM_NO_ONE, *adjectives, weak, *in_service],
        [{"LOWER": {"IN": SELF}}, {"LOWER": {"IN": ["en", "plus", "+", "met"]}}, *mods,
         NUM_NO_ONE, *adjectives, {**staff, "OP": "?"}],
        [{"LOWER": "met"}, *mods, NUM_NO_ONE, *adjectives, weak],
        [{"LOWER": {"REGEX": r"^werk(en|t)$"}}, {"OP": "?"}, {"OP": "?"}, {"OP": "?"},
         NUM_NO_ONE, *adjectives, staff],
        # "een team van zes", "een ploeg van 8 man"
        [{"LOWER": {"IN": TEAM_NOUNS}}, {"LOWER": "van"}, *mods, NUM_NO_ONE, *adjectives,
         {**staff, "OP": "?"}],
        # "ons team bestaat uit 7 mensen"
        [{"LOWER": {"IN": ["bestaat", "bestaan", "bestond", "bestonden"]}}, {"LOWER": "uit"},
         *mods, NUM_NO_ONE, *adjectives, {**staff, "OP": "?"}],
        # with the staff noun when there is one, so that this longer candidate is the right
        # one ("werken met 12 vaste krachten"); "werken met 3 systemen" is dropped later
        [{"LOWER": {"IN": ["zijn", "werken"]}}, {"LOWER": "met"}, *mods, NUM_NO_ONE,
         *adjectives, {**staff, "OP": "?"}],
        # "we zijn 7 mensen", "nu zijn we zes man", "zijn we met 8"
        [{"LOWER": "zijn"}, *_optional(["we", "wij"]),
         *_optional(["nu", "inmiddels", "momenteel", "al", "met"], 2), *mods, NUM_NO_ONE,
         *adjectives, {**staff, "OP": "?"}],
        [{"LOWER": "een"}, {"LOWER": {"IN": ["man", "stuk"]}}, {"LOWER": "of"}, NUM_NO_ONE,
         {**staff, "OP": "?"}],
        *SOLO,
    ]


# --- phone
PHONE_ONE_TOKEN = r"^(\+31|0031|0)[\d\-().]{8,}$"
PHONE_START = r"^(\+31|0031|\+?31|\(?0\d{1,3}\)?|0\d{1,3}-\d*|\+31\(0\)\d*|\+31[\d\-]*)$"
PHONE_CONT = r"^[\d\-().\/]+$"


def phone_patterns() -> list[list[dict]]:
    cont = {"TEXT": {"REGEX": PHONE_CONT}}
    return [
        [{"TEXT": {"REGEX": PHONE_ONE_TOKEN}}],
        [{"TEXT": {"REGEX": PHONE_START}}, *_repeat(cont, 1, 7)],
        [{"ORTH": "("}, {"TEXT": {"REGEX": r"^0\d{1,3}$"}}, {"ORTH": ")"}, *_repeat(cont, 0, 6)],
        [{"LOWER": {"IN": ["nul", "plus"]}}, *_repeat(DIGIT_WORD, 2, 11)],
    ]


# --- postcode
# Two-letter words that follow a number in ordinary sentences ("in 2018 is", "1500 op").
NOT_POSTCODE_LETTERS = [
    "en", "in", "op", "is", "te", "de", "om", "af", "al", "na", "nu", "ik", "je", "ze", "we",
    "er", "of", "ja", "zo", "la", "ga", "ma", "di", "wo", "do", "vr", "za", "zo", "st", "km",
    "pm", "am", "ok", "et", "tv", "pc", "bv", "eu", "cm", "mm", "kg", "xl", "ah", "oh", "ca",
    "dr", "mr", "ir", "ds", "nr", "vs", "hè", "he", "uu", "ov", "ct", "mb", "gb", "kb", "m2",
    "m3", "pp", "ex", "by", "to", "at", "as", "an", "it", "no", "so", "up", "me", "be", "go",
    "ns", "sa", "sd", "ss", "ie", "zn", "mn", "dn", "dt", "hr", "hh", "ml", "dl", "cl",
]
LETTER_NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "bee", "cee", "dee",
                "ee", "ef", "gee", "ha", "jee", "ka", "el", "em", "oo", "pee", "kuu", "ku",
                "er", "es", "tee", "uu", "vee", "wee", "iks", "ij", "zet", "ie"]


def postcode_patterns() -> list[list[dict]]:
    letter = {"LOWER": {"IN": LETTER_NAMES}}
    key_words = {"LOWER": {"IN": ["postcode", "pc", "postcode:", "pc:"]}}
    fillers = _optional(["is", "eh", "ehm", "uh", ":", "dat", "die", "de", "nou"], 3)
    return [
        [{"TEXT": {"REGEX": r"^[1-9]\d{3}-?[A-Za-z]{2}$"}}],
        [{"TEXT": {"REGEX": r"^[1-9]\d{3}$"}}, {"TEXT": {"REGEX": r"^[A-Za-z]{2}$"},
                                               "LOWER": {"NOT_IN": NOT_POSTCODE_LETTERS}}],
        [{"TEXT": {"REGEX": r"^[1-9]\d{3}$"}}, {"TEXT": {"REGEX": r"^[A-Z]{2}$"}}],
        [{"TEXT": {"REGEX": r"^[1-9]\d{3}$"}}, {"TEXT": {"REGEX": r"^[A-Za-z]$"}},
         {"TEXT": {"REGEX": r"^[A-Za-z]$"}}],
        [key_words, *fillers, {"TEXT": {"REGEX": r"^[1-9]\d{3}$"}},
         {"TEXT": {"REGEX": r"^[A-Za-z]{2}$"}}],
        [key_words, *fillers, *_repeat(DIGIT_WORD, 1, 4), letter, letter],
    ]


# --- KvK-nummer
KVK_KEY = r"^(kvk|kvk-?nummer|kvk-?nr\.?|kvknummer|kvk-nr|inschrijfnummer|kvk:|kvk\?)$"
KVK_FILLERS = ["is", "nummer", "nr", "nr.", ":", "-", "eh", "ehm", "?", "=", "van", "de", "onder",
               "het", "nummer:", "luidt", "mijn", "ons", "zijn", "staat"]


def kvk_patterns() -> list[list[dict]]:
    fillers = _optional(KVK_FILLERS, 4)
    number = {"TEXT": {"REGEX": r"^[\d.]+$"}}
    return [
        [{"TEXT": {"REGEX": r"^[1-9]\d{7}$"}}],
        [{"LOWER": {"REGEX": r"^kvk\W{0,3}\d{8}$"}}],
        [{"LOWER": {"REGEX": KVK_KEY}}, *fillers, *_repeat(number, 1, 8)],
        [{"LOWER": {"REGEX": KVK_KEY}}, *fillers, *_repeat(DIGIT_WORD, 1, 8)],
        [{"LOWER": "kamer"}, {"LOWER": "van"}, {"LOWER": "koophandel"}, *fillers,
         *_repeat(number, 1, 8)],
        [{"LOWER": "kamer"}, {"LOWER": "van"}, {"LOWER": "koophandel"}, *fillers,
         *_repeat(DIGIT_WORD, 1, 8)],
    ]


# --- e-mail
EMAIL_STOP = ["is", "op", "naar", "mail", "mailen", "e-mail", "email", "mailadres", "e-mailadres",
              "emailadres", "adres", "me", "mij", "mijn", "m'n", "mn", "het", "dat", "via", "eh",
              "ehm", "uh", "nou", "ja", "dus", "en", "of", "maar", "stuur", "kan", "je", "u",
              "graag", "bereiken", "bereikbaar", "privé", "zakelijk", "gewoon", "dan", "was",
              "wordt", "heet", "luidt"]
AT_WORDS = ["apenstaartje", "at", "@", "apestaartje", "appenstaartje"]
DOT_WORDS = ["punt", "dot"]
DOMAIN_STOP = ["is", "en", "of", "maar", "dus", "eh", "ehm", "uh"]
TLDS = ["nl", "com", "be", "org", "net", "eu", "info", "de", "nu", "biz", "io", "online",
        "shop", "frl", "amsterdam", "co", "uk"]


def email_patterns() -> list[list[dict]]:
    local = _repeat({"LOWER": {"NOT_IN": EMAIL_STOP + AT_WORDS}, "IS_PUNCT": False}, 1, 6)
    domain = _repeat({"LOWER": {"NOT_IN": DOT_WORDS + AT_WORDS + DOMAIN_STOP},
                      "IS_PUNCT": False}, 1, 3)
    dot, tld = {"LOWER": {"IN": DOT_WORDS}}, {"LOWER": {"IN": TLDS}}
    return [
        [{"LIKE_EMAIL": True}],
        [{"TEXT": {"REGEX": r"^[\w.+\-]+@[\w\-]+(\.[\w\-]+)*\.[A-Za-z]{2,}$"}}],
        # the tokenizer splits at a period before a capital: "Info@Zaak-Groen" "." "NL"
        [{"TEXT": {"REGEX": r"^[\w.+\-]+@[\w\-.]+$"}, "SPACY": False},
         {"ORTH": ".", "SPACY": False}, {"TEXT": {"REGEX": r"^[A-Za-z]{2,6}$"}}],
        # written so that spam bots miss it: "hallo(at)zaak.nl", "hallo [at] zaak.nl"
        [{"TEXT": {"REGEX": r"^[\w.+\-]+$"}}, {"ORTH": {"IN": ["(", "["]}}, {"LOWER": "at"},
         {"ORTH": {"IN": [")", "]"]}}, {"TEXT": {"REGEX": r"^[\w\-]+(\.[\w\-]+)+$"}}],
        [{"TEXT": {"REGEX": r"^[\w.+\-]+$"}}, {"ORTH": "@"},
         {"TEXT": {"REGEX": r"^[\w\-]+(\.[\w\-]+)+$"}}],
        [*local, {"LOWER": {"IN": AT_WORDS}}, *domain, dot, tld],
        [*local, {"LOWER": {"IN": AT_WORDS}}, *domain, dot, {"LOWER": {"NOT_IN": DOT_WORDS}},
         dot, tld],
    ]


# --- the lexicons
def phrase_variants(name: str) -> list[str]:
    """Spellings to add as phrase patterns: the tokenizer splits some casings differently."""
    variants = {name, name.lower(), name.title()}
    return sorted(v for v in variants if v.strip())


def place_patterns() -> list[dict]:
    out = []
    for spelling, place in gazetteer.places().items():
        for variant in phrase_variants(spelling):
            out.append({"label": "place", "pattern": variant, "id": place.name})
        if spelling != place.name.lower():
            continue
        for variant in phrase_variants(place.name):
            out.append({"label": "place", "pattern": variant, "id": place.name})
    return out


def sector_patterns() -> list[dict]:
    return [{"label": "sector", "pattern": variant, "id": form.sector}
            for phrase, form in gazetteer.sector_forms().items()
            for variant in phrase_variants(phrase)]


def patterns() -> list[dict]:
    """Every pattern for the EntityRuler, as passed to `ruler.add_patterns`."""
    token_patterns = {
        "email": email_patterns(), "phone": phone_patterns(), "postcode": postcode_patterns(),
        "kvk": kvk_patterns(), "employees": employee_patterns(),
    }
    out = [{"label": label, "pattern": pattern}
           for label, items in token_patterns.items() for pattern in items]
    seen = set()
    for item in place_patterns() + sector_patterns():
        marker = (item["label"], item["pattern"])
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
