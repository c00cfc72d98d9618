"""Dates and numbers follow the language of the page (or of the e-mail), and moments the Netherlands' clock."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template_string
from flask_babel import force_locale

from wsp_site import formatting

DAY = dt.date(2026, 3, 4)
SUMMER_NIGHT = dt.datetime(2026, 7, 1, 23, 30, 5, tzinfo=dt.UTC)  # 01:30 on 2 July in Amsterdam


@pytest.fixture
def dutch(app):
    with app.test_request_context("/"):
        yield


@pytest.fixture
def english(app):
    with app.test_request_context("/en/", environ_base={"wsp.lang": "en"}):
        yield


def test_dutch(dutch):
    assert formatting.date_text(DAY) == "woensdag 4 maart 2026"
    assert formatting.long_date(DAY) == "4 maart 2026"
    assert formatting.short_date(DAY) == "04-03-2026"
    assert formatting.short_date(SUMMER_NIGHT) == "02-07-2026"  # the local date, not the UTC one
    assert formatting.short_time(SUMMER_NIGHT) == "01:30"
    assert formatting.short_datetime(SUMMER_NIGHT) == "02-07-2026, 01:30"
    assert formatting.short_datetime(SUMMER_NIGHT.replace(tzinfo=None), seconds=True) == "02-07-2026, 01:30:05"
    assert formatting.number(37.5) == "37,5"
    assert formatting.number(5.0, "0.#") == "5" and formatting.number(5.71, "0.#") == "5,7"
    assert formatting.number(1234) == "1234" and formatting.number(None) == "–"
    assert formatting.percent(0.0571) == "5,7%"


def test_english(english):
    # one named format for every English date (formatting.ENGLISH_DATE_FORMAT)
    assert formatting.date_text(DAY) == "March 4, 2026"
    assert formatting.long_date(DAY) == "March 4, 2026"
    assert formatting.short_date(DAY) == "March 4, 2026"
    assert formatting.short_date(SUMMER_NIGHT) == "July 2, 2026"
    assert formatting.short_time(SUMMER_NIGHT) == "1:30\u202fAM"
    assert formatting.short_datetime(SUMMER_NIGHT) == "July 2, 2026, 1:30\u202fAM"
    assert formatting.short_datetime(SUMMER_NIGHT, seconds=True) == "July 2, 2026, 1:30:05\u202fAM"
    assert formatting.number(37.5) == "37.5"
    assert formatting.percent(0.0571) == "5.7%"


def test_winter_time_is_an_hour_less(dutch):
    assert formatting.short_datetime(dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)) == "16-01-2026, 00:30"


def test_an_email_formats_in_its_own_language(english):
    with force_locale("nl"):
        assert formatting.date_text(DAY) == "woensdag 4 maart 2026"
    assert formatting.date_text(DAY) == "March 4, 2026"


def test_the_templates_filters_are_the_same_functions(app, english):
    rendered = render_template_string(
        "{{ day|long_date }} · {{ day|short_date }} · {{ moment|short_datetime }} · {{ 37.5|number }} · {{ 0.5|percent }}",
        day=DAY,
        moment=SUMMER_NIGHT,
    )
    assert rendered == "March 4, 2026 · March 4, 2026 · July 2, 2026, 1:30\u202fAM · 37.5 · 50%"
    assert set(formatting.FILTERS) <= set(app.jinja_env.filters)
