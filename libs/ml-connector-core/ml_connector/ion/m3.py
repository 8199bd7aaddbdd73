"""M3 MI REST v2: the response envelope, business errors, and M3 string values turned into typed ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

try:  # optional speed-up: orjson parses MI pages several times faster than json
    from orjson import JSONDecodeError as _DecodeError
    from orjson import loads as _loads
except ImportError:  # pragma: no cover
    from json import JSONDecodeError as _DecodeError
    from json import loads as _loads

M3_API_PATH = "M3/m3api-rest/v2"
NOT_AUTHORIZED_FOR_COMPANY = "XAU0008"
RECORD_DOES_NOT_EXIST = "XRE0103"


class M3BusinessError(RuntimeError):
    """An MI transaction answered NOK (HTTP 200 with an error in the envelope)."""

    def __init__(
        self,
        program: str,
        transaction: str,
        error_type: str | None,
        code: str | None,
        field: str | None,
        message: str,
        *,
        partial: bool = False,
    ) -> None:
        self.program = program
        self.transaction = transaction
        self.error_type = error_type
        self.code = code
        self.field = field
        self.message = message.rstrip()
        self.partial = partial
        where = f" field {field}" if field else ""
        kind = code or error_type or "NOK"
        prefix = "partial result, " if partial else ""
        super().__init__(f"M3 {program}/{transaction} {prefix}{kind}{where}: {self.message}")


class M3ResponseError(RuntimeError):
    """The body is not an MI REST v2 envelope (a proxy page, a truncated body, ...)."""


@dataclass(frozen=True)
class M3Result:
    """One transaction's outcome: its records and, when NOK, the error. Both at once is a partial NOK."""

    transaction: str
    records: list[dict[str, str]]
    error: M3BusinessError | None = None
    was_terminated: bool = False

    @property
    def partial(self) -> bool:
        return self.error is not None and bool(self.records)

    def raise_for_error(self, *, allow_partial: bool = False) -> None:
        """Raise the business error; a partial NOK passes only when the caller accepts partial pages."""
        if self.error is not None and not (allow_partial and self.partial):
            raise self.error


def _flag(value: Any) -> bool:
    """`wasTerminated` has been seen as a JSON string ("false"); read it leniently."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def parse_envelope(body: bytes | str | dict[str, Any], program: str, transaction: str) -> list[M3Result]:
    """Split a v2 `execute` response into one `M3Result` per transaction (one for single calls)."""
    try:
        data = _loads(body) if isinstance(body, (bytes, str)) else body
    except _DecodeError:
        msg = f"M3 {program}/{transaction}: response is not JSON"
        raise M3ResponseError(msg) from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        msg = f"M3 {program}/{transaction}: response has no 'results' list"
        raise M3ResponseError(msg)
    terminated = _flag(data.get("wasTerminated"))
    parsed: list[M3Result] = []
    for item in results:
        name = str(item.get("transaction") or transaction)
        records = item.get("records") or []
        error = None
        if item.get("errorMessage") is not None or item.get("errorCode") or item.get("errorType"):
            error = M3BusinessError(
                program,
                name,
                item.get("errorType"),
                item.get("errorCode"),
                item.get("errorField"),
                str(item.get("errorMessage") or ""),
                partial=bool(records),
            )
        parsed.append(M3Result(name, records, error, terminated))
    return parsed


def single_result(body: bytes | str | dict[str, Any], program: str, transaction: str) -> M3Result:
    """The result of a single-transaction call; an empty `results` list means no rows."""
    results = parse_envelope(body, program, transaction)
    return results[0] if results else M3Result(transaction, [])


# --- value converters: every MI value is a string -------------------------------------------------


def to_str(value: str | None) -> str | None:
    """Alpha fields: M3 pads them with blanks; an empty value stays an empty string."""
    return None if value is None else value.rstrip()


def to_decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        msg = f"not an M3 decimal: {value!r}"
        raise ValueError(msg) from None


def to_int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value else None


def to_date(value: str | None) -> str | None:
    """`yyyyMMdd` → ISO `YYYY-MM-DD`; M3's empty date ("0" or "") → None."""
    if value is None:
        return None
    value = value.strip()
    if not value or value == "0":
        return None
    if len(value) != 8 or not value.isdigit():
        msg = f"not an M3 date (yyyyMMdd): {value!r}"
        raise ValueError(msg)
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def m3_date(iso: str) -> str:
    """ISO `YYYY-MM-DD` (or a datetime string) → M3 `yyyyMMdd`, for inputs and EXPORTMI conditions."""
    return iso[:10].replace("-", "")


Converter = Callable[[str | None], Any]
CONVERTERS: dict[str, Converter] = {
    "string": to_str,
    "decimal": to_decimal,
    "integer": to_int,
    "date": to_date,
}
