"""Scripted entrepreneurs: what they answer to each intake question."""

BAKERY = {
    "need_description": "we hebben een bakkerij en willen brood online verkopen via een webshop, "
    "nu komen alle bestellingen via de telefoon binnen",
    "need_goal": "meer bestellingen online en minder tijd aan de telefoon",
    "need_tried": "nog niks eigenlijk",
    "need_urgency": "binnen 3 maanden",
    "theme_choice": "online marketing en verkoop",
    "company_name": "Bakkerij De Korst",
    "sector": "bakkerij",
    "employees": "we zijn met 6 man",
    "postcode": "3511 AB Utrecht",
    "place": "Utrecht",
    "kvk_number": "12345678",
    "contact_name": "Anna de Boer",
    "contact_email": "anna@bakkerijdekorst.nl",
    "contact_phone": "06-12345678",
    "source": "via de bank",
    "maturity": "een 5",
    "consent_privacy": "ja",
    "consent_followup": "ja",
    "summary_confirmed": "ja klopt",
}

SCENARIOS = {
    "happy_path": BAKERY,
    "corrections": dict(BAKERY, summary_confirmed=["nee, het zijn er 12", "nee", "ja"],
                        summary_which="wijzig e-mail",
                        contact_email=["anna@bakkerijdekorst.nl", "info@dekorst.nl"]),
    "dont_know": dict(BAKERY, need_tried="weet ik niet", kvk_number="weet ik niet",
                      source="geen idee", maturity="geen idee", contact_phone="overslaan",
                      consent_followup="nee"),
    "zzp_referred": dict(BAKERY, employees="ik werk alleen, ik ben zzp'er",
                         eligibility_insist="nee"),
    "stop": {"need_description": BAKERY["need_description"], "need_goal": "stop"},
    "handover": {"need_description": BAKERY["need_description"],
                 "need_goal": "kan ik een medewerker spreken?"},
}
