"""A profile compiled into the lookups the hot path needs (built once per run)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mapper_gl_vendor.profiles import DIMENSIONS, PROFILES


@dataclass(frozen=True)
class ReferenceRule:
    """A reference stream: each record is one value of ``dimension``."""

    stream: str
    dimension: str
    field: str
    per_division: bool
    active_field: str | None
    active_equals: str | None
    active_not_equals: str | None

    def is_active(self, record: Mapping[str, Any]) -> bool:
        if self.active_field is None:
            return True
        value = str(record.get(self.active_field) or "").strip()
        if self.active_equals is not None:
            return value == self.active_equals
        return value != self.active_not_equals


@dataclass(frozen=True)
class Check:
    """One field of a transactional stream that must resolve; ``added`` receives the target value."""

    dimension: str
    field: str
    added: str
    required: bool
    per_division: bool


@dataclass(frozen=True)
class DocumentRule:
    """A header stream and its line stream, joined on ``key``."""

    name: str
    header: str
    lines: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    name: str
    erp_source_prefix: str
    company_field: str
    division_field: str
    references: dict[str, ReferenceRule]
    checks: dict[str, tuple[Check, ...]]
    documents: dict[str, DocumentRule]
    #: header or line stream -> its document (derived from ``documents``; asked once per record)
    _document_by_stream: dict[str, DocumentRule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_stream = {stream: rule for rule in self.documents.values() for stream in (rule.header, rule.lines)}
        object.__setattr__(self, "_document_by_stream", by_stream)

    def document_of(self, stream: str) -> DocumentRule | None:
        """The document a header or line stream belongs to."""
        return self._document_by_stream.get(stream)


def compile_profile(name: str, overrides: Mapping[str, Any] | None = None) -> Profile:
    """The named profile with top-level overrides (``references``, ``checks``, ``documents`` replace per key)."""
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}")
    spec = copy.deepcopy(PROFILES[name])
    for key, value in (overrides or {}).items():
        if isinstance(value, Mapping) and isinstance(spec.get(key), dict):
            spec[key].update(value)
        else:
            spec[key] = value
    references: dict[str, ReferenceRule] = {}
    per_division: dict[str, bool] = {}
    for stream, ref in spec["references"].items():
        if ref["dimension"] not in DIMENSIONS:
            raise ValueError(f"references.{stream}: unknown dimension {ref['dimension']!r}")
        active = ref.get("active") or {}
        references[stream] = ReferenceRule(
            stream=stream,
            dimension=ref["dimension"],
            field=ref["field"],
            per_division=bool(ref.get("per_division", False)),
            active_field=active.get("field"),
            active_equals=None if active.get("equals") is None else str(active["equals"]),
            active_not_equals=None if active.get("not_equals") is None else str(active["not_equals"]),
        )
        per_division[ref["dimension"]] = references[stream].per_division
    checks = {
        stream: tuple(
            Check(c["dimension"], c["field"], c["as"], bool(c.get("required", True)),
                  per_division.get(c["dimension"], False))
            for c in items
        )
        for stream, items in spec["checks"].items()
    }
    documents = {
        doc: DocumentRule(doc, d["header"], d["lines"], tuple(d["key"])) for doc, d in spec["documents"].items()
    }
    return Profile(
        name=name,
        erp_source_prefix=spec["erp_source_prefix"],
        company_field=spec["company_field"],
        division_field=spec["division_field"],
        references=references,
        checks=checks,
        documents=documents,
    )
