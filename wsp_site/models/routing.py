"""Routing rules: ordered conditions that send a lead to a person or a pool of persons."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.region import Region
from wsp_site.models.types import link_table
from wsp_site.models.user import User

routing_rule_pool = link_table("routing_rule_pool", ("rule_id", "routing_rule.id"), ("user_id", "user_account.id"))


class RoutingRule(db.Model):
    __tablename__ = "routing_rule"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    enabled: Mapped[bool] = mapped_column(default=True)
    conditions: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # Optimistic locking, as on User: a save raises it (services.leads.rules); of two at once one fails.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    region: Mapped[Region] = relationship()
    pool: Mapped[list[User]] = relationship(secondary=routing_rule_pool, order_by="User.id")

    def matches(self, facts: dict[str, list[str]]) -> bool:
        """True when every condition accepts one of the lead's values for that key."""
        for key, accepted in (self.conditions or {}).items():
            if accepted and not set(accepted) & set(facts.get(key, [])):
                return False
        return True
