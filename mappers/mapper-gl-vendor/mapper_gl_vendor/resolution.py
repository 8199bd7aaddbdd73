"""Resolution: does each reference of a record name an active target value? Dict lookups only.

For one field (dimension d, company c, division v, source value s):
1. empty s: ``missing_value`` when the check is required, else nothing to resolve;
2. a crosswalk entry for s: its target value t must be present and active on the target side
   (``not_in_target`` / ``inactive_in_target``); the crosswalk is the operator's statement, so s need not be
   known in the source;
3. no entry but the dimension requires one: ``no_crosswalk_entry``;
4. otherwise s must be known in the source (this run's reference records or the ledger's memory:
   ``unknown_in_source``) and present on the target side under the same code (absent:
   ``no_crosswalk_entry``, since only a crosswalk entry could map it; inactive: ``inactive_in_target``).

Target side = rows of the target's reference tables at start, overlaid with the reference records this
run forwards (the target creates or updates them before it stages transactions).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mapper_gl_vendor.crosswalk import Crosswalk
from mapper_gl_vendor.rules import Check, Profile, ReferenceRule

Key = tuple[str, str, str, str]  # dimension, company, division ("" when company-wide), value

UNKNOWN_IN_SOURCE = "unknown_in_source"
NO_CROSSWALK_ENTRY = "no_crosswalk_entry"
NOT_IN_TARGET = "not_in_target"
INACTIVE_IN_TARGET = "inactive_in_target"
MISSING_VALUE = "missing_value"
REASONS = (UNKNOWN_IN_SOURCE, NO_CROSSWALK_ENTRY, NOT_IN_TARGET, INACTIVE_IN_TARGET, MISSING_VALUE)


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class Resolver:
    """The run's view of both sides; ``observe`` feeds it reference records as they pass."""

    def __init__(
        self,
        profile: Profile,
        *,
        crosswalk: Crosswalk,
        target: Mapping[Key, bool],
        remembered: Iterable[tuple[Key, bool]] = (),
        crosswalk_required: Iterable[str] = (),
    ) -> None:
        self.profile = profile
        self.crosswalk = crosswalk
        self.target: dict[Key, bool] = dict(target)
        self.source: dict[Key, bool] = dict(remembered)
        self.seen: dict[Key, bool] = {}  # reference values of this run, for the ledger's memory
        self.crosswalk_required = frozenset(crosswalk_required)

    def scope(self, record: Mapping[str, Any], per_division: bool) -> tuple[str, str]:
        company = text(record.get(self.profile.company_field))
        return company, (text(record.get(self.profile.division_field)) if per_division else "")

    def observe(self, rule: ReferenceRule, record: Mapping[str, Any]) -> None:
        """A reference record passes: known in source, and present on the target once it lands."""
        value = text(record.get(rule.field))
        if not value:
            return
        company, division = self.scope(record, rule.per_division)
        key = (rule.dimension, company, division, value)
        active = rule.is_active(record)
        self.source[key] = active
        self.seen[key] = active
        self.target[key] = active

    def resolve(self, checks: tuple[Check, ...], record: Mapping[str, Any]) -> tuple[dict[str, str], list[dict[str, str]]]:
        """The added fields and every reason the record cannot be forwarded (empty list = valid)."""
        added: dict[str, str] = {}
        reasons: list[dict[str, str]] = []
        for check in checks:
            value = text(record.get(check.field))
            if not value:
                added[check.added] = ""
                if check.required:
                    reasons.append(_reason(check, value, MISSING_VALUE, f"{check.dimension} is empty"))
                continue
            company, division = self.scope(record, check.per_division)
            mapped = self.crosswalk.lookup(check.dimension, company, division, value)
            if mapped is None and check.dimension in self.crosswalk_required:
                reasons.append(_reason(check, value, NO_CROSSWALK_ENTRY,
                                       f"{check.dimension} needs a crosswalk entry and {value} has none"))
                continue
            if mapped is None and (check.dimension, company, division, value) not in self.source:
                reasons.append(_reason(check, value, UNKNOWN_IN_SOURCE,
                                       f"{check.dimension} {value} is not in the source {_where(company, division)}"))
                continue
            resolved = mapped or value
            active = self.target.get((check.dimension, company, division, resolved))
            if active is None:
                if mapped is None:
                    reasons.append(_reason(check, value, NO_CROSSWALK_ENTRY,
                                           f"{check.dimension} {value} is not on the target side "
                                           f"{_where(company, division)} and the crosswalk has no entry for it"))
                else:
                    reasons.append(_reason(check, value, NOT_IN_TARGET,
                                           f"crosswalk maps {value} to {resolved}, which is not on the target side "
                                           f"{_where(company, division)}"))
                continue
            if not active:
                reasons.append(_reason(check, value, INACTIVE_IN_TARGET,
                                       f"{check.dimension} {resolved} is inactive on the target side "
                                       f"{_where(company, division)}"))
                continue
            added[check.added] = resolved
        return added, reasons


def _where(company: str, division: str) -> str:
    return f"(company {company}, division {division})" if division else f"(company {company})"


def _reason(check: Check, value: str, reason: str, detail: str) -> dict[str, str]:
    return {"field": check.field, "value": value, "reason": reason, "detail": detail}
