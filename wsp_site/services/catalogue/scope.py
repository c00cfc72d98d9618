"""Where a local scheme applies, said as the employer needs to hear it: one municipality's own scheme, the
scheme of a whole sub-region (every municipality of one service point, e.g. WSP Lekstroom), or a scheme of
some municipalities."""

from __future__ import annotations

from flask_babel import gettext as _

from wsp_site.formatting import names
from wsp_site.models import Instrument, ServicePoint


def sub_region(instrument: Instrument) -> ServicePoint | None:
    """The service point whose municipalities are exactly the ones this local scheme covers (two or more)."""
    places = instrument.municipalities
    if len(places) < 2:
        return None
    point = places[0].service_point
    if any(m.service_point_id != point.id for m in places):
        return None
    return point if {m.id for m in point.municipalities} == {m.id for m in places} else None


def local_scheme_reason(instrument: Instrument) -> str:
    """Why a local scheme applies to the candidate: whose scheme it is, and for the residents of where."""
    places = sorted(instrument.municipalities, key=lambda m: m.name)
    if len(places) == 1:
        return _("Extra regeling van %(municipality)s voor inwoners van die gemeente.", municipality=places[0].name)
    point = sub_region(instrument)
    listed = names(m.name for m in places)
    if point is not None:
        return _(
            "Regeling van %(service_point)s voor inwoners van %(places)s.", service_point=point.name, places=listed
        )
    return _("Extra regeling voor inwoners van %(places)s.", places=listed)
