"""`wsp-site`: prepare the embedded default (instance/, SQLite, demo region) and serve it locally."""

from __future__ import annotations

import os
import secrets

from wsp_site.config import INSTANCE_DIR


def _ensure_secret_key() -> None:
    """Keep a random development key in instance/ so sessions survive a restart."""
    if os.environ.get("SECRET_KEY"):
        return
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ["SECRET_KEY"] = key_file.read_text(encoding="utf-8").strip()


def main() -> None:
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    _ensure_secret_key()

    import logging

    from wsp_site import create_app
    from wsp_site.access_log import MaskingFilter
    from wsp_site.services.packs.install import prepare_database

    logging.getLogger("werkzeug").addFilter(MaskingFilter())
    app = create_app()
    with app.app_context():
        # The demo region is loaded into a new database; later starts keep what was changed in the back office.
        print(prepare_database(app.config["WSP_REGION"]))
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    stop = _deliver_in_the_background(app)
    print(f"WSP site on http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        app.run(host=host, port=port, debug=False, use_reloader=False)
    finally:
        stop.set()


def _deliver_in_the_background(app):
    """The embedded default delivers its own outbox (a worker thread; mail to the console by default), so the
    confirmation and the notification show in this terminal right after a submission."""
    import threading

    from wsp_site.services.mail import outbox

    stop = threading.Event()
    threading.Thread(target=outbox.run_forever, args=(app, 1.0, stop), name="outbox", daemon=True).start()
    return stop


if __name__ == "__main__":
    main()
