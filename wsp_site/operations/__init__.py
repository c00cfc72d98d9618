"""Operations: health checks for the load balancer, Prometheus metrics and structured logs.

`/healthz` and `/readyz` are for a load balancer, `/metrics` for Prometheus; the nginx configuration under deploy/
keeps `/metrics` internal. None of them sets a cookie, is page-cached or rate limited."""

from flask import Blueprint

bp = Blueprint("operations", __name__)
