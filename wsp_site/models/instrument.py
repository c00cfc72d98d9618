"""The instrument aggregate: an employer instrument with its texts per language."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.region import Municipality, Organisation, Region
from wsp_site.models.types import UTCDateTime, link_table
from wsp_site.vocabulary import INSTRUMENT_KINDS, STATUSES


class InstrumentInvalid(ValueError):
    """Raised on flush when an instrument breaks a rule the database cannot express."""


instrument_municipality = link_table(
    "instrument_municipality", ("instrument_id", "instrument.id"), ("municipality_id", "municipality.id")
)


class InstrumentRules:
    """What an instrument says about itself, in one place for the database row (Instrument) and the published
    catalogue's in-memory copy (services.catalogue.snapshot): both have `kind`, `status`, `valid_from`,
    `valid_until`, `texts` and `municipalities`."""

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether `day` (a date in the Netherlands) lies within valid_from .. valid_until."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def has_ended(self, day: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < day

    def texts_by_lang(self) -> dict:
        return {t.lang: t for t in self.texts}

    def text(self, lang: str = "nl") -> InstrumentText:
        """The text in `lang`, falling back to Dutch (the source language)."""
        by_lang = self.texts_by_lang()
        return by_lang.get(lang) or by_lang["nl"]

    def field(self, name: str, lang: str = "nl") -> tuple[str, bool]:
        """A text field in `lang` and whether it fell back to Dutch."""
        by_lang = self.texts_by_lang()
        wanted = by_lang.get(lang)
        if wanted is not None and getattr(wanted, name):
            return getattr(wanted, name), False
        return getattr(by_lang["nl"], name) or "", lang != "nl"

    def title(self, lang: str = "nl") -> str:
        return self.field("title", lang)[0]

    def applies_to(self, municipality: Municipality) -> bool:
        """Whether an employer hiring a resident of `municipality` can use this instrument."""
        if self.kind != "lokaal":
            return True
        return any(m.id == municipality.id for m in self.municipalities)

    def applies_wherever(self, other: InstrumentRules) -> bool:
        """Whether this instrument can be used wherever `other` can, so that a page about `other` may suggest
        it: the basic package and UWV's everywhere; a local scheme only beside a local scheme of the same
        municipality or of a part of its municipalities (never another municipality's own scheme)."""
        if self.kind != "lokaal":
            return True
        if other.kind != "lokaal":
            return False
        return {m.id for m in other.municipalities} <= {m.id for m in self.municipalities}


class Instrument(InstrumentRules, db.Model):
    __tablename__ = "instrument"
    __table_args__ = (
        UniqueConstraint("region_id", "slug"),
        CheckConstraint(f"kind IN {INSTRUMENT_KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="published")
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    employer_goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    external_url: Mapped[str | None] = mapped_column(String(500))
    last_reviewed_on: Mapped[dt.date] = mapped_column(Date)
    # What the instrument is based on: [{"title", "url", "supports"}] (schemas.instrument.SourceIn).
    sources: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # A placeholder that shows a feature, not a real scheme: the page says so.
    example: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The days it applies, both inclusive (none: open-ended); services.catalogue shows it only within them.
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now(), onupdate=func.now())

    region: Mapped[Region] = relationship()
    provider: Mapped[Organisation | None] = relationship()
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=instrument_municipality, back_populates="local_instruments", order_by="Municipality.name"
    )
    texts: Mapped[list[InstrumentText]] = relationship(
        back_populates="instrument", cascade="all, delete-orphan", order_by="InstrumentText.lang"
    )

    def validate(self) -> None:
        """The rules of schemas.instrument that a stored row must keep too: what its kind needs, and Dutch.
        (What input may not name, such as a provider of the basic package, is refused where it comes in.)"""
        from wsp_site.schemas.instrument import MISSING, kind_problems  # the schemas import this module

        has_provider = self.provider is not None or self.provider_id is not None
        for _field, code, message in kind_problems(self.kind, has_provider, bool(self.municipalities)):
            if code in MISSING:
                raise InstrumentInvalid(f"Instrument {self.slug!r}: {message}")
        if not any(t.lang == "nl" for t in self.texts):
            raise InstrumentInvalid(f"Instrument {self.slug!r}: missing required key 'nl'")


class InstrumentText(db.Model):
    __tablename__ = "instrument_text"
    __table_args__ = (UniqueConstraint("instrument_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    what: Mapped[str] = mapped_column(Text, default="")
    for_whom: Mapped[str] = mapped_column(Text, default="")
    employer_gets: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    decision_time: Mapped[str] = mapped_column(Text, default="")

    instrument: Mapped[Instrument] = relationship(back_populates="texts")


@event.listens_for(Session, "before_flush")
def _validate_instruments(session: Session, _flush_context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Instrument):
            obj.validate()
