"""The reports that are more than one breakdown: key figures, first contact, open now and the region's targets.

First contact counts working days (weekends and Dutch public holidays do not), from the local date a lead was
received; "open now" is today's situation, whatever the period; the targets hold for the whole region and year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session

from wsp_site.formatting import number
from wsp_site.models import Region
from wsp_site.services.reports import queries
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.queries import FirstContact
from wsp_site.services.reports.tables import Report, bar_chart, count_rows
from wsp_site.vocabulary import SECTOR_LABELS, label

FIRST_CONTACT_BUCKETS = 6  # 0 .. 5 working days, then "6 or more"
METRIC_LABELS = {"placements": _l("Plaatsingen")}


def _days_label(days: int, last: bool) -> str:
    if last:
        return _("%(num)s of meer werkdagen", num=days)
    return ngettext("%(num)d werkdag", "%(num)d werkdagen", days)


def first_contact_summary(result: FirstContact) -> str:
    if not result.contacted:
        return _(
            "Nog geen aanvragen met een vastgelegd eerste contact in deze periode (%(without)s zonder).",
            without=number(result.without_contact),
        )
    return _(
        "Mediaan tot het eerste contact: %(median)s werkdagen. %(share)s%% binnen de beloofde %(promised)s "
        "werkdagen (%(within)s van %(contacted)s aanvragen met eerste contact). "
        "%(without)s aanvragen hebben (nog) geen vastgelegd eerste contact.",
        median=number(result.median, "0.#"),
        share=number(result.within_share),
        promised=result.promised,
        within=number(result.within),
        contacted=number(result.contacted),
        without=number(result.without_contact),
    )


def report_first_contact(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    result = queries.first_contact(session, region, filters, cache)
    last = FIRST_CONTACT_BUCKETS
    buckets: Counter = Counter()
    for days, count in result.distribution.items():
        buckets[min(days, last)] += count
    pairs = [(_days_label(days, days == last), buckets.get(days, 0)) for days in range(last + 1)]
    title = _("Tijd tot het eerste contact")
    shown = [pair for pair in pairs if pair[1]]
    return Report(
        name="eerste-contact",
        title=title,
        head=[_("Werkdagen tot eerste contact"), _("Aanvragen"), _("Aandeel (%)")],
        rows=count_rows(pairs, result.contacted),
        summary=first_contact_summary(result),
        chart=bar_chart("eerste-contact", title, pairs if shown else []),
        note=_(
            "Werkdagen tellen vanaf de dag van ontvangst; weekenden en feestdagen tellen niet mee. "
            "Alleen aanvragen met een vastgelegd eerste contact."
        ),
    )


def report_open_now(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = queries.once(cache, queries.open_now, session, region, filters, today)
    names = queries.once(cache, queries.service_point_names, session, region)
    triples = [(name, *counts.get(point_id, (0, 0))) for point_id, name in names.items()]
    if None in counts:
        triples.append((_("Geen servicepunt"), *counts[None]))
    total_open = sum(open_ for _name, open_, _late in triples)
    total_late = sum(late for _name, _open, late in triples)
    title = _("Nu open en over de termijn")
    bars = [(name, open_) for name, open_, _late in triples if open_]
    return Report(
        name="open-nu",
        title=title,
        head=[_("Servicepunt"), _("Open"), _("Waarvan over de termijn")],
        rows=[[name, number(open_), number(late)] for name, open_, late in triples]
        + [[_("Totaal"), number(total_open), number(total_late)]],
        summary=_(
            "Vandaag staan %(open)s aanvragen open; %(late)s daarvan zijn over de termijn "
            "(nieuw en nog geen eerste contact na de beloofde werkdagen).",
            open=number(total_open),
            late=number(total_late),
        ),
        chart=bar_chart("open-nu", title, bars),
        note=_("Alle open aanvragen van vandaag, ongeacht wanneer ze binnenkwamen: de periode telt hier niet mee."),
    )


def report_targets(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    progress = queries.target_progress(session, region, filters)
    rows, bars = [], []
    for item in progress:
        sector = label(SECTOR_LABELS, item.sector) if item.sector else _("Alle sectoren")
        metric = label(METRIC_LABELS, item.metric)
        rows.append([str(item.year), metric, sector, number(item.target), number(item.realised), number(item.share)])
        if item.share is not None:
            bars.append((f"{sector} {item.year}", round(item.share, 1)))
    title = _("Doelen van de regio")
    if progress:
        summary = (
            "; ".join(
                _(
                    "%(sector)s %(year)s: %(realised)s van %(target)s",
                    sector=row[2],
                    year=row[0],
                    realised=row[4],
                    target=row[3],
                )
                for row in rows
            )
            + "."
        )
    else:
        summary = _("Voor de jaren van deze periode staan geen doelen in het regiopakket.")
    return Report(
        name="doelen",
        title=title,
        head=[_("Jaar"), _("Doel"), _("Sector"), _("Streefaantal"), _("Gerealiseerd"), _("Gerealiseerd (%)")],
        rows=rows,
        summary=summary,
        chart=bar_chart("doelen", title, bars, percent=True),
        numeric=(3, 4, 5),
        note=_(
            "Plaatsingen: aanvragen afgesloten met de uitkomst Geplaatst in dat jaar, in die sector. "
            "Doelen gelden voor de hele regio en het hele jaar: de filters tellen hier niet mee."
        ),
    )


def report_key_figures(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    per_outcome = queries.outcomes(session, region, filters, cache)
    total = sum(per_outcome.values())  # every lead of the period has an outcome, "open" or "none"
    placed = per_outcome.get("placed", 0)
    contact = queries.first_contact(session, region, filters, cache)
    now = queries.once(cache, queries.open_now, session, region, filters, today)
    rows = [
        [_("Aanvragen ontvangen in de periode"), number(total)],
        [_("Waarvan geplaatst"), number(placed)],
        [_("Mediaan werkdagen tot eerste contact"), number(contact.median, "0.#")],
        [_("Eerste contact binnen de beloofde werkdagen (%)"), number(contact.within_share)],
        [_("Nu open"), number(sum(open_ for open_, _late in now.values()))],
        [_("Nu over de termijn"), number(sum(late for _open, late in now.values()))],
    ]
    return Report(
        name="kerncijfers",
        title=_("Kerncijfers"),
        head=[_("Kerncijfer"), _("Waarde")],
        rows=rows,
        summary=ngettext(
            "%(total)s aanvraag ontvangen, %(placed)s geplaatst.",
            "%(total)s aanvragen ontvangen, %(placed)s geplaatst.",
            total,
            total=number(total),
            placed=number(placed),
        ),
        numeric=(1,),
    )
