"""The tap's settings (config JSON schema); every UNCONFIRMED IFS fact is one of them."""

from __future__ import annotations

from ml_connector.singer.prefetch import read_ahead_property
from singer_sdk import typing as th

from tap_ifs_cloud.catalog import MAX_PAGE_SIZE, MODES, SPECS

CODE_PARTS = tuple("BCDEFGHIJ")


def _stream_override(name: str) -> th.Property:
    return th.Property(
        name,
        th.ObjectType(
            th.Property("projection", th.StringType, description="Projection (or entity service) name, no '.svc'."),
            th.Property("entity_set", th.StringType, description="Entity set name."),
            th.Property("api_path", th.StringType, description="Path before '<projection>.svc', e.g. "
                        "'/main/ifsapplications/projection/v1'."),
            th.Property("replication_mode", th.StringType, allowed_values=list(MODES),
                        description="change_timestamp, business_date (fallback) or full_table."),
            th.Property("change_field", th.StringType, description="Filterable change timestamp (Edm.DateTimeOffset)."),
            th.Property("date_field", th.StringType, description="Business date (Edm.Date) for business_date mode."),
            th.Property("company_field", th.StringType,
                        description="Company property to partition on; '' reads the set without partitions."),
        ),
        description=f"Overrides for the {name} stream.",
    )


CONFIG_SCHEMA = th.PropertiesList(
    th.Property("tenant", th.StringType, description="Tenant host name: https://<tenant>.ifs.cloud."),
    th.Property("base_url", th.StringType, description="Overrides https://<tenant>.ifs.cloud (sandbox, "
                "customer domains, on-premises), e.g. http://127.0.0.1:18763."),
    th.Property("realm", th.StringType, description="IAM realm (namespace), e.g. 'acme1'. "
                "No documented naming rule: copy it from the IFS IAM client page."),
    th.Property("token_url", th.StringType, description="Overrides <base>/auth/realms/<realm>/protocol/"
                "openid-connect/token."),
    th.Property("client_id", th.StringType, description="IAM client id (confidential client)."),
    th.Property("client_secret", th.StringType, secret=True,
                description="IAM client secret, or 'mlc-secret:NAME'."),
    th.Property("credentials_file", th.StringType,
                description="JSON file holding any of realm, client_id, client_secret (e.g. a mounted secret); "
                "explicit settings win. realm, client_id and client_secret are required from one or the other."),
    th.Property("scope", th.StringType, default="openid microprofile-jwt", description="Token scope."),
    th.Property("companies", th.ArrayType(th.StringType), required=True,
                description="Companies to extract (each is a state partition); must be Allowed Companies of "
                "the IAM client's user, or IFS answers empty."),
    th.Property("start_date", th.DateTimeType, description="Earliest change (or business date) on a first run."),
    th.Property("page_size", th.IntegerType, default=MAX_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE,
                description="Rows per request ($top or odata.maxpagesize); capped at 5000."),
    th.Property("paging_mode", th.StringType, default="client", allowed_values=["client", "server"],
                description="client: $top/$skip (what live tenants honour); server: Prefer odata.maxpagesize. "
                "An @odata.nextLink is followed in both modes."),
    read_ahead_property(),
    th.Property("requests_per_minute", th.IntegerType, default=1000,
                description="Client-side pace for all requests of one run (IFS publishes no limit); 0 = unpaced."),
    th.Property("change_lookback_seconds", th.IntegerType, default=60,
                description="Re-read changes this long before the bookmark (late commits)."),
    th.Property("lookback_days", th.IntegerType, default=3,
                description="business_date mode: re-read this many days before the bookmark date."),
    th.Property("token_refresh_margin_seconds", th.IntegerType, default=30,
                description="Refresh the token this long before it expires (IFS tokens live 180 s by default)."),
    th.Property("max_retries", th.IntegerType, default=8, description="Retries of a call on 429/5xx/timeouts."),
    th.Property("request_timeout_seconds", th.IntegerType, default=60, description="Timeout of one HTTP call."),
    th.Property("suppliers_per_company", th.BooleanType, default=False,
                description="Emit each (global) IFS supplier once per configured company, with Company set and "
                "key (Company, SupplierId): for targets whose vendors belong to one company's ERP source."),
    th.Property("cost_center_code_part", th.StringType, default="B", allowed_values=list(CODE_PARTS),
                description="Code part holding cost centers (Reference_Code<X>, field Code<X>)."),
    th.Property("streams", th.ObjectType(*(_stream_override(spec.name) for spec in SPECS)),
                description="Per-stream overrides of the IFS defaults."),
).to_dict()
