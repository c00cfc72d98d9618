"""gunicorn settings for the site: `gunicorn -c python:wsp_site.gunicorn_config 'wsp_site:create_app()'`.

Command-line options (--workers, --bind) still apply on top of these."""

# Access log to stdout, with the tokens of status and password links masked (wsp_site.access_log).
accesslog = "-"
logger_class = "wsp_site.access_log.MaskingLogger"
# Behind nginx on the same host: gunicorn itself trusts no forwarded headers; the app's ProxyFix does
# (TRUSTED_PROXIES), so there is one place that decides which hop to believe.
forwarded_allow_ips = ""
