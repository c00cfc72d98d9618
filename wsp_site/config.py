"""Settings from environment variables, with safe embedded defaults.

Every variable is documented in README.md ("Configuration"). Secrets come only from the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# What the site reads ships inside the package, so a plain (non-editable) install has it too.
PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"  # our CSS/JS/images; static/dist/ is built by scripts/build-css.mjs
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
# What it writes (the SQLite file, the development secret) goes to ./instance of the working directory (the
# project root for scripts/run), never into the installed package.
INSTANCE_DIR = Path(os.environ.get("WSP_INSTANCE_DIR") or "instance").resolve()

_TRUE = {"1", "true", "yes", "on", "ja"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in _TRUE


def default_site_url() -> str:
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    if host in ("0.0.0.0", "::"):  # noqa: S104 - listening everywhere: link to this machine
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('PORT', '').strip() or '5000'}"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise RuntimeError(f"Environment variable {name} must be a whole number, got {value!r}") from exc


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        # SQLite creates the file but not its folder: make ./instance, so `flask wsp setup` works anywhere.
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'wsp.sqlite3'}"
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Read once when the app is created; tests pass overrides to create_app()."""

    def __init__(self) -> None:
        self.ENV_NAME = os.environ.get("WSP_ENV", "development")
        production = self.ENV_NAME == "production"
        secret = os.environ.get("SECRET_KEY", "")
        if not secret:
            if production:
                raise RuntimeError("SECRET_KEY must be set when WSP_ENV=production")
            secret = secrets.token_hex(32)
        self.SECRET_KEY = secret
        self.SQLALCHEMY_DATABASE_URI = database_url()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.WSP_REGION = os.environ.get("WSP_REGION", "midden-utrecht")
        # Unset, it follows HOST and PORT (as `wsp-site` serves them), so links in e-mails and the status link
        # point where the site actually runs.
        self.SITE_URL = (os.environ.get("SITE_URL") or default_site_url()).rstrip("/")
        self.RESPONSE_WORKING_DAYS = env_int("RESPONSE_WORKING_DAYS", 2)
        self.STALE_AFTER_MONTHS = env_int("STALE_AFTER_MONTHS", 12)
        self.SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@example.nl")
        self.PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
        self.PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
        self.PAGE_CACHE_VERSION_TTL = float(os.environ.get("PAGE_CACHE_VERSION_TTL", "1.0"))
        # Seconds each worker keeps the region's row (services.catalogue.current_region); 0: read every request.
        self.REGION_ROW_TTL = float(os.environ.get("REGION_ROW_TTL", "1.0"))
        # Parts of pages (header, footer, cards, the contact form's fields) kept per content version: fragments.py.
        self.FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
        # Computed reports are reused while the leads stay the same, for this long at most (0: off).
        self.REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 300)

        # Request bodies: Flask answers 413 above MAX_CONTENT_LENGTH; the region pack upload (a ZIP) may be larger.
        self.MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH_BYTES", 2_000_000)
        self.MAX_PACK_UPLOAD_BYTES = env_int("MAX_PACK_UPLOAD_BYTES", 10_000_000)

        # Rate limits: memory by default, Redis (or any limits storage) when set.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
        # Keeps the counts of two sites (or test runs) apart when they share one Redis.
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "wsp")
        # How many reverse proxies (nginx) stand in front of the app and set X-Forwarded-For/-Proto. 0: none, the
        # headers are ignored (anyone could send them). Werkzeug's ProxyFix takes the client address and scheme
        # from that many hops, so rate limits count per visitor and HTTPS is known (security.init_proxy).
        self.TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
        self.RATELIMIT_HEADERS_ENABLED = False
        self.CONTACT_RATE_LIMIT = os.environ.get("CONTACT_RATE_LIMIT", "5 per minute;30 per day")
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
        # The candidate pool's pages and API per address: browsing is fine, harvesting is not.
        self.POOL_RATE_LIMIT = os.environ.get("POOL_RATE_LIMIT", "60 per minute;600 per day")

        # The candidate pool: a consent holds this many months from the day it is recorded.
        self.POOL_CONSENT_MONTHS = env_int("POOL_CONSENT_MONTHS", 12)
        # Consultants are reminded in the daily digest this many days before a candidate's consent expires.
        self.POOL_CONSENT_REMINDER_DAYS = env_int("POOL_CONSENT_REMINDER_DAYS", 30)
        # A profile that left the pool (placed, consent withdrawn or expired, never consented) is erased this
        # many months later by `flask privacy purge`.
        self.POOL_RETENTION_MONTHS = env_int("POOL_RETENTION_MONTHS", 6)
        # The finder's answers for the pool's profiles (situation x municipality) kept per worker for this many
        # seconds, keyed by the region's content version; 0 switches it off.

        # Mail: written to the log by default; SMTP when MAIL_BACKEND=smtp.
        self.MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "WSP <noreply@example.nl>")
        self.SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
        self.SMTP_PORT = env_int("SMTP_PORT", 25)
        self.SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")  # none | starttls | ssl
        self.SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
        self.SMTP_TIMEOUT = env_int("SMTP_TIMEOUT", 10)
        # Backoff doubles from a minute to an hour: 30 attempts cover about a day of mail-server trouble.
        self.OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 30)

        # Cookies and sessions.
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", production)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https" if production else "http"
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
        # A staff session ends this long after sign-in however active it is (kept on the server: StaffSession).
        self.SESSION_LIFETIME_HOURS = env_int("SESSION_LIFETIME_HOURS", 10)
        self.PERMANENT_SESSION_LIFETIME = 60 * 60 * self.SESSION_LIFETIME_HOURS
        self.REQUIRE_TOTP_FOR_COORDINATORS = env_bool("REQUIRE_TOTP_FOR_COORDINATORS", False)
        self.UNSTARTED_ALERT_WORKING_DAYS = env_int("UNSTARTED_ALERT_WORKING_DAYS", 1)

        # Retention (AVG): `flask privacy purge` anonymises and deletes after these periods.
        self.RETENTION_CLOSED_MONTHS = env_int("RETENTION_CLOSED_MONTHS", 12)
        self.RETENTION_SPAM_DAYS = env_int("RETENTION_SPAM_DAYS", 30)
        self.RETENTION_OUTBOX_DAYS = env_int("RETENTION_OUTBOX_DAYS", 90)

        # Operations: logs as JSON lines in production (operations.logs), and when /readyz says "not ready".
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if production else "text")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
        self.READY_OUTBOX_BACKLOG = env_int("READY_OUTBOX_BACKLOG", 500)

        self.BABEL_DEFAULT_LOCALE = "nl"
        self.BABEL_TRANSLATION_DIRECTORIES = str(TRANSLATIONS_DIR)
        self.LANGUAGES = ("nl", "en")

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if key.isupper()}
