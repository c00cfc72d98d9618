"""The WSP website: one Flask application for employers, staff and municipal websites."""

from __future__ import annotations

from typing import Any

from flask import Flask

from wsp_site.config import INSTANCE_DIR, MIGRATIONS_DIR, STATIC_DIR, Config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. No side effects: set-up of the database is a CLI command."""
    app = Flask(
        __name__,
        static_folder=str(STATIC_DIR),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_mapping(Config().as_dict())
    if config:
        app.config.from_mapping(config)
    from wsp_site.access_log import MaskingFilter
    from wsp_site.ids import IdConverter

    app.logger.addFilter(MaskingFilter())  # "Exception on /aanvraag/<token>" neither

    app.url_map.converters["int"] = IdConverter  # before any route is added

    from wsp_site import cli, errors, i18n, page_cache, security, templating  # noqa: F401 - page_cache: listener
    from wsp_site.backoffice import auth  # noqa: F401 - registers the user loader
    from wsp_site.extensions import babel, csrf, db, limiter, login_manager, migrate
    from wsp_site.operations import logs as operations_logs
    from wsp_site.operations import metrics
    from wsp_site.services.reports import aggregates  # noqa: F401 - keeps lead_day_count in step (a listener)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    security.init_body_limits(app)  # before CSRF, whose check reads the request body first
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)

    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    operations_logs.configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    metrics.init_app(app)
    page_cache.init_app(app)  # outside Flask: a hit skips it
    security.init_proxy(app)  # outermost: the client's address and scheme, HSTS after the cache

    from wsp_site import api, backoffice, embed, operations, public
    from wsp_site.api import views as _api_views  # noqa: F401 - each `views` module registers its package's routes
    from wsp_site.backoffice import views as _backoffice_views  # noqa: F401
    from wsp_site.embed import views as _embed_views  # noqa: F401
    from wsp_site.operations import health as _health  # noqa: F401
    from wsp_site.public import views as _public_views  # noqa: F401

    app.register_blueprint(public.bp)
    app.register_blueprint(operations.bp)
    app.register_blueprint(embed.bp, url_prefix="/embed")
    app.register_blueprint(backoffice.bp, url_prefix="/beheer")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    return app
