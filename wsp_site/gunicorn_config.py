"""gunicorn settings for the site: `gunicorn -c python:wsp_site.gunicorn_config 'wsp_site:create_app()'`.

Command-line options (--workers, --bind) still apply on top of these."""

import os

# Access log to stdout, with the tokens of status and password links masked (wsp_site.access_log).
accesslog = "-"
logger_class = "wsp_site.access_log.MaskingLogger"
# Behind nginx on the same host: gunicorn itself trusts no forwarded headers; the app's ProxyFix does
# (TRUSTED_PROXIES), so there is one place that decides which hop to believe.
forwarded_allow_ips = ""

# Production logs are JSON lines (LOG_FORMAT=json, the default with WSP_ENV=production): gunicorn's own error and
# access loggers get the same formatter as the app's (wsp_site.operations.logs), personal data redacted.
if os.environ.get("LOG_FORMAT", "json" if os.environ.get("WSP_ENV") == "production" else "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "wsp_site.operations.logs.json_formatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }


def child_exit(_server, worker):
    """With several workers, Prometheus counts live in files (PROMETHEUS_MULTIPROC_DIR); a dead worker's are
    merged, not lost, and its live gauges dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
