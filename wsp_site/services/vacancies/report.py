"""Whether matching treats groups of candidates alike: proposals and their outcomes by the candidate's situation,
age band and sub-region (service point), as they were when the candidate was proposed (VacancyProposal keeps
them). The age band is optional on a profile: proposals without one are counted as "not recorded". Counts only,
no names or codes."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import Region, ServicePoint, Vacancy, VacancyProposal
from wsp_site.vocabulary import AGE_BAND_LABELS, AGE_BANDS, CANDIDATE_SITUATIONS, TARGET_GROUP_LABELS

# What each column counts: a proposal that reached the step, or went past it.
REACHED = {
    "proposed": None,  # every proposal
    "agreed": ("candidate_agreed", "introduced", "placed", "not_placed"),
    "placed": ("placed",),
}


@dataclass
class Row:
    label: str
    proposed: int = 0
    agreed: int = 0
    placed: int = 0

    @property
    def placed_share(self) -> float | None:
        return self.placed / self.proposed if self.proposed else None


@dataclass
class FairnessReport:
    by_situation: list[Row]
    by_age_band: list[Row]
    by_sub_region: list[Row]
    total: Row


def _counts(session: Session, region: Region, column) -> dict:
    rows = session.execute(
        select(column, VacancyProposal.status, func.count())
        .join(Vacancy, VacancyProposal.vacancy_id == Vacancy.id)
        .where(Vacancy.region_id == region.id)
        .group_by(column, VacancyProposal.status)
    )
    counts: dict = {}
    for key, status, count in rows:
        counts.setdefault(key, {})[status] = count
    return counts


def _row(label: str, by_status: dict[str, int]) -> Row:
    row = Row(label)
    for column, statuses in REACHED.items():
        total = sum(n for status, n in by_status.items() if statuses is None or status in statuses)
        setattr(row, column, total)
    return row


def fairness(session: Session, region: Region) -> FairnessReport:
    situations = _counts(session, region, VacancyProposal.situation)
    points = _counts(session, region, VacancyProposal.service_point_id)
    names = {p.id: p.name for p in session.scalars(select(ServicePoint).filter_by(region_id=region.id))}
    by_situation = [_row(str(TARGET_GROUP_LABELS[s]), situations.get(s, {})) for s in CANDIDATE_SITUATIONS]
    by_point = [_row(names[pid], points.get(pid, {})) for pid in sorted(names, key=names.get)]
    bands = _counts(session, region, VacancyProposal.age_band)
    by_age_band = [_row(str(AGE_BAND_LABELS[b]), bands.get(b, {})) for b in AGE_BANDS]
    by_age_band.append(_row(_("Niet vastgelegd"), bands.get(None, {})))
    everything: dict[str, int] = {}
    for by_status in situations.values():
        for status, n in by_status.items():
            everything[status] = everything.get(status, 0) + n
    return FairnessReport(
        by_situation=by_situation, by_age_band=by_age_band, by_sub_region=by_point, total=_row("", everything)
    )
