"""The `.ionapi` credentials file: parse it once, build every ION URL from it, never leak its secrets."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Keys a backend-service connector cannot work without (infor-ion.md §1.1). `or` is optional: revoke only.
_REQUIRED = ("ti", "ci", "cs", "iu", "pu", "ot")
_SERVICE_ACCOUNT = ("saak", "sask")
NO_SERVICE_ACCOUNT_HINT = (
    "this .ionapi has no service-account keys (saak/sask): download it for a Backend Service with a "
    "service account"
)


class IonApiFileError(ValueError):
    """A malformed or incomplete .ionapi file; the message names keys and the source, never values."""


@dataclass(frozen=True)
class IonApiCredentials:
    """The parts of a Backend-Service `.ionapi` file a connector needs (secrets hidden from `repr`)."""

    ti: str
    cn: str
    ci: str = field(repr=False)
    cs: str = field(repr=False)
    iu: str
    pu: str
    ot: str
    or_: str = "revoke_token.oauth2"
    saak: str = field(default="", repr=False)
    sask: str = field(default="", repr=False)
    source: str = "ionapi setting"

    @property
    def tenant(self) -> str:
        return self.ti

    @property
    def gateway_url(self) -> str:
        """`{iu}/{ti}`: the root every product path hangs from."""
        return f"{self.iu.rstrip('/')}/{self.ti}"

    @property
    def m3_base_url(self) -> str:
        return f"{self.gateway_url}/M3/m3api-rest/v2"

    @property
    def token_url(self) -> str:
        return _join(self.pu, self.ot)

    @property
    def revoke_url(self) -> str:
        return _join(self.pu, self.or_)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every value that must be masked in logs."""
        return tuple(v for v in (self.ci, self.cs, self.saak, self.sask) if v)


def _join(base: str, path: str) -> str:
    """`pu` ends with `/` by convention; tolerate files where it does not."""
    if path.startswith(("http://", "https://")):
        return path
    return base if not path else f"{base.rstrip('/')}/{path.lstrip('/')}"


def _load(value: str | dict[str, Any] | Path) -> tuple[dict[str, Any], str]:
    """Return the decoded JSON object and a printable source name (a path or "ionapi setting")."""
    if isinstance(value, dict):
        return value, "ionapi setting"
    source = "ionapi setting"
    text: str
    if isinstance(value, Path) or not str(value).lstrip().startswith("{"):
        path = Path(str(value)).expanduser()
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            msg = f"cannot read the .ionapi file {source}: {exc.strerror or type(exc).__name__}"
            raise IonApiFileError(msg) from None
    else:
        text = str(value)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The position only: the decoder's message may quote part of the document, which holds secrets.
        msg = f"the .ionapi from {source} is not valid JSON (line {exc.lineno}, column {exc.colno})"
        raise IonApiFileError(msg) from None
    if not isinstance(data, dict):
        msg = f"the .ionapi from {source} is not a JSON object"
        raise IonApiFileError(msg)
    return data, source


def parse_ionapi(
    value: str | dict[str, Any] | Path, *, require_service_account: bool = True
) -> IonApiCredentials:
    """Parse `.ionapi` JSON text, an already decoded object, or a path to the file."""
    data, source = _load(value)
    wanted = _REQUIRED + (_SERVICE_ACCOUNT if require_service_account else ())
    missing = [k for k in wanted if not isinstance(data.get(k), str) or not data[k].strip()]
    if missing:
        # name every problem at once; a missing service account gets the download hint as well
        hint = f" ({NO_SERVICE_ACCOUNT_HINT})" if set(missing) & set(_SERVICE_ACCOUNT) else ""
        msg = f"the .ionapi from {source} is missing or has empty key(s): {', '.join(missing)}{hint}"
        raise IonApiFileError(msg)
    for url_key in ("iu", "pu"):
        if not data[url_key].startswith(("http://", "https://")):
            msg = f"the .ionapi from {source} has an invalid '{url_key}' (expected an http(s) URL)"
            raise IonApiFileError(msg)
    has_keys = [bool(isinstance(data.get(k), str) and data[k].strip()) for k in _SERVICE_ACCOUNT]
    if require_service_account and not all(has_keys):
        msg = f"the .ionapi from {source} cannot be used: {NO_SERVICE_ACCOUNT_HINT}"
        raise IonApiFileError(msg)
    return IonApiCredentials(
        ti=data["ti"].strip(),
        cn=str(data.get("cn") or ""),
        ci=data["ci"],
        cs=data["cs"],
        iu=data["iu"].strip().rstrip("/"),
        pu=data["pu"].strip(),
        ot=data["ot"].strip(),
        or_=str(data.get("or") or "revoke_token.oauth2").strip(),
        saak=str(data.get("saak") or ""),
        sask=str(data.get("sask") or ""),
        source=source,
    )
