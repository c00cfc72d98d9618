"""Where an employer came from: a `bron`, else an external referrer; never the site itself or its own labels."""

from __future__ import annotations

import pytest

from wsp_site.services.leads.sources import VisitSource, arrival_source, clean_bron, external_referrer, own_hosts

OWN = own_hosts("http://127.0.0.1:5000", "wsp.example:8080")


def test_own_hosts_are_the_site_url_and_the_request_host():
    assert {"127.0.0.1", "wsp.example"} == OWN


@pytest.mark.parametrize(
    "bron",
    [
        "",
        "   ",
        "wegwijzer",
        "Wegwijzer",
        "127.0.0.1",
        "127.0.0.1:5000",
        "http://127.0.0.1:5000/instrumenten",
        "wsp.example",
    ],
)
def test_the_site_itself_is_never_a_source(bron):
    assert clean_bron(bron, OWN) is None
    assert arrival_source(bron, "http://wsp.example:8080/gemeenten/polderdam", OWN) is None


@pytest.mark.parametrize("bron", ["lopik.nl", "embed-polderdam", "https://www.lopik.nl/werk"])
def test_a_bron_from_elsewhere_is_kept_as_sent(bron):
    assert arrival_source(bron, None, OWN) == VisitSource(bron=bron, referrer=None)


def test_an_external_referrer_gives_its_host_and_loses_its_query():
    found = arrival_source(None, "https://user:pw@www.lopik.nl/werk/werkgevers?naam=x#top", OWN)
    assert found == VisitSource(bron="www.lopik.nl", referrer="https://www.lopik.nl/werk/werkgevers")


def test_a_bron_wins_over_the_referrer_and_both_are_kept():
    found = arrival_source("lopik.nl", "https://www.lopik.nl/", OWN)
    assert found == VisitSource(bron="lopik.nl", referrer="https://www.lopik.nl/")


@pytest.mark.parametrize(
    "referrer", ["android-app://x", "not a url", "ftp://files.example/x", "http://127.0.0.1:5000/"]
)
def test_odd_or_own_referrers_say_nothing(referrer):
    assert external_referrer(referrer, OWN) is None


def test_a_tampered_session_value_is_read_safely():
    assert VisitSource.from_dict("x") is None
    assert VisitSource.from_dict({"bron": 3, "referrer": "r" * 900}) == VisitSource(bron=None, referrer="r" * 500)
