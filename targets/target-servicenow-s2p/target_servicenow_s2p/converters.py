"""Value converters of the mapping profile: every staging value leaves here as an exact string.

ServiceNow staging columns are strings; amounts must keep every digit the ERP sent (no float rounding, no
exponent), so numbers travel as `Decimal` (the msgspec/JSON readers parse them that way) and are printed with
format "f".
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from typing import Any


class MappingError(ValueError):
    """The record cannot be mapped (missing field, bad number...); it goes to the dead-letter queue."""


Spec = Any  # str (a source field) or a dict (see SPEC_KINDS)
Converter = Callable[[Mapping[str, Any], Mapping[str, Any]], str]


def to_decimal(value: Any, name: str) -> decimal.Decimal:
    if type(value) is decimal.Decimal:  # the common case first: our taps type amounts as Decimal
        if not value.is_finite():
            raise MappingError(f"field {name} is not a finite number: {value!r}")
        return value
    if isinstance(value, bool):
        raise MappingError(f"field {name} is a boolean, not a number")
    if isinstance(value, decimal.Decimal):
        result = value
    elif isinstance(value, int):
        result = decimal.Decimal(value)
    elif isinstance(value, float):
        result = decimal.Decimal(repr(value))  # shortest repr is the decimal the JSON carried
    elif isinstance(value, str) and value.strip():
        try:
            result = decimal.Decimal(value.strip())
        except decimal.InvalidOperation as exc:
            raise MappingError(f"field {name} is not a number: {value!r}") from exc
    else:
        raise MappingError(f"field {name} is not a number: {value!r}")
    if not result.is_finite():
        raise MappingError(f"field {name} is not a finite number: {value!r}")
    return result


def decimal_text(value: decimal.Decimal) -> str:
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def to_text(value: Any) -> str:
    if type(value) is str:  # most values: checked first, this runs for every column of every record
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (decimal.Decimal, int, float)):
        return decimal_text(to_decimal(value, "value"))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def to_date(value: Any, name: str) -> str:
    """`YYYY-MM-DD` from an ISO date/date-time, a datetime, or M3's `yyyyMMdd`; empty stays empty."""
    if value in (None, "", 0, "0"):
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError as exc:
        raise MappingError(f"field {name} is not a date: {value!r}") from exc


def _field(record: Mapping[str, Any], name: str) -> Any:
    if name not in record:
        raise MappingError(f"missing field {name}")
    return record[name]


def _optional(record: Mapping[str, Any], name: str) -> Any:
    return record.get(name)


def _text(spec: Mapping[str, Any]) -> Converter:
    name = spec["field"]
    if spec.get("required", False):
        return lambda r, _c: to_text(_field(r, name))
    return lambda r, _c: to_text(_optional(r, name))


def _first(spec: Mapping[str, Any]) -> Converter:
    """First non-empty of several fields: the mapper's resolved code (`mlc_*`), else the source code."""
    names = list(spec["fields"])

    def convert(record: Mapping[str, Any], _ctx: Mapping[str, Any]) -> str:
        for name in names:
            text = to_text(record.get(name))
            if text:
                return text
        return ""

    return convert


def _number(spec: Mapping[str, Any]) -> Converter:
    name = spec["field"]

    def convert(record: Mapping[str, Any], _ctx: Mapping[str, Any]) -> str:
        value = _field(record, name)
        return "" if value in (None, "") and not spec.get("required") else decimal_text(to_decimal(value, name))

    return convert


def _date(spec: Mapping[str, Any]) -> Converter:
    name = spec["field"]
    return lambda r, _c: to_date(_optional(r, name), name)


def _const(spec: Mapping[str, Any]) -> Converter:
    value = str(spec["const"])
    return lambda _r, _c: value


def _template(spec: Mapping[str, Any]) -> Converter:
    """`{"template": "{A}-{B}"}`; with `"fallback": "A"`, an optional reference: when any part is empty, the
    fallback field's own text (empty when it is empty too) instead of a half-filled key."""
    pattern = str(spec["template"])
    names = [part.split("}")[0] for part in pattern.split("{")[1:]]
    fallback = spec.get("fallback")
    read = _field if fallback is None else _optional  # an optional reference may lack its parts

    def convert(record: Mapping[str, Any], ctx: Mapping[str, Any]) -> str:
        values = {n: ctx[n] if n in ctx and n not in record else to_text(read(record, n)) for n in names}
        if fallback is not None and not all(values.values()):
            return to_text(record.get(fallback))
        return pattern.format(**values)

    return convert


def _erp_source(spec: Mapping[str, Any]) -> Converter:
    name = spec.get("field", "CONO")
    return lambda r, c: f"{c['erp_source_prefix']}-{to_text(_field(r, name))}"


def _choice(spec: Mapping[str, Any]) -> Converter:
    name, equals = spec["field"], str(spec["equals"])
    yes, no = str(spec.get("then", "true")), str(spec.get("else", "false"))
    return lambda r, _c: yes if to_text(_optional(r, name)) == equals else no


def _line_number(spec: Mapping[str, Any]) -> Converter:
    main, sub = spec["field"], spec["sub"]

    def convert(record: Mapping[str, Any], _ctx: Mapping[str, Any]) -> str:
        line = to_text(_field(record, main))
        subline = to_text(_optional(record, sub))
        return line if subline in ("", "0") else f"{line}.{subline}"

    return convert


def _difference(spec: Mapping[str, Any]) -> Converter:
    a, b = spec["fields"]
    return lambda r, _c: decimal_text(to_decimal(_field(r, a), a) - to_decimal(_field(r, b), b))


def _ratio(spec: Mapping[str, Any]) -> Converter:
    a, b = spec["fields"]
    quantum = decimal.Decimal(1).scaleb(-int(spec.get("places", 6)))

    def convert(record: Mapping[str, Any], _ctx: Mapping[str, Any]) -> str:
        numerator, denominator = to_decimal(_field(record, a), a), to_decimal(_field(record, b), b)
        if denominator == 0:
            return ""
        with decimal.localcontext() as context:
            context.prec = 40
            return decimal_text((numerator / denominator).quantize(quantum, rounding=decimal.ROUND_HALF_EVEN))

    return convert


def _sign(spec: Mapping[str, Any]) -> Converter:
    name = spec["field"]
    negative, otherwise = str(spec["negative"]), str(spec["else"])
    return lambda r, _c: negative if to_decimal(_field(r, name), name) < 0 else otherwise


def _valid_today(spec: Mapping[str, Any]) -> Converter:
    """`then` when today lies in [from, until] (missing bounds are open), else `else`: IFS states whether a
    code part value is usable as a validity range, not as a flag."""
    start, end = spec["fields"]
    yes, no = str(spec.get("then", "true")), str(spec.get("else", "false"))

    def convert(record: Mapping[str, Any], _ctx: Mapping[str, Any]) -> str:
        today = dt.date.today().isoformat()
        lower, upper = to_date(_optional(record, start), start), to_date(_optional(record, end), end)
        return yes if (not lower or lower <= today) and (not upper or today <= upper) else no

    return convert


SPEC_KINDS: dict[str, Callable[[Mapping[str, Any]], Converter]] = {
    "text": _text,
    "first": _first,
    "number": _number,
    "date": _date,
    "erp_source": _erp_source,
    "choice": _choice,
    "line_number": _line_number,
    "difference": _difference,
    "ratio": _ratio,
    "sign": _sign,
    "valid_today": _valid_today,
}


def compile_spec(spec: Spec) -> Converter:
    """A converter from a field spec: `"SUNM"`, `{"const": ..}`, `{"template": ..}` or `{"as": kind, ...}`."""
    if isinstance(spec, str):
        return _text({"field": spec})
    if not isinstance(spec, Mapping):
        raise ValueError(f"invalid field spec {spec!r}")
    if "const" in spec:
        return _const(spec)
    if "template" in spec:
        return _template(spec)
    kind = spec.get("as", "text")
    if kind not in SPEC_KINDS:
        raise ValueError(f"unknown field spec kind {kind!r}; use one of {', '.join(SPEC_KINDS)}")
    return SPEC_KINDS[kind](spec)
