"""The working copy as an instrument the public template can render (the editor's preview)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from wsp_site.models import Instrument, InstrumentText
from wsp_site.schemas.instrument import TEXT_KEYS
from wsp_site.services.content.scope import municipalities_by_slug, organisations_by_slug
from wsp_site.services.content.snapshots import changed_fields, snapshot
from wsp_site.services.content.versions import working_copy


def preview_instrument(session: Session, instrument: Instrument) -> Instrument:
    """The working copy as an Instrument the public template can render. Never added to the session."""
    working = working_copy(session, instrument)
    if not changed_fields(snapshot(instrument), working):
        return instrument
    munis = municipalities_by_slug(session, instrument.region_id)
    orgs = organisations_by_slug(session, instrument.region_id)
    draft = Instrument(
        id=instrument.id,
        region_id=instrument.region_id,
        slug=instrument.slug,
        kind=working["kind"],
        status=instrument.status,
        target_groups=list(working.get("target_groups") or []),
        employer_goals=list(working.get("employer_goals") or []),
        external_url=working.get("external_url") or None,
        last_reviewed_on=dt.date.fromisoformat(working["last_reviewed_on"]),
        sources=[dict(source) for source in working.get("sources") or []],
        example=bool(working.get("example")),
        valid_from=dt.date.fromisoformat(working["valid_from"]) if working.get("valid_from") else None,
        valid_until=dt.date.fromisoformat(working["valid_until"]) if working.get("valid_until") else None,
    )
    # set_committed_value: no events, so nothing cascades this copy into the session.
    set_committed_value(draft, "region", instrument.region)
    set_committed_value(draft, "provider", orgs.get(working.get("provider") or ""))
    set_committed_value(draft, "municipalities", [munis[s] for s in working.get("municipalities") or [] if s in munis])
    texts = [
        InstrumentText(lang=lang, **{key: values.get(key) or "" for key in TEXT_KEYS})
        for lang, values in (working.get("texts") or {}).items()
        if values
    ]
    set_committed_value(draft, "texts", texts)
    return draft
