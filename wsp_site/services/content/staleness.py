"""The editor's list of instruments, and stale content: not reviewed for STALE_AFTER_MONTHS, or past its
`valid_until` (gone from the public site, still in the pack), with the monthly digest to the editors and
coordinators whose scope has some."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import months_before
from wsp_site.formatting import date_text
from wsp_site.models import DigestRun, Instrument, Region, User
from wsp_site.services.content import amounts
from wsp_site.services.content.scope import can_edit
from wsp_site.services.content.versions import english_behind, latest_versions, pending
from wsp_site.services.mail import digest_runs
from wsp_site.vocabulary import INSTRUMENT_KINDS, TEXT_FIELDS

DIGEST_TEMPLATE = "stale_content_digest"
AMOUNT_TEXT_KEYS = ("summary", *TEXT_FIELDS)  # where amounts stand (the title holds none)


def stale_cutoff(today: dt.date, months: int | None = None) -> dt.date:
    """Reviewed on or before this day: stale."""
    if months is None:
        months = current_app.config["STALE_AFTER_MONTHS"]
    return months_before(today, months)


def is_stale(instrument: Instrument, cutoff: dt.date, today: dt.date | None = None) -> bool:
    """Reviewed on or before `cutoff`, or (given `today`) its validity ended before today, or (from 1 December)
    it states an amount of this year without next year's figure."""
    if today is not None and (instrument.has_ended(today) or amounts_due(instrument, today)):
        return True
    return instrument.last_reviewed_on is None or instrument.last_reviewed_on <= cutoff


def amounts_due(instrument: Instrument, today: dt.date) -> list[str]:
    """From 1 December: this year's amounts in the instrument's texts (both languages) with no figure for next
    year beside them, e.g. ["€ 1,01", "€ 2.000"]; the rule of `flask content check` (content.amounts), except that
    a note on what is known of next year does not take them off this list: only next year's figure does."""
    fields = [(f"{text.lang}.{key}", getattr(text, key) or "") for text in instrument.texts for key in AMOUNT_TEXT_KEYS]
    found = amounts.without_next_year(fields, today, instrument.valid_until, note_answers=False)
    return list(dict.fromkeys(a.text for _key, a in found))


@dataclass
class ListedInstrument:
    instrument: Instrument
    stale: bool
    pending: bool
    ended: bool = False  # past its valid_until: no longer on the public site
    amounts_due: list[str] = field(default_factory=list)  # from 1 December: this year's amounts, no next year's
    english_behind: bool = False  # the Dutch text changed after the English one: the translation needs a look


@dataclass
class ContentFilters:
    kind: str | None = None
    status: str | None = None
    stale: bool = False


def editable_instruments(
    session: Session, user: User, region: Region, today: dt.date, filters: ContentFilters | None = None
) -> list[ListedInstrument]:
    """The instruments `user` may edit, with their stale and pending-changes markers; oldest review first
    when only stale ones are asked for, else by kind and title."""
    filters = filters or ContentFilters()
    query = (
        select(Instrument)
        .filter_by(region_id=region.id)
        .options(
            selectinload(Instrument.texts), selectinload(Instrument.municipalities), selectinload(Instrument.provider)
        )
    )
    if filters.kind:
        query = query.filter_by(kind=filters.kind)
    if filters.status:
        query = query.filter_by(status=filters.status)
    instruments = [i for i in session.scalars(query) if can_edit(user, i)]
    latest = latest_versions(session, [i.id for i in instruments])
    behind = english_behind(session, [i.id for i in instruments])
    cutoff = stale_cutoff(today)
    rows = []
    for i in instruments:
        ended, due = i.has_ended(today), amounts_due(i, today)
        stale = ended or bool(due) or is_stale(i, cutoff)  # is_stale(i, cutoff, today), each part computed once
        rows.append(ListedInstrument(i, stale, pending(i, latest.get(i.id)), ended, due, i.id in behind))
    if filters.stale:
        rows = [r for r in rows if r.stale]
        rows.sort(key=lambda r: (r.instrument.last_reviewed_on, r.instrument.title("nl").lower()))
    else:
        order = {kind: n for n, kind in enumerate(INSTRUMENT_KINDS)}
        rows.sort(key=lambda r: (order[r.instrument.kind], r.instrument.title("nl").lower()))
    return rows


def stale_instruments(session: Session, user: User, region: Region, today: dt.date) -> list[Instrument]:
    rows = editable_instruments(session, user, region, today, ContentFilters(stale=True))
    return [r.instrument for r in rows]


@dataclass
class StaleDigestReport:
    enqueued: int = 0
    skipped: int = 0
    recipients: list[tuple[str, int]] = field(default_factory=list)
    already_sent: DigestRun | None = None  # this month's digest went out before: nothing was done


def content_staff(session: Session, region: Region) -> list[User]:
    users = session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.name))
    return [u for u in users if u.has_role("coordinator", "editor")]


def send_stale_digests(
    session: Session, region: Region, today: dt.date, now: dt.datetime, dry_run: bool = False, force: bool = False
) -> StaleDigestReport:
    """One e-mail per active editor and coordinator with the stale instruments in their scope; nobody with
    nothing stale gets one. Once a month: when this month's digest went out before, do nothing
    (report.already_sent) unless `force`. A dry run renders every message (a broken template shows) but stores
    none. The caller commits; `digest_runs.AlreadySent` means a concurrent run got there first (roll back)."""
    report = StaleDigestReport()

    def messages():
        common = {
            "region": region,
            "months": current_app.config["STALE_AFTER_MONTHS"],
            "base_url": current_app.config["SITE_URL"],
            "today_text": date_text(today),
        }
        for user in content_staff(session, region):
            stale = stale_instruments(session, user, region, today)
            if not stale:
                report.skipped += 1
                continue
            report.recipients.append((user.email, len(stale)))
            yield user.email, {**common, "user": user, "instruments": stale}

    period = digest_runs.month(today)
    return digest_runs.send(
        session, region, DIGEST_TEMPLATE, period, now, messages(), report, dry_run=dry_run, force=force
    )
