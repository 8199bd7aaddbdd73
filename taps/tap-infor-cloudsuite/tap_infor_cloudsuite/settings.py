"""The tap's settings (config JSON schema)."""

from __future__ import annotations

from ml_connector.singer.prefetch import read_ahead_property
from singer_sdk import typing as th

PRODUCT_LINES = ("m3", "syteline", "ln", "fsm")
SUPPORTED_PRODUCT_LINES = ("m3",)

CONFIG_SCHEMA = th.PropertiesList(
    th.Property(
        "product_line",
        th.StringType,
        default="m3",
        allowed_values=list(PRODUCT_LINES),
        description="CloudSuite product behind ION. Only 'm3' is supported yet; others fail at start.",
    ),
    th.Property(
        "ionapi",
        th.StringType,
        secret=True,
        description="Content of the Backend-Service .ionapi file (JSON), or 'mlc-secret:NAME'. "
        "Either this or ionapi_path is required.",
    ),
    th.Property(
        "ionapi_path", th.StringType, description="Path to the .ionapi file (if `ionapi` is not set)."
    ),
    th.Property(
        "companies",
        th.ArrayType(
            th.ObjectType(
                th.Property(
                    "cono",
                    th.CustomType({"type": ["string", "integer"]}),
                    required=True,
                    description="M3 company number, e.g. '100' (a number is accepted too).",
                ),
                th.Property(
                    "divisions",
                    th.ArrayType(th.StringType),
                    required=True,
                    description="Divisions to read (GL dimensions per division; POs and AP restricted to them).",
                ),
            )
        ),
        required=True,
        description='Companies and divisions to extract, e.g. [{"cono": "100", "divisions": ["AAA", "BBB"]}].',
    ),
    th.Property(
        "start_date", th.DateType, description="Earliest LMDT (change date) to extract on a first run."
    ),
    th.Property(
        "lookback_days", th.IntegerType, default=1, description="Days re-read before the bookmark day."
    ),
    read_ahead_property(),
    th.Property("page_size", th.IntegerType, default=1000, description="Rows per MI call (maxrecs)."),
    th.Property(
        "requests_per_minute",
        th.IntegerType,
        default=300,
        description="Client-side pace for all M3 calls of one run (the ION per-client quota).",
    ),
    th.Property(
        "token_refresh_margin_seconds",
        th.IntegerType,
        default=300,
        description="Refresh the access token this long before it expires.",
    ),
    th.Property(
        "max_retries", th.IntegerType, default=8, description="Retries of a call on 429/5xx/timeouts."
    ),
    th.Property(
        "request_timeout_seconds", th.IntegerType, default=60, description="Timeout of one HTTP call."
    ),
    th.Property(
        "gl_account_dimension",
        th.IntegerType,
        default=1,
        description="Accounting dimension (AITP) holding GL accounts.",
    ),
    th.Property(
        "cost_center_dimension",
        th.IntegerType,
        default=2,
        description="Accounting dimension (AITP) holding cost centers (tenant-specific in M3).",
    ),
).to_dict()
