"""What each theme is about, as word stems: the domain knowledge of shared/DOMAIN.md written down
(online marketing & sales: being found and selling online; data: knowing the business and its
customers from figures; automatisering: efficient processes, the right hardware and software;
overig: the extensions: cybersecurity, privacy, skills and HR, sustainability, financing, legal,
and the entrepreneur who does not know yet). The theme model uses the hits as extra features
next to the words it learns from the training data, so a rare but telling word ("phishing",
"verwerkersovereenkomst") counts even when the examples never used it.

Patterns are matched against bot.parsing.normalise(text) (lower case, no emoji)."""

from __future__ import annotations

import math
import re

LEXICON: dict[str, list[str]] = {
    "online_marketing_sales": [
        r"website|\bsite\b|webpagina|homepage",
        r"webshop|webwinkel|web shop|e-?commerce|online winkel",
        r"online (verkop|verkoop|bestel|zichtbaar|gevonden|vindbaar)",
        r"\bseo\b|google|vindbaar|gevonden worden|zoekmachine",
        r"social(e)? media|socials|instagram|insta\b|facebook|tiktok|linkedin|pinterest|youtube",
        r"advertent|adverter|\bads\b|campagne|promot|reclame|flyer",
        r"nieuwsbrief|mailchimp|mailing",
        r"review|recensie|sterren",
        r"(nieuwe|meer|jonge|andere) klanten|klanten (werven|trekken|bereiken|binnenhalen)",
        r"naamsbekendheid|bekendheid|zichtbaar|zichtbaarheid",
        r"marketing|sales|verkoop|verkopen|verkocht|omzet verhogen",
        r"bol\.com|marktplaats|amazon|etsy|platform",
        r"reserve?er|online (boek|afspra)|boekingen",
        r"\bposts?\b|volgers|content|vlog|blog",
        r"logo|huisstijl|branding|uitstraling",
        r"conversie|bezoekers|bounce|winkelmand",
    ],
    "data": [
        r"\bdata\b|datagedreven",
        r"cijfers|getallen|kengetallen|\bkpi",
        r"inzicht|overzicht|grip op",
        r"dashboard|power ?bi|tableau|looker|grafiek|visualis",
        r"excel|spreadsheet|sheets",
        r"analys|analyse|analyseren|statistiek|verbanden",
        r"rapport|rapportage",
        r"voorspel|prognose|trend|seizoen",
        r"marge|winstgevend|rendabel|kostprijs|wat (levert|kost)",
        r"welke (producten|klanten|diensten|artikelen)",
        r"meten|meetbaar|bijhouden|registreren",
        r"klantgegevens|klantdata|klantbestand|gegevens (analys|gebruik|combin|koppel)",
        r"database|bestand(en)? (koppel|samenvoeg)",
        r"\bcrm\b",
    ],
    "automatisering": [
        r"automatis|automatisch|vanzelf",
        r"handmatig|met de hand|handwerk|overtik|overtyp",
        r"dubbel (invoer|werk|invoeren)|twee keer invoer",
        r"papier|papieren|formulier|ordner|map(pen)?\b",
        r"factu|offerte|bonnetje|bonnen|declar",
        r"planning|plannen|rooster|inplannen|agenda",
        r"uren(registratie|briefje|staat)?|urenregistratie|tijdregistratie",
        r"boekhoud|administratie|exact|moneybird|e-boekhouden|twinfield",
        r"koppel|koppeling|integratie|api\b",
        r"software|pakket|programma|applicatie|\bapp\b|tool",
        r"systeem|erp|kassa|pin ?automaat",
        r"digitalis|digitaal maken|paperless|papierloos",
        r"proces|workflow|stappen",
        r"efficien|efficiën|tijd kwijt|kost (veel|te veel|zoveel) tijd|sneller werken",
        r"cloud|server|laptop|computer|\bpc\b|netwerk|wifi|printer|hardware|telefooncentrale|werkplek",
        r"scan|digitaal ondertekenen|handtekening",
        r"chatbot|\bai\b|kunstmatige intelligentie|robot",
        r"voorraad(beheer)?|orderverwerk|bestellingen verwerk|pakbon",
    ],
    "overig": [
        r"hack|gehackt|phishing|virus|ransomware|malware|cyber|beveilig|wachtwoord|verificatie|2fa",
        r"nep(mail|bericht|factuur)?|oplicht|fraude|losgeld|datalek|gestolen|inbraak",
        r"\bavg\b|privacy|gdpr|verwerkersovereenkomst|persoonsgegevens|cookie|bewaartermijn",
        r"subsidie|financiering|lening|regeling|fonds|investeringssteun|mkb-?deal|\bslim\b|\bmit\b",
        r"duurza|energie|co2|circulair|hergebruik|afval",
        r"zonnepanel|van het gas|warmtepomp|stikstof|klimaat",
        r"personeel (vinden|werven)|vacature|werving|\bhr\b|sollicit|arbeidsmarkt|nieuwe mensen",
        r"cursus|training|opleid|workshop|vaardigheden|vaardig|bijscholen|leren omgaan|\bllo\b",
        r"contract|juridisch|aansprakelijk|wetgeving|\bwet\b|regels",
        r"rechten|advocaat|voorwaarden|licentie",
        r"verzekering|overdracht|opvolg|opvolger|toekomst",
        r"waar (moet ik )?(te )?beginnen|iets met digitali",
        r"toekomstbestendig|achterlopen|achter lopen",
        r"(geen idee|weet (ik )?niet) (wat|waar|hoe)|mogelijkheden",
    ],
}

THEMES = tuple(LEXICON)
_COMPILED = [(theme, re.compile(pattern)) for theme, patterns in LEXICON.items()
             for pattern in patterns]
N_FEATURES = len(_COMPILED) + len(THEMES)


def lexicon_features(normalised: str) -> list[float]:
    """One 0/1 feature per pattern, then log(1 + hits) per theme."""
    hits = [1.0 if pattern.search(normalised) else 0.0 for _, pattern in _COMPILED]
    per_theme = dict.fromkeys(THEMES, 0.0)
    for hit, (theme, _) in zip(hits, _COMPILED, strict=True):
        per_theme[theme] += hit
    return hits + [math.log1p(per_theme[theme]) for theme in THEMES]


def matched(normalised: str) -> dict[str, list[str]]:
    """Which patterns matched, per theme (for explanations and tests)."""
    found: dict[str, list[str]] = {}
    for theme, pattern in _COMPILED:
        m = pattern.search(normalised)
        if m:
            found.setdefault(theme, []).append(m.group(0))
    return found
