"""Checks run before any stream syncs (and by `--test`): product line, credentials, token, companies, divisions.

Everything that a user can get wrong in the settings fails here, with a message naming the cause,
instead of half-way through a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ml_connector.ion.auth import IonAuthError
from ml_connector.ion.client import M3Client, M3HTTPError
from ml_connector.ion.m3 import NOT_AUTHORIZED_FOR_COMPANY
from ml_connector.singer.rest import tap_pacer
from singer_sdk.exceptions import ConfigurationError

from tap_infor_cloudsuite.settings import SUPPORTED_PRODUCT_LINES

if TYPE_CHECKING:
    from tap_infor_cloudsuite.tap import TapInforCloudSuite


class PreflightError(ConfigurationError):
    """A setting does not match the M3 instance; the message says which and how."""


def check_product_line(product_line: str) -> None:
    if product_line not in SUPPORTED_PRODUCT_LINES:
        msg = f"product_line '{product_line}' is not supported yet; only 'm3' is"
        raise PreflightError(msg)


def run_preflight(tap: TapInforCloudSuite) -> None:
    check_product_line(str(tap.config.get("product_line", "m3")))
    credentials = tap.ion_credentials
    authenticator = tap.ion_authenticator
    try:
        if not authenticator.is_token_valid():
            authenticator.update_access_token()
    except IonAuthError as exc:
        raise PreflightError(str(exc)) from None
    client = M3Client(
        credentials.m3_base_url,
        authenticator,
        pacer=tap_pacer(tap),
        max_retries=int(tap.config.get("max_retries", 8)),
        timeout=float(tap.config.get("request_timeout_seconds", 60)),
    )
    for company in tap.companies:
        _check_company(client, company["cono"], company["divisions"])
    tap.logger.info(
        "Pre-flight checks passed for tenant %s, companies %s",
        credentials.tenant,
        ", ".join(c["cono"] for c in tap.companies),
    )


def _check_company(client: M3Client, cono: str, divisions: list[str]) -> None:
    if not divisions:
        msg = f"company {cono}: list at least one division in 'companies[].divisions'"
        raise PreflightError(msg)
    try:
        result = client.execute("MNS100MI", "LstDivisions", cono=cono, maxrecs=0)
    except (M3HTTPError, IonAuthError) as exc:
        msg = f"cannot list the divisions of company {cono}: {exc}"
        raise PreflightError(msg) from None
    if result.error is not None:
        if result.error.code == NOT_AUTHORIZED_FOR_COMPANY:
            msg = (
                f"company {cono} is not available to this service account on the M3 instance "
                f"(M3: {result.error.message})"
            )
        else:
            msg = f"cannot list the divisions of company {cono}: {result.error}"
        raise PreflightError(msg)
    valid = sorted({str(r.get("DIVI", "")).rstrip() for r in result.records} - {""})
    unknown = [d for d in divisions if d not in valid]
    if unknown:
        msg = (
            f"company {cono} has no division(s) {', '.join(unknown)} on the M3 instance; "
            f"valid divisions: {', '.join(valid) or '(none)'}"
        )
        raise PreflightError(msg)
