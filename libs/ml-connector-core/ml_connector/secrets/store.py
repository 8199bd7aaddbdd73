"""An encrypted file of named secrets, so meltano.yml and .env only ever hold references."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ml_connector.secrets.errors import FILE_ENV, KEY_ENV, SecretsError

try:  # POSIX only; on other systems concurrent writers are simply not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

FORMAT = "ml-connector-secrets"
# scrypt cost: ~0.1 s per derivation, paid once per store instance; stored per file so it can grow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")


def default_secrets_path() -> Path:
    """ML_CONNECTOR_SECRETS_FILE, else <project root>/.ml-connector/secrets.enc."""
    configured = os.environ.get(FILE_ENV)
    if configured:
        return Path(configured)
    root = Path(os.environ.get("MELTANO_PROJECT_ROOT") or os.getcwd())
    return root / ".ml-connector" / "secrets.enc"


class SecretStore:
    """Named secrets encrypted with Fernet under a key derived (scrypt, random salt) from a passphrase.

    The file is a small JSON header (format, KDF parameters, salt) plus one Fernet token holding
    every name and value, so even the names are unreadable without the passphrase.
    """

    def __init__(self, path: Path | None = None, key: str | None = None) -> None:
        self.path = Path(path) if path is not None else default_secrets_path()
        self._passphrase = key if key is not None else os.environ.get(KEY_ENV)
        self._fernet: Fernet | None = None
        self._derived_for: tuple[bytes, int, int, int] | None = None  # (salt, n, r, p) of _fernet
        self._salt: bytes | None = None  # salt of the file as last read; rewrites keep it

    # -- public -----------------------------------------------------------------------------

    def get(self, name: str) -> str:
        """The secret's value; SecretsError when it does not exist."""
        secrets = self._read()
        if name not in secrets:
            msg = f"no secret named {name!r} in {self.path}"
            raise SecretsError(msg)
        return secrets[name]

    def set(self, name: str, value: str) -> None:
        """Create or replace a secret (atomic rewrite of the whole file)."""
        _check_name(name)
        if not value:
            msg = f"refusing to store an empty value for {name!r}"
            raise SecretsError(msg)
        with self._locked():
            secrets = self._read()
            secrets[name] = value
            self._write(secrets)

    def delete(self, name: str) -> None:
        """Remove a secret; SecretsError when it does not exist."""
        with self._locked():
            secrets = self._read()
            if name not in secrets:
                msg = f"no secret named {name!r} in {self.path}"
                raise SecretsError(msg)
            del secrets[name]
            self._write(secrets)

    def names(self) -> list[str]:
        """Sorted secret names (decrypting is needed: names are encrypted too)."""
        return sorted(self._read())

    # -- file format ------------------------------------------------------------------------

    def _require_passphrase(self) -> str:
        if not self._passphrase:
            msg = f"{KEY_ENV} is not set: export the passphrase that encrypts {self.path}"
            raise SecretsError(msg)
        return self._passphrase

    def _cipher(self, salt: bytes, n: int, r: int, p: int) -> Fernet:
        # derivation is deliberately slow, so derive once per (salt, parameters)
        if self._fernet is None or self._derived_for != (salt, n, r, p):
            kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
            raw = kdf.derive(self._require_passphrase().encode("utf-8"))
            self._fernet = Fernet(base64.urlsafe_b64encode(raw))
            self._derived_for = (salt, n, r, p)
        return self._fernet

    def _read(self) -> dict[str, str]:
        self._require_passphrase()
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            header = json.loads(text)
            kdf = header["kdf"]
            salt = base64.b64decode(kdf["salt"])
            token = header["token"].encode("ascii")
            if header.get("format") != FORMAT:
                raise ValueError(header.get("format"))
        except (ValueError, KeyError, TypeError) as exc:
            msg = f"{self.path} is not an ml-connector secrets file"
            raise SecretsError(msg) from exc
        try:
            plain = self._cipher(salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"])).decrypt(token)
        except InvalidToken:
            msg = f"cannot decrypt {self.path}: wrong {KEY_ENV}?"
            raise SecretsError(msg) from None
        self._salt = salt
        return dict(json.loads(plain.decode("utf-8")))

    def _write(self, secrets: dict[str, str]) -> None:
        salt = self._salt or os.urandom(16)
        token = self._cipher(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P).encrypt(json.dumps(secrets).encode("utf-8"))
        header = {
            "format": FORMAT,
            "version": 1,
            "kdf": {
                "name": "scrypt",
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": base64.b64encode(salt).decode("ascii"),
            },
            "token": token.decode("ascii"),
        }
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file 0600 from the start: the ciphertext is never world-readable
        fd, tmp = tempfile.mkstemp(prefix=".secrets-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(header, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise read-modify-write across processes so two `secrets set` never lose one."""
        if fcntl is None:
            yield
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(f"{self.path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        msg = f"invalid secret name {name!r}: use letters, digits, '_', '.', '-'"
        raise SecretsError(msg)
