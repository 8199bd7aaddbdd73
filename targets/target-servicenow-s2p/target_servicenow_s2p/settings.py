"""The target's settings schema (documented one by one in README.md)."""

from __future__ import annotations


from singer_sdk import typing as th

from ml_connector.servicenow import AUTH_METHODS

from target_servicenow_s2p.profiles import PROFILES

DEFAULT_SCOPES = ["sn_shop", "sn_fin", "sn_spend_intg", "sn_fcms_intg"]
DEFAULT_ROLES = ["sn_fcms_intg.integration_user", "import_transformer"]

CONFIG_SCHEMA = th.PropertiesList(
    th.Property("instance_url", th.StringType, required=True, title="Instance URL",
                description="https://<instance>.service-now.com (or the sandbox URL)"),
    th.Property("auth_method", th.StringType, default="oauth_client_credentials", allowed_values=list(AUTH_METHODS),
                description="oauth_client_credentials (default), oauth_password or basic"),
    th.Property("client_id", th.StringType, description="OAuth client id (both OAuth methods)"),
    th.Property("client_secret", th.StringType, secret=True,
                description="OAuth client secret; accepts an mlc-secret:NAME reference"),
    th.Property("username", th.StringType, description="User for oauth_password and basic"),
    th.Property("password", th.StringType, secret=True,
                description="Password for oauth_password and basic; accepts an mlc-secret:NAME reference"),
    th.Property("credentials_file", th.StringType,
                description="JSON file holding any of client_id, client_secret, username, password "
                            "(e.g. a mounted secret); explicit settings win"),
    th.Property("batch_size", th.IntegerType, default=250,
                description="Records per insertMultiple (max 1000)"),
    th.Property("requests_per_minute", th.NumberType, description="Client-side pacing; unset = no pacing"),
    th.Property("ledger_url", th.StringType, description="Ledger database URL (default: the ledger default)"),
    th.Property("job_name", th.StringType, description="Job name in the ledger (default $MELTANO_JOB_NAME or adhoc)"),
    th.Property("source_system", th.StringType, default="infor_m3", description="Ledger source system"),
    th.Property("mapping_profile", th.StringType, default="infor_m3", allowed_values=list(PROFILES),
                description="Built-in mapping profile: infor_m3 or ifs_cloud"),
    th.Property("stream_mappings", th.ObjectType(additional_properties=True),
                description="Per-stream overrides: staging_table, target_table, fields, target_fields, "
                            "key_columns, rank, replace_fields"),
    th.Property("erp_source_prefix", th.StringType, default="M3", description="erp_source = <prefix>-<company> (M3 for infor_m3, IFS for ifs_cloud)"),
    th.Property("preflight", th.BooleanType, default=True, description="Check the instance before the first write"),
    th.Property("required_scopes", th.ArrayType(th.StringType), default=DEFAULT_SCOPES,
                description="S2P application scopes that must be active"),
    th.Property("required_roles", th.ArrayType(th.StringType), default=DEFAULT_ROLES,
                description="Roles the API user needs (soft check when sys_user_has_role is unreadable)"),
    th.Property("import_poll_timeout_seconds", th.NumberType, default=60,
                description="How long to wait for an asynchronous import set to be processed"),
    th.Property("alert_webhook_url", th.StringType, secret=True,
                description="POST a JSON run summary here when records are dead-lettered (Slack-style 'text')"),
    th.Property("alert_timeout_seconds", th.NumberType, default=10, description="Alert delivery timeout"),
    th.Property("validate_records", th.BooleanType, default=False,
                description="JSON-schema validation of incoming records (off by default: see README)"),
).to_dict()
