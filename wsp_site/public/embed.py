"""Embeddable, framable lists for municipal websites (/embed/...)."""

from __future__ import annotations

from wsp_site.public.views import bp  # noqa: F401 - routes are added to the public blueprint
