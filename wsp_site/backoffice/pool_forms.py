"""Forms of the candidate pool in the back office: a profile, a consent. The views fill in the choices; what a
valid profile is, is decided by schemas.pool and services.pool.profiles (the free-text check among it)."""

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from wsp_site.backoffice.admin_forms import AdminForm, only_listed
from wsp_site.schemas.pool import MAX_HOURS, MAX_TEXT
from wsp_site.vocabulary import (
    AGE_BAND_LABELS,
    CANDIDATE_SITUATIONS,
    CONSENT_SCOPE_LABELS,
    DUTCH_LEVEL_LABELS,
    EDUCATION_LEVEL_LABELS,
    TARGET_GROUP_LABELS,
    WORK_FORM_LABELS,
)

REQUIRED = _l("Vul dit in.")
CHOOSE = _l("Maak een keuze.")


class ProfileForm(AdminForm):
    # the personal part
    name = StringField(validators=[DataRequired(REQUIRED), Length(max=200)])
    contact = StringField(validators=[DataRequired(REQUIRED), Length(max=300)])
    situation = SelectField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    age_band = SelectField(validators=[Optional(), only_listed], validate_choice=False)
    municipality = SelectField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    consultant = SelectField(validators=[Optional(), only_listed], validate_choice=False)
    # the public part
    occupation_1 = SelectField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    occupation_2 = SelectField(validators=[Optional(), only_listed], validate_choice=False)
    occupation_3 = SelectField(validators=[Optional(), only_listed], validate_choice=False)
    work_forms = SelectMultipleField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    hours_min = IntegerField(
        validators=[InputRequired(REQUIRED), NumberRange(0, MAX_HOURS, _l("Tussen 0 en %(max)s uur."))]
    )
    hours_max = IntegerField(
        validators=[InputRequired(REQUIRED), NumberRange(1, MAX_HOURS, _l("Tussen 1 en %(max)s uur."))]
    )
    available_from = DateField(validators=[InputRequired(REQUIRED)])
    travel_km = IntegerField(validators=[InputRequired(REQUIRED), NumberRange(0, 200, _l("Tussen 0 en 200 km."))])
    education_level = SelectField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    driving_licence = BooleanField()
    dutch_level = SelectField(validators=[DataRequired(CHOOSE), only_listed], validate_choice=False)
    about = TextAreaField(validators=[Length(max=MAX_TEXT)])
    support = TextAreaField(validators=[Length(max=MAX_TEXT)])

    def validate_hours_max(self, field) -> None:
        if self.hours_min.data is not None and field.data is not None and field.data < self.hours_min.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Het maximum is kleiner dan het minimum."))

    def profile_data(self) -> dict:
        occupations = [o for o in (self.occupation_1.data, self.occupation_2.data, self.occupation_3.data) if o]
        return {
            "name": self.name.data,
            "contact": self.contact.data,
            "situation": self.situation.data,
            "age_band": self.age_band.data or None,
            "municipality": self.municipality.data,
            "consultant": self.consultant.data or None,
            "occupations": list(dict.fromkeys(occupations)),
            "work_forms": self.work_forms.data,
            "hours_min": self.hours_min.data,
            "hours_max": self.hours_max.data,
            "available_from": self.available_from.data,
            "travel_km": self.travel_km.data,
            "education_level": self.education_level.data,
            "driving_licence": bool(self.driving_licence.data),
            "dutch_level": self.dutch_level.data,
            "about": self.about.data or "",
            "support": self.support.data or "",
        }


class ConsentForm(AdminForm):
    scope = RadioField(validators=[InputRequired(CHOOSE), only_listed], validate_choice=False)
    show_health = BooleanField()
    confirmed = BooleanField(
        validators=[DataRequired(_l("Bevestig dat de kandidaat de toestemmingstekst heeft gelezen en ermee instemt."))]
    )


def fill_choices(form: ProfileForm, region) -> None:
    """The choices of a profile form: the region's municipalities and keepers, the occupation list, the codes."""
    from sqlalchemy import select

    from wsp_site.extensions import db
    from wsp_site.models import User
    from wsp_site.services import catalogue
    from wsp_site.services.pool import occupations, profiles

    occupation_choices = [SelectChoice("", _l("Kies een beroep"))] + [
        SelectChoice(code, title) for code, title in occupations.options("nl")
    ]
    form.situation.choices = [SelectChoice(s, str(TARGET_GROUP_LABELS[s])) for s in CANDIDATE_SITUATIONS]
    form.age_band.choices = [SelectChoice("", _l("Niet vastgelegd"))] + [
        SelectChoice(k, str(v)) for k, v in AGE_BAND_LABELS.items()
    ]
    form.municipality.choices = [SelectChoice(str(m.id), m.name) for m in catalogue.municipalities(region)]
    keepers = db.session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.name))
    form.consultant.choices = [SelectChoice("", _l("Ikzelf"))] + [
        SelectChoice(str(u.id), u.name) for u in keepers if u.has_role(*profiles.KEEPERS)
    ]
    for field in (form.occupation_1, form.occupation_2, form.occupation_3):
        field.choices = occupation_choices
    form.work_forms.choices = [SelectChoice(k, str(v)) for k, v in WORK_FORM_LABELS.items()]
    form.education_level.choices = [SelectChoice(k, str(v)) for k, v in EDUCATION_LEVEL_LABELS.items()]
    form.dutch_level.choices = [SelectChoice(k, str(v)) for k, v in DUTCH_LEVEL_LABELS.items()]


def consent_choices(form: ConsentForm) -> None:
    form.scope.choices = [SelectChoice(k, str(v)) for k, v in CONSENT_SCOPE_LABELS.items()]
