"""What valid routing is: one definition for the pack's `routing` and the coordinators' screens.

`RoutingRuleIn` is a rule as a pack writes it (a `target`, or a `pool`); the back office gives a pool of user
ids. `RoutingIn` is the pack's `routing` block; the back office validates a new default key account with it.

Context entries (see schemas.base): "people" (key -> roles: who can be named at all), "lead_handlers" (the
keys of the people who may receive leads), "rule_names" (name_key -> name: the names taken; each rule's is
registered), "municipalities" and "instruments" (what a condition may name), "kept_conditions" (condition
values an existing rule may keep although they are no longer on offer).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, field_validator

from wsp_site.schemas.base import (
    EntryList,
    InputModel,
    RequiredText,
    StrictBool,
    Text,
    code_list,
    context_entry,
    fail,
    max_length,
    name_key,
    register,
)
from wsp_site.vocabulary import CONDITION_KEYS, REQUEST_TYPES, SECTORS, SIZE_BANDS

# Condition values from a fixed list; "municipality" and "instrument" name what the region has (the context).
FIXED_CONDITION_VALUES = {"request_type": REQUEST_TYPES, "sector": SECTORS, "size_band": SIZE_BANDS}
CONTEXT_CONDITION_VALUES = {"municipality": "municipalities", "instrument": "instruments"}


def _lead_handler(value: str | None, info: ValidationInfo) -> str | None:
    """A person who receives leads: an account manager or coordinator (models.user.LEAD_HANDLER_ROLES)."""
    if value is None:
        return None
    key = value.lower()
    what = "default_key_account" if info.field_name == "default_key_account" else "target"
    people = context_entry(info, "people")
    if people is not None and key not in people:
        raise fail("not_a_person", "{what} '{value}' is not one of the people", what=what, value=key)
    handlers = context_entry(info, "lead_handlers")
    if handlers is not None and key not in handlers:
        roles = ", ".join((people or {}).get(key) or []) or "none"
        raise fail(
            "not_a_lead_handler",
            "{what} '{value}' does not handle leads (roles: {roles}); only account managers and coordinators do",
            what=what,
            value=key,
            roles=roles,
        )
    return key


LeadHandler = Annotated[Text, AfterValidator(_lead_handler)]


def _conditions(value: Any, info: ValidationInfo) -> dict[str, list[str]]:
    if value in (None, ""):
        raise fail("required", "missing required key 'conditions'", key="conditions")
    if not isinstance(value, dict):
        raise fail("conditions", "expected a mapping of keys to values")
    kept = context_entry(info, "kept_conditions") or {}
    clean: dict[str, list[str]] = {}
    for key, values in value.items():
        if key not in CONDITION_KEYS:
            raise fail("unknown_condition", "unknown condition '{value}'", value=key)
        allowed = FIXED_CONDITION_VALUES.get(key) or context_entry(info, CONTEXT_CONDITION_VALUES[key])
        if allowed is not None:
            allowed = {*allowed, *kept.get(key, ())}
        clean[key] = code_list(values, allowed, key)
    return clean


class RoutingRuleIn(InputModel):
    name: Annotated[RequiredText, max_length(200)] = None
    conditions: Annotated[dict[str, list[str]], BeforeValidator(_conditions)] = None
    target: LeadHandler = None
    pool: list[LeadHandler] | None = None
    enabled: StrictBool = None  # None: a new rule is enabled, an existing one keeps its state

    @field_validator("name")
    @classmethod
    def _unique_name(cls, value: str, info: ValidationInfo) -> str:
        message = "name '{value}' is already used by rule '{first}' (capitals do not count)"
        register(info, "rule_names", name_key(value), value, message)
        return value

    @field_validator("pool")
    @classmethod
    def _one_receiver(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if "target" not in info.data:
            return value  # the target itself is wrong: reported on its own
        if (info.data["target"] is None) == (value is None):
            raise fail("target_or_pool", "give exactly one of 'target' or 'pool'")
        if value is not None and not value:
            raise fail("empty_pool", "'pool' must be a non-empty list")
        return value

    @property
    def targets(self) -> list[str]:
        return [self.target] if self.target is not None else list(self.pool or [])


class RoutingIn(InputModel):
    default_key_account: Annotated[RequiredText, AfterValidator(_lead_handler)] = None
    rules: Annotated[list[RoutingRuleIn], EntryList] = []
