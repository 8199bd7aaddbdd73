"""The mapper's settings schema (documented one by one in README.md)."""

from __future__ import annotations


from ml_connector.servicenow import AUTH_METHODS
from singer_sdk import typing as th

from mapper_gl_vendor.profiles import DIMENSIONS, PROFILES
from mapper_gl_vendor.target_reference import TARGET_READERS

NO_TARGET = "none"

CONFIG_SCHEMA = th.PropertiesList(
    th.Property("profile", th.StringType, default="infor_m3", allowed_values=list(PROFILES),
                description="Source profile: which streams hold reference data and which fields must resolve"),
    th.Property("profile_overrides", th.ObjectType(additional_properties=True),
                description="Top-level profile keys to override (references, checks, documents, ...)"),
    th.Property("source_system", th.StringType,
                description="Ledger source system (default: the profile name, as the target uses)"),
    th.Property("erp_source_prefix", th.StringType,
                description="Target erp_source prefix of this source (default from the profile, M3 for infor_m3)"),
    th.Property("crosswalk_path", th.StringType,
                description="CSV dimension,source_value,target_value[,company] for codes that differ"),
    th.Property("crosswalk_required", th.ArrayType(th.StringType(allowed_values=list(DIMENSIONS))), default=[],
                description="Dimensions whose every value must come from the crosswalk"),
    th.Property("target_system", th.StringType, default="servicenow",
                allowed_values=[*TARGET_READERS, NO_TARGET],
                description="Whose reference tables to read; 'none' trusts only this run's reference records"),
    th.Property("instance_url", th.StringType, description="Target instance URL (ServiceNow)"),
    th.Property("auth_method", th.StringType, default="oauth_client_credentials", allowed_values=list(AUTH_METHODS)),
    th.Property("client_id", th.StringType),
    th.Property("client_secret", th.StringType, secret=True, description="Accepts an mlc-secret:NAME reference"),
    th.Property("username", th.StringType),
    th.Property("password", th.StringType, secret=True, description="Accepts an mlc-secret:NAME reference"),
    th.Property("credentials_file", th.StringType,
                description="JSON file with client_id/client_secret/username/password; explicit settings win"),
    th.Property("requests_per_minute", th.NumberType, description="Client-side pacing of the reference reads"),
    th.Property("ledger_url", th.StringType, description="Ledger database URL (default: the ledger default)"),
    th.Property("job_name", th.StringType, description="Job name in the ledger (default $MELTANO_JOB_NAME or adhoc)"),
    th.Property("alert_webhook_url", th.StringType, secret=True,
                description="Webhook for the run alert (Slack-style incoming webhooks work); mlc-secret: allowed"),
    th.Property("alert_timeout_seconds", th.NumberType, default=10),
    th.Property("spill_directory", th.StringType,
                description="Where held headers are spilled (a temporary SQLite file; default: the temp dir)"),
).to_dict()
