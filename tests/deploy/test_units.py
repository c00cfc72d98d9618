"""The systemd units under deploy/systemd name commands that exist, and every timer starts a service that exists."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import click
import pytest

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


SERVICES = sorted(UNITS.glob("*.service"))


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_each_service_runs_a_real_command(app, path):
    service = unit(path)["Service"]
    argv = shlex.split(service["ExecStart"])
    program = Path(argv[0]).name
    assert service["EnvironmentFile"] == "/etc/wsp-site/env"
    if program == "flask":
        assert argv[1:3] == ["--app", "wsp_site"]
        command: click.Command = app.cli
        ctx = click.Context(command)
        for name in argv[3:]:
            assert isinstance(command, click.Group), f"{path.name}: {name} after a command"
            command = command.get_command(ctx, name)
            assert command is not None, f"{path.name}: flask {' '.join(argv[3:])} does not exist"
        assert not isinstance(command, click.Group), f"{path.name}: names a group, not a command"
    else:
        assert program == "gunicorn"
        assert "python:wsp_site.gunicorn_config" in argv and "wsp_site:create_app()" in argv


@pytest.mark.parametrize("path", sorted(UNITS.glob("*.timer")), ids=lambda p: p.name)
def test_each_timer_starts_a_service(path):
    timer = unit(path)
    assert (UNITS / path.name.replace(".timer", ".service")).exists()
    assert timer["Timer"]["OnCalendar"].endswith("Europe/Amsterdam")
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_app_hosts_wait_for_the_migrations():
    web = unit(UNITS / "wsp-site-web@.service")["Unit"]
    assert "wsp-site-migrate.service" in web["Requires"] and "wsp-site-migrate.service" in web["After"]
