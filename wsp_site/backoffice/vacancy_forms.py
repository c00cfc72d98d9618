"""Back-office forms of vacancies: editing (the public form's vacancy fields and a closing date), confirming,
changing the status, proposing a candidate and recording a proposal's next step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from wsp_site.forms import Form
from wsp_site.public.vacancy_forms import VacancyFields, _DateField


class VacancyEditForm(VacancyFields):
    version = HiddenField()  # the vacancy's version when the form was opened: a save after someone else's is refused
    closes_on = _DateField(_l("Sluitingsdatum"), validators=[InputRequired(_l("Vul een sluitingsdatum in."))])


class ConfirmForm(Form):
    closes_on = _DateField(
        _l("Nieuwe sluitingsdatum"), validators=[InputRequired(_l("Vul een nieuwe sluitingsdatum in."))]
    )


class StatusForm(Form):
    action = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=2000)])


class ProposeForm(Form):
    code = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Waarom stelt u deze kandidaat voor?"),
        validators=[DataRequired(_l("Schrijf op waarom u deze kandidaat voorstelt.")), Length(max=2000)],
    )


class DecideForm(Form):
    decision = SelectField(_l("Volgende stap"), validators=[DataRequired()], validate_choice=False)
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=2000)])
