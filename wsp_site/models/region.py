"""The region aggregate: a region, its service points, municipalities and provider organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.vocabulary import ORGANISATION_KINDS

if TYPE_CHECKING:
    from wsp_site.models.instrument import Instrument
    from wsp_site.models.user import User


class Region(db.Model):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    response_working_days: Mapped[int | None]
    # Bumped whenever public content changes, so cached public pages of every worker go stale at once.
    content_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Who receives a lead when nothing else decides; set from the pack, never empty once people exist.
    default_key_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", use_alter=True, ondelete="SET NULL")
    )

    service_points: Mapped[list[ServicePoint]] = relationship(
        back_populates="region", order_by="ServicePoint.name", cascade="all, delete-orphan"
    )
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name", cascade="all, delete-orphan"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        back_populates="region", order_by="Organisation.name", cascade="all, delete-orphan"
    )
    default_key_account: Mapped[User | None] = relationship(foreign_keys=[default_key_account_id])

    def display_name(self, lang: str = "nl") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    @property
    def promised_working_days(self) -> int:
        """Working days within which an employer hears from their contact person: the pack's own figure, else
        the deployment's RESPONSE_WORKING_DAYS. The one place this promise is decided."""
        return self.response_working_days or current_app.config["RESPONSE_WORKING_DAYS"]


class OrganisationRules:
    """For the database row (Organisation) and the published catalogue's copy (services.catalogue.snapshot)."""

    @property
    def is_uwv(self) -> bool:
        return self.kind == "uwv"


class Organisation(OrganisationRules, db.Model):
    """Who provides an instrument: a municipality, a shared social service, UWV, the region."""

    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("region_id", "slug"),
        CheckConstraint(f"kind IN {ORGANISATION_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(500))

    region: Mapped[Region] = relationship(back_populates="organisations")


class ServicePoint(db.Model):
    """A sub-regional employer service point, or UWV's regional employer team."""

    __tablename__ = "service_point"
    __table_args__ = (UniqueConstraint("region_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_uwv: Mapped[bool] = mapped_column(default=False)

    region: Mapped[Region] = relationship(back_populates="service_points")
    organisation: Mapped[Organisation] = relationship()
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="service_point", order_by="Municipality.name"
    )


class MunicipalityRules:
    """For the database row (Municipality) and the published catalogue's copy (services.catalogue.snapshot)."""

    @property
    def basic_package_provider(self) -> Organisation:
        """The organisation that provides the harmonised basic package to residents of this municipality: its
        own provider, or else its service point's organisation."""
        return self.provider or self.service_point.organisation


class Municipality(MunicipalityRules, db.Model):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("region_id", "slug"), UniqueConstraint("region_id", "cbs_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    cbs_code: Mapped[str] = mapped_column(String(6))
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"), index=True)
    # The organisation that provides the basic package here, when it is not the service point's (one
    # integrated WSP over several municipal organisations); None: the service point's organisation.
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)

    region: Mapped[Region] = relationship(back_populates="municipalities")
    service_point: Mapped[ServicePoint] = relationship(back_populates="municipalities")
    provider: Mapped[Organisation | None] = relationship()
    local_instruments: Mapped[list[Instrument]] = relationship(
        secondary="instrument_municipality", back_populates="municipalities", viewonly=True
    )
