"""What a valid person of the back office is: one definition for the pack's people, the invitation and the
edit screen of a coordinator, and `flask wsp create-user`.

Context entries (see schemas.base): "service_points" and "municipalities" (the keys a person may name: slugs
in a pack, ids as text in the back office), "emails" (the addresses taken; each person's is registered) and
"people" and "lead_handlers" (filled in: each valid person's e-mail with their roles, and whether they
receive leads, for the routing that follows in a pack).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ValidationInfo, field_validator, model_validator

from wsp_site.schemas.base import (
    InputModel,
    PersonEmail,
    RequiredText,
    Text,
    check_known,
    codes,
    context_entry,
    fail,
    max_length,
    register,
)
from wsp_site.vocabulary import LEAD_HANDLER_ROLES, ROLES


def handles_leads(roles: list[str]) -> bool:
    """The roles that receive leads (models.user.LEAD_HANDLER_ROLES); User.handles_leads also asks `active`."""
    return any(role in LEAD_HANDLER_ROLES for role in roles)


class PersonRolesIn(InputModel):
    """What a coordinator can change about a person: roles, service point, municipalities and, for a person of
    an intermediary (role `intermediary`, that role only), the one intermediary organisation they belong to."""

    roles: Annotated[list[str], codes(ROLES)] = []
    service_point: Text = None
    municipalities: Annotated[list[str], codes(None)] = []
    intermediary: Text = None

    @field_validator("intermediary")
    @classmethod
    def _intermediary(cls, value: str | None, info: ValidationInfo) -> str | None:
        roles = info.data.get("roles") or []
        if "intermediary" in roles:
            if len(roles) > 1:
                raise fail("intermediary_only", "an intermediary has no other role")
            if value is None:
                raise fail("intermediary_required", "an intermediary names its 'intermediary' organisation")
            check_known(info, "intermediaries", value, "unknown_intermediary", "unknown intermediary '{value}'")
        elif value is not None:
            raise fail("not_an_intermediary", "only a person of role intermediary names an 'intermediary'")
        return value

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: list[str]) -> list[str]:
        if not value:
            raise fail("no_role", "'roles' must name at least one role")
        return value

    @field_validator("service_point")
    @classmethod
    def _service_point(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            check_known(info, "service_points", value, "unknown_service_point", "unknown service point '{value}'")
        elif "account_manager" in (info.data.get("roles") or []):
            raise fail("account_manager_without_service_point", "an account manager needs a 'service_point'")
        return value

    @field_validator("municipalities")
    @classmethod
    def _municipalities(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if value and "editor" not in (info.data.get("roles") or ["editor"]):
            raise fail("not_an_editor", "only editors name 'municipalities' (the ones whose content they edit)")
        for key in value:
            check_known(info, "municipalities", key, "unknown_municipality", "unknown municipality '{value}'")
        return value


class PersonIn(PersonRolesIn):
    """A person as a pack names them, or a new one invited in the back office: an address nobody has yet."""

    email: PersonEmail = None
    name: Annotated[RequiredText, max_length(200)] = None
    # The direct number an employer may call; shown on the confirmation and the status page of their leads.
    phone: Annotated[Text, max_length(40)] = None

    @field_validator("email")
    @classmethod
    def _new_address(cls, value: str, info: ValidationInfo) -> str:
        register(info, "emails", value, value, "duplicate email '{value}'")
        return value

    @model_validator(mode="after")
    def _known_person(self, info: ValidationInfo) -> PersonIn:
        people = context_entry(info, "people")
        if people is not None:
            people[self.email] = list(self.roles)
        handlers = context_entry(info, "lead_handlers")
        if handlers is not None and handles_leads(self.roles):
            handlers.add(self.email)
        return self
