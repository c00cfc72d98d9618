"""The free-text checker: every identifying text is caught, every harmless one passes (Dutch and English)."""

from __future__ import annotations

import pytest

from wsp_site.services.pool import textcheck

OWN_NAME = "Sanne van Verzonnen"

IDENTIFYING = [
    # e-mail addresses
    ("email", "Mail mij op sanne.v@example.nl voor een gesprek."),
    ("email", "Contact: kandidaat123@voorbeeld.example.com"),
    ("email", "You can reach me at jobs (at) example dot nl"),
    # phone numbers
    ("phone", "Bel gerust: 06-12345678."),
    ("phone", "Mijn nummer is 06 1234 5678"),
    ("phone", "Call me on +31 6 12 34 56 78 any time."),
    ("phone", "Telefoon 030-2345678, na vijf uur."),
    ("phone", "Phone: 0031 30 234 5678"),
    # BSN-like numbers (11-proef)
    ("bsn", "BSN 111222333 staat in het dossier."),
    ("bsn", "My citizen number is 123456782."),
    ("bsn", "Nummer: 1112.22.333"),
    # dates (of birth)
    ("date", "Geboren op 12-03-1985 in een dorp."),
    ("date", "Born 3/7/92, I am looking for work."),
    ("date", "Mijn geboortedatum is 1 april 1990."),
    ("date", "I was born on March 12, 1985."),
    ("date", "Date of birth: 1985-03-12"),
    ("date", "Ik ben geboren in een klein dorp."),
    ("date", "Verjaardag op 14 februari 2001"),
    # addresses and postcodes
    ("address", "Ik woon aan de Kerkstraat 12 in het centrum."),
    ("address", "Adres: Dorpsweg 3a."),
    ("address", "Postcode 3511 AB, vlakbij het station."),
    ("address", "I live at 221 Baker Street."),
    ("address", "Kom langs op de Molenlaan 45"),
    # names
    ("name", "Mijn naam is Fatima en ik zoek werk."),
    ("name", "Ik heet Kevin, ik ben 24."),
    ("name", "My name is Peter and I love cooking."),
    ("name", "Vraag naar mevrouw Jansen."),
    ("name", "Ask for Mr. Smith at the desk."),
    ("name", "Mijn vorige baas was Jan de Vries."),
    ("name", "References: Piet van der Berg."),
    # the candidate's own name
    ("own_name", "Sanne werkt graag in de keuken."),
    ("own_name", "Ik ben Verzonnen, en werk hard."),
    ("own_name", "sanne zoekt een baan in de zorg"),
]

HARMLESS = [
    "Ik werk nauwkeurig en houd van een vaste routine.",
    "Ik zoek werk in een magazijn, het liefst met vaste tijden.",
    "Ik ben vriendelijk tegen klanten en werk graag in een team.",
    "Schoonmaken vind ik prettig werk, vroeg beginnen is geen probleem.",
    "In de keuken voel ik me thuis. Ik wil het koksvak leren.",
    "Ik heb ervaring met heftrucks en orderpicken.",
    "Ik ben handig met de computer en werk graag met cijfers.",
    "Buiten werken geeft mij energie.",
    "Ik help graag mensen en ben geduldig.",
    "Ik sleutel graag aan fietsen en brommers.",
    "Sinds 2019 werk ik als vrijwilliger bij een voedselbank.",
    "Ik kan 40 kilo tillen en werk graag fysiek.",
    "Ik heb mbo niveau 2 logistiek gehaald in 2021.",
    "Graag de Nederlandse taal beter leren op het werk.",
    "Ik ben Nederlands en spreek ook Engels.",
    "Beschikbaar vanaf 1 maart, maandag tot en met vrijdag.",
    "Een vaste collega die het werk uitlegt.",
    "Korte werkdagen om op te bouwen, 4 uur per dag.",
    "Een rustige werkplek, geen open kantoortuin.",
    "Ik heb een heftruckcertificaat en een VCA-diploma.",
    "I work carefully and like a fixed routine.",
    "I am looking for work in a warehouse with regular hours.",
    "I am friendly to customers and enjoy working in a team.",
    "I have experience in retail and cleaning.",
    "I like working outdoors, in parks and gardens.",
    "I speak Dutch at B1 level and English fluently.",
    "A job coach helps me in the first weeks.",
    "I can start in January and work 24 hours a week.",
    "I have worked in a kitchen for 3 years.",
    "Short instructions and a quiet workplace help me.",
    "Ik werk het liefst in de buurt van Utrecht Centraal.",
    "Ik heb 12 jaar ervaring in de bouw.",
]


@pytest.mark.parametrize(("kind", "text"), IDENTIFYING, ids=[t[:40] for _k, t in IDENTIFYING])
def test_identifying_texts_are_caught(kind, text):
    found = textcheck.check(text, OWN_NAME)
    assert found, f"nothing found in {text!r}"
    assert kind in {f.kind for f in found}, f"{text!r}: found {found}, expected a {kind}"


@pytest.mark.parametrize("text", HARMLESS, ids=[t[:40] for t in HARMLESS])
def test_harmless_texts_pass(text):
    assert textcheck.check(text, OWN_NAME) == []


def test_the_table_is_big_enough():
    assert len(IDENTIFYING) >= 30 and len(HARMLESS) >= 30


@pytest.mark.parametrize(
    ("digits", "valid"), [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False)]
)
def test_elf_proef(digits, valid):
    assert textcheck.elf_proef(digits) is valid


def test_a_nine_digit_number_failing_the_elf_proef_is_no_bsn():
    assert [f.kind for f in textcheck.check("Artikelnummer 123456789 uit het magazijn.")] != ["bsn"]


def test_the_message_names_the_field_and_what_was_found(app):
    with app.test_request_context():
        finding = textcheck.check("Bel 06-12345678", "")[0]
        message = finding.message("Over mij")
    assert "Over mij" in message and "06-12345678" in message and "telefoonnummer" in message
