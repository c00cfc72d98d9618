"""The vacancy form (/vacature-melden): the contact form's employer fields, inherited, plus the vacancy.

VacancyFields are the vacancy's own fields (the back office's edit form uses them too). VacancyForm is a
ContactForm with them, without the fields that are about a question (request type, the candidate,
instruments): WTForms drops a field a subclass sets to None. So the employer's name, KvK number, contact
details, location, sector, size, the privacy consent, the honeypot, the source and the one-time submission key
are the contact form's own fields with its own validation.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from wsp_site.forms import Form
from wsp_site.public.forms import ContactForm, _strip
from wsp_site.services.pool import occupations
from wsp_site.vocabulary import (
    CONTRACT_LENGTH_LABELS,
    CONTRACT_LENGTHS,
    DUTCH_LEVEL_LABELS,
    DUTCH_LEVELS,
    EDUCATION_LEVEL_LABELS,
    EDUCATION_LEVELS,
    WORK_FORM_LABELS,
    WORK_FORMS,
)

HOURS_MAX = 40
PLACES_MAX = 50
TEXT_MAX = 2000


class _DateField(DateField):
    """A date as a date input sends it (2027-02-01), with our own message when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_l("Vul een datum in zoals 2027-02-01."))) from None


class VacancyFields(Form):
    """The vacancy itself, as the employer reports it and its owner keeps it."""

    title = StringField(
        _l("Functietitel"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul de functietitel in.")), Length(max=200)],
    )
    occupation = SelectField(
        _l("Beroep"), validators=[InputRequired(_l("Kies het beroep dat het best past."))], validate_choice=False
    )
    places = IntegerField(
        _l("Aantal plaatsen"),
        default=1,
        validators=[
            InputRequired(_l("Vul het aantal plaatsen in.")),
            NumberRange(1, PLACES_MAX, _l("Vul een aantal van 1 tot en met %(max)d in.", max=PLACES_MAX)),
        ],
    )
    work_forms = SelectMultipleField(
        _l("Welke vormen van werk zijn mogelijk?"),
        choices=[SelectChoice(code, str(WORK_FORM_LABELS[code])) for code in WORK_FORMS],
        validators=[DataRequired(_l("Kies ten minste één vorm van werk."))],
    )
    hours_min = IntegerField(
        _l("Uren per week: minimaal"),
        validators=[
            InputRequired(_l("Vul het minimale aantal uren per week in.")),
            NumberRange(1, HOURS_MAX, _l("Vul een aantal uren van 1 tot en met %(max)d in.", max=HOURS_MAX)),
        ],
    )
    hours_max = IntegerField(
        _l("Uren per week: maximaal"),
        validators=[
            InputRequired(_l("Vul het maximale aantal uren per week in.")),
            NumberRange(1, HOURS_MAX, _l("Vul een aantal uren van 1 tot en met %(max)d in.", max=HOURS_MAX)),
        ],
    )
    workplace = SelectField(
        _l("In welke gemeente is de werkplek?"),
        validators=[InputRequired(_l("Kies de gemeente van de werkplek."))],
        validate_choice=False,
    )
    start_on = _DateField(_l("Gewenste startdatum"), validators=[Optional()])
    contract_length = RadioField(
        _l("Hoe lang is het contract?"),
        choices=[SelectChoice(code, str(CONTRACT_LENGTH_LABELS[code])) for code in CONTRACT_LENGTHS],
        default="weet_niet",
        validators=[InputRequired(_l("Kies hoe lang het contract is."))],
    )
    education_min = SelectField(_l("Minimale opleiding"), validators=[Optional()], validate_choice=False)
    licence_required = BooleanField(_l("Een rijbewijs B is nodig"))
    dutch_min = SelectField(_l("Minimaal niveau Nederlands"), validators=[Optional()], validate_choice=False)
    wishes = TextAreaField(_l("Wensen"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)])
    carving_tasks = TextAreaField(
        _l("Taken die iemand apart zou kunnen doen"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)]
    )
    support_coach = BooleanField(_l("Er is een vaste collega of interne coach die begeleidt"))
    support_adaptations = BooleanField(_l("De werkplek kan worden aangepast"))
    support_notes = TextAreaField(
        _l("Wat kunt u nog meer bieden?"), filters=[_strip], validators=[Optional(), Length(max=TEXT_MAX)]
    )
    public = BooleanField(_l("De vacature mag openbaar op de website staan"))

    def offers(self, field_name: str, value) -> bool:
        return any(choice.value == value for choice in self[field_name].choices or [])

    def set_vacancy_choices(self, municipalities, lang: str) -> None:
        self.workplace.choices = [SelectChoice(m.slug, m.name) for m in municipalities]
        self.occupation.choices = [SelectChoice(code, title) for code, title in occupations.options(lang)]
        self.education_min.choices = [SelectChoice(c, str(EDUCATION_LEVEL_LABELS[c])) for c in EDUCATION_LEVELS]
        self.dutch_min.choices = [SelectChoice(c, str(DUTCH_LEVEL_LABELS[c])) for c in DUTCH_LEVELS]

    def validate_occupation(self, field):
        if not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een beroep uit de lijst."))

    def validate_workplace(self, field):
        if not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een gemeente uit de lijst."))

    def validate_education_min(self, field):
        if field.data and not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een opleiding uit de lijst, of geen eis."))

    def validate_dutch_min(self, field):
        if field.data and not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een niveau uit de lijst, of geen eis."))

    def validate_hours_max(self, field):
        low = self.hours_min.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("Het maximale aantal uren is lager dan het minimale."))


class VacancyForm(ContactForm, VacancyFields):
    # About a question, not a vacancy: dropped.
    request_type = None
    candidate_municipality = None
    candidate_situation = None
    instruments = None

    message = TextAreaField(_l("Wilt u nog iets kwijt?"), filters=[_strip], validators=[Optional()])

    def set_choices(self, municipalities, instruments, lang: str, sector_labels, outside_label) -> None:
        """The contact form's choices for the fields this form keeps, and the vacancy's own."""
        self.set_employer_choices(municipalities, sector_labels, outside_label)
        self.set_vacancy_choices(municipalities, lang)
