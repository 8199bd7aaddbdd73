"""The ledger: exactly-once bookkeeping, audit trail and replay queues shared by mapper and targets."""

from __future__ import annotations

from ml_connector.ledger.engine import default_ledger_url
from ml_connector.ledger.ledger import Ledger
from ml_connector.ledger.models import AuditEntry, OpenEntry, ProcessedKey, RecordOutcome, RunSummary
from ml_connector.ledger.references import ReferenceBook, ReferenceValue
from ml_connector.ledger.schemas import SchemaBook, StoredSchema

__all__ = [
    "AuditEntry",
    "Ledger",
    "OpenEntry",
    "ProcessedKey",
    "RecordOutcome",
    "ReferenceBook",
    "ReferenceValue",
    "RunSummary",
    "SchemaBook",
    "StoredSchema",
    "default_ledger_url",
]
