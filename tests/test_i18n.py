"""Languages (wsp_site/i18n.py): the translations of a template's _() follow the request's locale, a forced
one included."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

TEMPLATE = "{{ _('Zoeken') }}|{{ ngettext('%(num)d werkdag', '%(num)d werkdagen', 2) }}"


def test_a_templates_texts_follow_the_requests_language_and_a_forced_one(app):
    with app.test_request_context("/en/zoeken", environ_overrides={"wsp.lang": "en"}):
        assert render_template_string(TEMPLATE) == "Search|2 working days"
        with force_locale("nl"):  # an e-mail in the recipient's language, inside an English request
            assert render_template_string(TEMPLATE) == "Zoeken|2 werkdagen"
        assert render_template_string(TEMPLATE) == "Search|2 working days"
    with app.test_request_context("/zoeken"):
        assert render_template_string(TEMPLATE) == "Zoeken|2 werkdagen"
        refresh()
        assert render_template_string(TEMPLATE) == "Zoeken|2 werkdagen"
