"""A stream's effective IFS names and schema: catalogue defaults merged with the `streams` setting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from singer_sdk import typing as th

from tap_ifs_cloud.catalog import (
    BOOL, BUSINESS_DATE, CHANGE_TIMESTAMP, DATE, DEC, DTS, FULL_TABLE, INT, MODES, STR, StreamSpec,
)

_TYPES = {STR: th.StringType, INT: th.IntegerType, DEC: th.DecimalType, DATE: th.DateType, DTS: th.DateTimeType,
          BOOL: th.BooleanType}


@dataclass(frozen=True)
class ResolvedStream:
    name: str
    path: str  # e.g. /main/ifsapplications/projection/v1/CompanyHandling.svc/CompanySet
    keys: tuple[str, ...]
    fields: dict[str, str]
    mode: str
    replication_key: str | None
    company_field: str | None

    @property
    def decimal_fields(self) -> tuple[str, ...]:
        return tuple(n for n, kind in self.fields.items() if kind == DEC)


def _with_code_part(spec: StreamSpec, part: str) -> tuple[tuple[str, ...], dict[str, str], str]:
    """Cost centers live in a tenant-chosen code part: rename CodeB → Code<part> and the reference set."""
    if spec.name != "cost_centers" or part == "B":
        return spec.keys, dict(spec.fields), spec.entity_set
    rename = {"CodeB": f"Code{part}"}
    return (tuple(rename.get(k, k) for k in spec.keys), {rename.get(k, k): v for k, v in spec.fields.items()},
            f"Reference_Code{part}")


def resolve(spec: StreamSpec, config: Mapping[str, Any]) -> ResolvedStream:
    over = (config.get("streams") or {}).get(spec.name) or {}
    part = str(config.get("cost_center_code_part") or "B")
    keys, fields, entity_set = _with_code_part(spec, part)
    if spec.name == "supplier_invoice_lines":
        fields.setdefault(f"Code{part}", STR)
    mode = over.get("replication_mode") or spec.replication_mode
    if mode not in MODES:
        raise ValueError(f"{spec.name}: replication_mode must be one of {MODES}")
    key: str | None = None
    if mode == CHANGE_TIMESTAMP:
        key = over.get("change_field") or spec.change_field
        fields.setdefault(key, DTS)
    elif mode == BUSINESS_DATE:
        key = over.get("date_field") or spec.date_field
        if not key:
            raise ValueError(f"{spec.name}: business_date mode needs streams.{spec.name}.date_field")
        fields.setdefault(key, DATE)
    company = over.get("company_field", spec.company_field)
    api_path = (over.get("api_path") or spec.api_path).rstrip("/")
    projection = over.get("projection") or spec.projection
    path = f"{api_path}/{projection}.svc/{over.get('entity_set') or entity_set}"
    return ResolvedStream(spec.name, path, keys, fields, mode if key else FULL_TABLE, key, company or None)


def schema_for(ifs: ResolvedStream, extra: Mapping[str, Any]) -> dict[str, Any]:
    """IFS properties (PascalCase, as IFS names them), the row's ETag, then enrichment fields."""
    props = [th.Property(name, _TYPES[kind], required=name in ifs.keys) for name, kind in ifs.fields.items()]
    props.append(th.Property("odata_etag", th.StringType, description="@odata.etag of the row (If-Match)."))
    schema = th.PropertiesList(*props).to_dict()
    schema["properties"].update(extra)
    return schema
