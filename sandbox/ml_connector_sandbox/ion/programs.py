"""MI programs: transactions mapped to store queries, with M3's input validation and error results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from ml_connector_sandbox.ion.exportmi import QueryError, parse_query
from ml_connector_sandbox.ion.files import ALPHA, FILES, NUMBER, M3File, format_value
from ml_connector_sandbox.ion.store import M3Store

_MESSAGE_WIDTH = 60  # M3 sends fixed-width, blank-padded messages
# Below this many rows in an EXPORTMI LMDT range, reading the LMDT index and sorting beats a key-order scan.
_INDEX_CUTOFF = 10_000


class MIError(Exception):
    """A failed transaction; HTTP stays 200 and the error travels in the v2 result."""

    def __init__(self, error_type: str, message: str, *, code: str = "", field_name: str = "") -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.code = code
        self.field_name = field_name


@dataclass(frozen=True)
class Input:
    """One declared input field: type (A/N), maximum length, mandatory flag."""

    name: str
    kind: str
    length: int
    mandatory: bool = False


@dataclass
class Call:
    """One MI call after control parameters are resolved (company checked, maxrecs capped)."""

    company: int
    division: str
    fields: dict[str, str]
    limit: int
    returncols: list[str] | None = None
    exclude_empty: bool = False
    now: float = 0.0
    values: dict[str, Any] = field(default_factory=dict)  # validated inputs: str for A, int for N


Handler = Callable[[M3Store, Call], list[dict[str, str]]]


@dataclass(frozen=True)
class Transaction:
    inputs: tuple[Input, ...]
    handler: Handler


def _records(file: M3File, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[dict[str, str]]:
    kinds = [file.types[c] for c in columns]
    return [{c: format_value(k, v) for c, k, v in zip(columns, kinds, row)} for row in rows]


def _list(file_name: str, columns: tuple[str, ...] | None = None) -> Callable[..., Handler]:
    """Build a list/get handler from a WHERE builder returning (conditions, params) for the call."""
    file = FILES[file_name]
    cols = columns or file.columns

    def wrap(build: Callable[[Call], tuple[list[str], list[Any]]]) -> Handler:
        def handler(store: M3Store, call: Call) -> list[dict[str, str]]:
            conds, params = build(call)
            sql = (
                f'SELECT {", ".join(cols)} FROM "{file.name}" WHERE CONO = ?'
                + "".join(f" AND {c}" for c in conds)
                + f" ORDER BY {', '.join(file.keys)} LIMIT ?"
            )
            return _records(file, cols, store.fetch(sql, [call.company, *params, call.limit]))

        return handler

    return wrap


def _one(file_name: str, key: str) -> Handler:
    """A Get transaction: exactly one record by its key field, else XRE0103."""
    list_handler = _list(file_name)(lambda call: ([f"{key} = ?"], [call.values[key]]))

    def handler(store: M3Store, call: Call) -> list[dict[str, str]]:
        records = list_handler(store, call)
        if not records:
            raise MIError("ServerReturnedNOK", "Record does not exist", code="XRE0103", field_name=key)
        return records[:1]

    return handler


def _range(call: Call, column: str, from_field: str | None, to_field: str | None = None) -> tuple[list[str], list[Any]]:
    conds: list[str] = []
    params: list[Any] = []
    if from_field and call.values.get(from_field):
        conds.append(f"{column} >= ?")
        params.append(call.values[from_field])
    if to_field and call.values.get(to_field):
        conds.append(f"{column} <= ?")
        params.append(call.values[to_field])
    return conds, params


def _lmts(call: Call, conds: tuple[list[str], list[Any]]) -> tuple[list[str], list[Any]]:
    if call.values.get("LMTS"):
        conds[0].append("LMTS >= ?")
        conds[1].append(call.values["LMTS"])
    return conds


def _server_time(_: M3Store, call: Call) -> list[dict[str, str]]:
    now = dt.datetime.fromtimestamp(call.now, dt.timezone.utc)
    return [{"DATE": now.strftime("%Y%m%d"), "TIME": now.strftime("%H%M%S"), "LMTS": str(int(call.now * 1000))}]


def _account_ids(call: Call) -> tuple[list[str], list[Any]]:
    conds, params = ["AITP = ?"], [call.values["AITP"]]
    division = call.values.get("DIVI") or call.division
    if division:
        conds.append("DIVI = ?")
        params.append(division)
    more, more_params = _range(call, "AITM", "AITM")
    return conds + more, params + more_params


def _po_lines(store: M3Store, call: Call) -> list[dict[str, str]]:
    _one("MPHEAD", "PUNO")(store, call)  # a missing PO is an error, not an empty list
    return _list("MPLINE")(lambda c: (["PUNO = ?"], [c.values["PUNO"]]))(store, call)


def _export_select(store: M3Store, call: Call) -> list[dict[str, str]]:
    """EXPORTMI/Select. A header row (HDRS=1) counts toward maxrecs, as on a real grid."""
    try:
        query = parse_query(call.values["QERY"])
    except QueryError as exc:
        raise MIError("ServerReturnedNOK", str(exc), code="XEX0001", field_name="QERY") from None
    sepc = call.values.get("SEPC") or ";"
    if query.count:
        sql, params = query.sql(call.company, None)
        return [{"REPL": str(store.fetch(sql, params)[0][0])}]
    header = call.values.get("HDRS") == 1
    limit = call.limit - 1 if header else call.limit
    records = [{"REPL": sepc.join(query.headers)}] if header else []
    if limit <= 0:
        return records[: call.limit]
    probe = query.probe_sql(call.company, _INDEX_CUTOFF)
    by_change_date = probe is not None and store.fetch(*probe)[0][0] < _INDEX_CUTOFF
    sql, params = query.sql(call.company, limit, by_change_date=by_change_date)
    kinds = [query.file.types[c] for c in query.columns]
    for row in store.fetch(sql, params):
        records.append({"REPL": sepc.join(format_value(k, v) for k, v in zip(kinds, row))})
    return records


_CONO = Input("CONO", NUMBER, 3)
_LMTS = Input("LMTS", NUMBER, 18)

PROGRAMS: dict[str, dict[str, Transaction]] = {
    "GENERAL": {"GetServerTime": Transaction((), _server_time)},
    "MNS100MI": {
        "LstDivisions": Transaction(
            (_CONO,), _list("CMNDIV", ("CONO", "DIVI", "CONM", "TX40", "LOCD"))(lambda call: ([], []))
        ),
    },
    "CRS620MI": {
        "LstSuppliers": Transaction(
            (_CONO, Input("FRSU", ALPHA, 10), Input("TOSU", ALPHA, 10), _LMTS),
            _list("CIDMAS")(lambda call: _lmts(call, _range(call, "SUNO", "FRSU", "TOSU"))),
        ),
        "GetBasicData": Transaction((_CONO, Input("SUNO", ALPHA, 10, True)), _one("CIDMAS", "SUNO")),
    },
    "CRS630MI": {
        "LstAccountID": Transaction(
            (_CONO, Input("DIVI", ALPHA, 3), Input("AITP", NUMBER, 1, True), Input("AITM", ALPHA, 8),
             Input("LNCD", ALPHA, 2)),
            _list("FCHACC")(_account_ids),
        ),
    },
    "CRS610MI": {
        "LstByNumber": Transaction(
            (_CONO, Input("CUNO", ALPHA, 10), _LMTS),
            _list("OCUSMA")(lambda call: _lmts(call, _range(call, "CUNO", "CUNO"))),
        ),
    },
    "MMS200MI": {
        "LstItmByChgDate": Transaction(
            (_CONO, Input("FLMD", NUMBER, 8), Input("TLMD", NUMBER, 8)),
            _list("MITMAS")(lambda call: _range(call, "LMDT", "FLMD", "TLMD")),
        ),
        "Get": Transaction((_CONO, Input("ITNO", ALPHA, 15, True)), _one("MITMAS", "ITNO")),
    },
    "PPS200MI": {
        "GetHead": Transaction((_CONO, Input("PUNO", ALPHA, 10, True)), _one("MPHEAD", "PUNO")),
        "LstLine": Transaction((_CONO, Input("PUNO", ALPHA, 10, True)), _po_lines),
    },
    "EXPORTMI": {
        "Select": Transaction(
            (Input("QERY", ALPHA, 4096, True), Input("SEPC", ALPHA, 1), Input("HDRS", NUMBER, 1)),
            _export_select,
        ),
    },
}


def lookup(program: str, transaction: str) -> Transaction:
    """Find a transaction or raise TransactionNotFound the way MI REST words it."""
    txns = PROGRAMS.get(program)
    if txns is None:
        raise MIError("TransactionNotFound", f"Program {program} does not exist")
    txn = txns.get(transaction)
    if txn is None:
        raise MIError("TransactionNotFound", f"Transaction {transaction} does not exist in program {program}")
    return txn


def validate(txn: Transaction, fields: dict[str, str]) -> dict[str, Any]:
    """Check mandatory fields, lengths and numeric syntax; return typed values of the non-blank inputs."""
    values: dict[str, Any] = {}
    for spec in txn.inputs:
        raw = fields.get(spec.name, "").strip()
        if not raw:
            if spec.mandatory:
                raise MIError("MandatoryInputFieldNotFound", f"Mandatory field {spec.name} is missing",
                              field_name=spec.name)
            continue
        if len(raw) > spec.length:
            raise MIError("InputFieldTooLong", f"Field {spec.name} is longer than {spec.length} characters",
                          field_name=spec.name)
        if spec.kind == NUMBER:
            if not raw.lstrip("-").isdigit():
                raise MIError("ServerReturnedNOK", f"Field {spec.name} must be numeric",
                              code=f"W{spec.name[:2]}0101", field_name=spec.name)
            values[spec.name] = int(raw)
        else:
            values[spec.name] = raw
    return values


def shape(records: list[dict[str, str]], call: Call) -> list[dict[str, str]]:
    """Apply `returncols` and `excludempty` to output records."""
    if call.returncols:
        wanted = [c for c in call.returncols if c]
        records = [{c: r[c] for c in wanted if c in r} for r in records]
    if call.exclude_empty:
        records = [{k: v for k, v in r.items() if v != ""} for r in records]
    return records


def success(transaction: str, records: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "results": [{"transaction": transaction, "records": records}],
        "wasTerminated": False,
        "nrOfSuccessfullTransactions": 1,
        "nrOfFailedTransactions": 0,
    }


def failure(transaction: str, error: MIError) -> dict[str, Any]:
    return {
        "results": [
            {
                "transaction": transaction,
                "errorMessage": error.message.ljust(_MESSAGE_WIDTH),
                "errorType": error.error_type,
                "errorCode": error.code,
                "errorField": error.field_name,
                "records": [],
            }
        ],
        "wasTerminated": False,
        "nrOfSuccessfullTransactions": 0,
        "nrOfFailedTransactions": 1,
    }
