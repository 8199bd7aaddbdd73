"""Content hashes decide what the target re-sends: equal content must hash alike whichever path computes it."""

from __future__ import annotations

import decimal
import hashlib
import json

from ml_connector.hashing import content_hash


def _reference(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_text_rows_hash_as_their_canonical_json() -> None:
    """The fast path for text-only rows gives the bytes of the canonical JSON: hashes stored by earlier runs
    stay valid."""
    rows = [
        {"b": "x\u0001y\u001f\"\\/\t\n", "a": "Müller € 😀 \u2028\u2029\x7f", "c": ""},
        {"erp_number": "P0001", "erp_source": "M3-100", "amount": "1234.567890"},
        {},
    ]
    for row in rows:
        assert content_hash(row) == _reference(row)


def test_order_does_not_matter_and_content_does() -> None:
    assert content_hash({"a": "1", "b": "2"}) == content_hash({"b": "2", "a": "1"})
    assert content_hash({"a": "1", "b": "2"}) != content_hash({"a": "1", "b": "3"})


def test_typed_records_normalise_decimals() -> None:
    assert content_hash({"x": decimal.Decimal("10.50")}) == content_hash({"x": decimal.Decimal("10.5")})
    assert content_hash({"x": decimal.Decimal("10.50")}) != content_hash({"x": "10.50"})
