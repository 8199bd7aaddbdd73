"""Check each record against the schema the mapper forwards, as the target's `validate_records` would.

The Singer SDK target validates every record with `jsonschema` in the target process, the busiest one
of the pipeline (for target-snowflake about half its CPU). The mapper checks the same thing here, in
its own process, and dead-letters a record that fails instead of failing the whole load; the target's
`validate_records` can then be off. Stream schemas are plain (`type`, `properties`, `required`, `items`,
`anyOf`, annotations), so a compiled per-property type check does the job in a few microseconds per
record; a schema using any other validation keyword is checked with `jsonschema` itself. Formats are not
checked, as in the SDK target (its default format checker checks none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jsonschema
from jsonschema.validators import validator_for

Check = Callable[[Any], "str | None"]

# keywords that constrain nothing (annotations, metadata, formats the target does not check)
_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "format", "precision", "scale",
    "readOnly", "writeOnly", "deprecated", "inclusion", "selected",
})
_KNOWN = _ANNOTATIONS | {"type", "properties", "required", "items", "anyOf"}
# the JSON type of the exact Python types a JSON decoder yields; anything else asks jsonschema
_FAST_TYPE = {str: "string", type(None): "null", bool: "boolean", int: "integer", dict: "object", list: "array"}
_TYPE_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER


class _Unsupported(Exception):
    """The schema uses a keyword the compiled check does not implement."""


def _type_names(schema: Mapping[str, Any]) -> frozenset[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    return frozenset([declared] if isinstance(declared, str) else declared)


def _type_check(types: frozenset[str]) -> Check:
    shown = sorted(types)

    def check(value: Any) -> str | None:
        kind = _FAST_TYPE.get(type(value))
        if kind in types or (kind == "integer" and "number" in types):
            return None
        if any(_TYPE_CHECKER.is_type(value, name) for name in types):  # floats, Decimals, subclasses
            return None
        return f"{value!r} is not of type {shown}"

    return check


def _compile(schema: Any) -> Check | None:
    """A check for one (sub)schema, or None when it accepts anything."""
    if schema is True or schema == {}:
        return None
    if not isinstance(schema, Mapping) or set(schema) - _KNOWN:
        raise _Unsupported
    checks: list[Check] = []
    types = _type_names(schema)
    if types is not None:
        checks.append(_type_check(types))
    if "anyOf" in schema:
        options = [_compile(option) for option in schema["anyOf"]]
        if all(option is not None for option in options):

            def any_of(value: Any, options: list[Check] = options) -> str | None:  # type: ignore[assignment]
                errors = [option(value) for option in options]
                return None if None in errors else f"{value!r} matches no anyOf option ({errors[0]})"

            checks.append(any_of)
    if "properties" in schema or "required" in schema:
        properties = {name: check for name, sub in schema.get("properties", {}).items() if (check := _compile(sub))}
        required = tuple(schema.get("required", ()))

        def object_check(value: Any) -> str | None:
            if not isinstance(value, dict):
                return None  # only objects have properties (a type check says whether it must be one)
            missing = [name for name in required if name not in value]
            if missing:
                return f"missing required properties {missing}"
            for name, check in properties.items():
                if name in value and (error := check(value[name])) is not None:
                    return f"{name}: {error}"
            return None

        checks.append(object_check)
    if "items" in schema and (items := _compile(schema["items"])) is not None:

        def array_check(value: Any, items: Check = items) -> str | None:
            if not isinstance(value, list):
                return None
            for index, item in enumerate(value):
                if (error := items(item)) is not None:
                    return f"[{index}]: {error}"
            return None

        checks.append(array_check)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]

    def all_of(value: Any) -> str | None:
        for check in checks:
            if (error := check(value)) is not None:
                return error
        return None

    return all_of


def _jsonschema_check(schema: Mapping[str, Any]) -> Check:
    cls = validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=jsonschema.FormatChecker(formats=()))

    def check(record: Any) -> str | None:
        error = jsonschema.exceptions.best_match(validator.iter_errors(record))
        if error is None:
            return None
        where = "/".join(str(part) for part in error.absolute_path)
        return f"{where}: {error.message}" if where else error.message

    return check


def record_check(schema: Mapping[str, Any]) -> Check:
    """`check(record)`: None when the record is valid against `schema`, else the first reason found."""
    try:
        compiled = _compile(schema)
    except _Unsupported:
        return _jsonschema_check(schema)
    return compiled or (lambda record: None)
