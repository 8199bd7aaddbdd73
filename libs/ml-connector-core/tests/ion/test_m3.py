from __future__ import annotations

import json
from decimal import Decimal

import pytest
from ml_connector.ion.m3 import (
    M3BusinessError,
    M3ResponseError,
    single_result,
    to_date,
    to_decimal,
    to_int,
    to_str,
)


def _body(**result: object) -> bytes:
    return json.dumps(
        {
            "results": [{"transaction": "LstX", **result}],
            "wasTerminated": "false",
            "nrOfSuccessfullTransactions": 1,
            "nrOfFailedTransactions": 0,
        }
    ).encode()


def test_records() -> None:
    result = single_result(_body(records=[{"SUNO": "S1"}]), "CRS620MI", "LstX")
    assert result.records == [{"SUNO": "S1"}]
    assert result.error is None and result.was_terminated is False
    result.raise_for_error()


def test_business_error_trimmed() -> None:
    body = _body(
        errorMessage="Record does not exist        ",
        errorType="ServerReturnedNOK",
        errorCode="XRE0103",
        errorField="SUNO",
        records=[],
    )
    result = single_result(body, "CRS620MI", "GetBasicData")
    assert result.error is not None
    with pytest.raises(M3BusinessError) as info:
        result.raise_for_error()
    err = info.value
    assert (err.program, err.code, err.field, err.error_type) == (
        "CRS620MI",
        "XRE0103",
        "SUNO",
        "ServerReturnedNOK",
    )
    assert err.message == "Record does not exist"
    assert str(err).endswith("XRE0103 field SUNO: Record does not exist")


def test_partial_nok_explicit() -> None:
    body = _body(errorMessage="Partial  ", errorCode="XYZ0001", records=[{"A": "1"}])
    result = single_result(body, "P", "T")
    assert result.partial
    with pytest.raises(M3BusinessError, match="partial result"):
        result.raise_for_error()
    result.raise_for_error(allow_partial=True)


def test_terminated_lenient() -> None:
    body = json.dumps({"results": [{"records": []}], "wasTerminated": "TRUE"})
    assert single_result(body, "P", "T").was_terminated is True


def test_not_an_envelope() -> None:
    with pytest.raises(M3ResponseError):
        single_result(b"<html>", "P", "T")
    with pytest.raises(M3ResponseError):
        single_result(b'{"error":"x"}', "P", "T")


def test_converters() -> None:
    assert to_date("20240315") == "2024-03-15"
    assert to_date("0") is None and to_date("") is None and to_date(None) is None
    with pytest.raises(ValueError):
        to_date("2024031")
    assert to_decimal("-12.345678") == Decimal("-12.345678")
    assert to_decimal("") is None
    assert to_int("007") == 7 and to_int(" ") is None
    assert to_str("ABC   ") == "ABC"
