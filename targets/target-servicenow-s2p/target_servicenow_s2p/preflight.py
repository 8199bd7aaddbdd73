"""Pre-flight: prove, before the first write, that the instance can take the load — and say what to fix."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ml_connector.servicenow import ServiceNowAuthError, ServiceNowClient, ServiceNowError, ServiceNowUnavailable
from ml_connector.servicenow.platform import current_user, inactive_scopes, missing_tables, user_roles


class PreflightError(Exception):
    """The instance is not ready; nothing was written."""


@dataclass
class PreflightReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    user_name: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def run_preflight(
    client: ServiceNowClient,
    *,
    staging_tables: Sequence[str],
    required_scopes: Sequence[str],
    required_roles: Sequence[str],
    auth_hint: str,
) -> PreflightReport:
    """Auth, S2P apps, staging tables, roles (soft), user time zone (soft)."""
    report = PreflightReport()
    instance = client.instance_url
    try:
        user = current_user(client)
    except ServiceNowAuthError as exc:
        report.errors.append(f"authentication to {instance} failed: {exc.message} (settings: {auth_hint})")
        return report
    except ServiceNowUnavailable as exc:
        report.errors.append(f"{instance} is unreachable: {exc} (check instance_url)")
        return report
    except ServiceNowError as exc:
        report.errors.append(f"cannot read the API user on {instance}: {exc} (settings: {auth_hint})")
        return report
    report.user_name = user.user_name
    try:
        if required_scopes:
            missing = inactive_scopes(client, required_scopes)
            if missing:
                report.errors.append(
                    f"ServiceNow S2P apps missing or inactive on {instance}: {', '.join(missing)} — install/activate "
                    "them (Source-to-Pay Integration Framework / ERP Integration Framework)"
                )
        tables = missing_tables(client, staging_tables)
        if tables:
            report.errors.append(
                f"staging tables missing on {instance}: {', '.join(tables)} — install the S2P integration apps "
                "or fix stream_mappings"
            )
    except ServiceNowError as exc:
        report.errors.append(f"cannot read the platform tables on {instance}: {exc}")
        return report
    _check_roles(client, user.sys_id, user.user_name, required_roles, report)
    if user.time_zone and user.time_zone.upper() not in ("UTC", "GMT", "ETC/UTC"):
        report.warnings.append(
            f"user {user.user_name} has time zone {user.time_zone}: staged dates are read in that zone — set it to UTC"
        )
    return report


def _check_roles(
    client: ServiceNowClient, user_id: str, user_name: str, required: Sequence[str], report: PreflightReport
) -> None:
    if not required:
        return
    hint = f"cannot read roles; make sure the user {user_name or '(API user)'} has {', '.join(required)}"
    try:
        roles = user_roles(client, user_id)
    except (ServiceNowAuthError, ServiceNowUnavailable):
        raise
    except ServiceNowError:
        report.warnings.append(hint)
        return
    if not roles:
        report.warnings.append(hint)
        return
    missing = [role for role in required if role not in roles and "admin" not in roles]
    if missing:
        report.errors.append(f"user {user_name} lacks the role(s) {', '.join(missing)} on {client.instance_url}")


def log_report(report: PreflightReport, logger: logging.Logger) -> None:
    for warning in report.warnings:
        logger.warning("pre-flight: %s", warning)
    for error in report.errors:
        logger.error("pre-flight: %s", error)
    if report.ok:
        logger.info("pre-flight passed (user %s)", report.user_name)
