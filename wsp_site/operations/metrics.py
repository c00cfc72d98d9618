"""Prometheus metrics: request counts and latency per endpoint (prometheus-flask-exporter) and the service's own
gauges, read from the database at each scrape (outbox pending/failed and the oldest due message's age, leads
without an owner — always 0 —, overdue leads).

Each app has its own registry, so creating several apps in one process (the tests) never registers a metric twice.
Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR (deploy/ does): every worker then writes its counts
to files there and `/metrics` adds them up, whichever worker answers."""

from __future__ import annotations

import datetime as dt
import os

from flask import Flask, Response, current_app
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy import and_, func, or_, select

from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db, limiter
from wsp_site.models import Lead, OutboxMessage, User
from wsp_site.operations import bp

# The endpoint, never the path: a path can carry a status-link token.
GROUP_BY = "endpoint"
NOT_MEASURED = ("/metrics", "/healthz", "/readyz", "/static/")


class ServiceCollector:
    """The service's own state, counted when Prometheus asks (a handful of indexed counts).


    Registered only on the registry of one scrape (inside the /metrics request), never at start-up."""

    def collect(self):
        now = utcnow()
        statuses = dict(
            db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        )
        oldest = db.session.scalar(
            select(func.min(OutboxMessage.next_attempt_at)).where(
                OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
            )
        )
        # "Without an owner": none at all (the schema forbids it), or an open lead whose owner was deactivated.
        unowned = db.session.scalar(
            select(func.count())
            .select_from(Lead)
            .outerjoin(User, User.id == Lead.owner_id)
            .where(or_(User.id.is_(None), and_(User.active.is_(False), Lead.status != "closed")))
        )
        overdue = db.session.scalar(select(func.count()).select_from(Lead).where(Lead.is_overdue(local_today(now))))
        outbox = GaugeMetricFamily("wsp_outbox_messages", "Outbox messages by status", labels=["status"])
        for status in ("pending", "sending", "sent", "failed"):
            outbox.add_metric([status], statuses.get(status, 0))
        yield outbox
        age = 0.0 if oldest is None else max(0.0, (now - _aware(oldest)).total_seconds())
        yield GaugeMetricFamily(
            "wsp_outbox_oldest_due_age_seconds", "How long the oldest due outbox message has waited", value=age
        )
        yield GaugeMetricFamily(
            "wsp_leads_without_owner", "Open leads without an active owner (should always be 0)", unowned
        )
        yield GaugeMetricFamily("wsp_leads_overdue", "Leads past their first-contact date, not contacted", overdue)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def init_app(app: Flask) -> None:
    multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    registry = CollectorRegistry()
    PrometheusMetrics(
        app,
        path=None,
        registry=registry,
        group_by=GROUP_BY,
        excluded_paths=[f"^{prefix}" for prefix in NOT_MEASURED],
        defaults_prefix="wsp",
        export_defaults=True,
    )
    app.extensions["wsp_metrics"] = (registry, multiprocess)


@bp.get("/metrics")
@limiter.exempt
def metrics():
    registry, multiprocess = current_app.extensions["wsp_metrics"]
    scrape = CollectorRegistry()
    if multiprocess:
        from prometheus_client import multiprocess as mp

        mp.MultiProcessCollector(scrape)
    else:
        scrape.register(_Forward(registry))
    scrape.register(ServiceCollector())
    response = Response(generate_latest(scrape), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


class _Forward:
    """Collect another registry's metrics into this scrape."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def describe(self):
        return []

    def collect(self):
        return self.registry.collect()
