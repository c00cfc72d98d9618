"""A review that means something: `last_reviewed_on` moves forward only when an editor confirms each source.

The editor sees the instrument's sources, one checkbox each ("checked on <date>"). Only when every source is
confirmed does the review date become that day; the review is a version of its own (action "review") whose
snapshot records, per source, its title, address, the day it was checked and by whom (the version's author is
the editor), and an audit event says the same. Nothing else moves the date forward: a save keeps the working
copy's date, a restore keeps the older of the two, and a pack import keeps the date already in the database
(packs.apply).

- A draft: the row takes the new date at once (as with a save).
- A published instrument without unpublished changes: the row (the public page's "last checked") takes the
  date at once; the checked text is the public text.
- A published instrument with unpublished changes: the editor checked the working copy, so only the working
  copy takes the date; it is published with those changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from wsp_site.clock import local_today
from wsp_site.models import Instrument, InstrumentVersion, User
from wsp_site.services.content.errors import ContentRefused
from wsp_site.services.content.publishing import _audit, _flush, apply_snapshot
from wsp_site.services.content.scope import authorise
from wsp_site.services.content.snapshots import changed_fields, snapshot
from wsp_site.services.content.versions import ensure_baseline, record

REVIEW_KEY = "review"  # the snapshot key of a review version: {"on": date, "sources": [...]}


def source_field(index: int) -> str:
    """The form field (and the problem's key) of one source's checkbox."""
    return f"bron-{index}"


def review_sources(session: Session, user: User, instrument: Instrument) -> list[dict]:
    """The sources the editor must confirm: the working copy's."""
    return list(authorise(session, user, instrument).get("sources") or [])


def review(
    session: Session,
    user: User,
    instrument: Instrument,
    confirmed: Collection[int],
    now: dt.datetime,
) -> InstrumentVersion:
    """Record that `user` checked every source today (`confirmed`: the indexes of the sources ticked).
    Raises NotAllowed, or ContentRefused naming each source not confirmed (nothing changes then)."""
    working = authorise(session, user, instrument)
    sources = list(working.get("sources") or [])
    if not sources:
        raise ContentRefused(
            [(None, _l("Dit instrument heeft nog geen bronnen. Zonder bron kan niemand de tekst controleren."))]
        )
    missing = [i for i in range(len(sources)) if i not in set(confirmed)]
    if missing:
        raise ContentRefused(
            [
                (
                    source_field(i),
                    _l(
                        "Bevestig dat u de bron '%(title)s' hebt gecontroleerd, of controleer de tekst later.",
                        title=sources[i].get("title") or "",
                    ),
                )
                for i in missing
            ]
        )
    today = local_today(now)
    pending_before = instrument.is_published and bool(changed_fields(snapshot(instrument), working))
    ensure_baseline(session, instrument, now)
    data = {**working, "last_reviewed_on": today.isoformat()}
    data.pop("restored_from", None)
    checked = [
        {"title": s.get("title"), "url": s.get("url"), "checked_on": today.isoformat(), "checked_by": user.id}
        for s in sources
    ]
    if not instrument.is_published:
        apply_snapshot(session, instrument, data)
    elif not pending_before:
        instrument.last_reviewed_on = today
    _flush(session)
    snap = {**data, "status": instrument.status, REVIEW_KEY: {"on": today.isoformat(), "sources": checked}}
    version = record(session, instrument, user, "review", snap, "last_reviewed_on", now)
    _audit(session, user, "review", instrument, now, on=today.isoformat(), sources=[s["title"] for s in checked])
    return version


def review_of(version: InstrumentVersion) -> dict | None:
    """What a review version records (None for another version)."""
    return (version.snapshot or {}).get(REVIEW_KEY) if version.action == "review" else None
