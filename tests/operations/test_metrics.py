"""Prometheus metrics: per endpoint (never per path, which can hold a token) and the service's own gauges."""

from __future__ import annotations

import datetime as dt

from prometheus_client.parser import text_string_to_metric_families

from tests.factories import make_lead, make_user


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_counted_per_endpoint(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/").status_code == 200
    after = scrape(client)
    key = {"endpoint": "public.home", "method": "GET", "status": "200"}
    assert (
        value(after, "wsp_http_request_duration_seconds_count", **key)
        - value(before, "wsp_http_request_duration_seconds_count", **key)
        == 3
    )


def test_no_path_or_token_in_the_metrics(client):
    client.get("/aanvraag/geheim-token-123")
    text = client.get("/metrics").get_data(as_text=True)
    assert "geheim-token-123" not in text
    assert "/aanvraag" not in text


def test_service_gauges(app, client, db, region):
    samples = scrape(client)
    assert value(samples, "wsp_leads_without_owner") == 0
    overdue_before = value(samples, "wsp_leads_overdue")

    make_lead(db, region, due_on=dt.date(2020, 1, 6), created_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC))
    gone = make_user(db, region, active=False)
    later = dt.date(2099, 1, 5)
    make_lead(db, region, owner=gone, due_on=later)
    make_lead(
        db, region, owner=make_user(db, region, active=False), status="closed", due_on=later
    )  # closed: nobody needs to act
    db.session.flush()

    samples = scrape(client)
    assert value(samples, "wsp_leads_overdue") == overdue_before + 1
    assert value(samples, "wsp_leads_without_owner") == 1
    for status in ("pending", "sending", "sent", "failed"):
        assert ("wsp_outbox_messages", (("status", status),)) in samples
    assert value(samples, "wsp_outbox_oldest_due_age_seconds") >= 0
