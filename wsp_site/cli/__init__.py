"""The command line: `flask wsp` (set-up, packs, people), `flask outbox`, `flask digest`, `flask content`,
`flask privacy`, `flask pool`, `flask reports`. One module per group; `init_app` adds them all."""

from __future__ import annotations

from flask import Flask

from wsp_site.cli.content import content_group
from wsp_site.cli.digest import digest_group
from wsp_site.cli.outbox import outbox
from wsp_site.cli.pool import pool_group
from wsp_site.cli.privacy import privacy
from wsp_site.cli.reports import reports_group
from wsp_site.cli.wsp import wsp


def init_app(app: Flask) -> None:
    for group in (wsp, outbox, privacy, digest_group, content_group, pool_group, reports_group):
        app.cli.add_command(group)
