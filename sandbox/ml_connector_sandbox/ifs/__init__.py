"""IFS Cloud emulator: IAM (Keycloak) client-credentials tokens and OData v4 projections."""

from ml_connector_sandbox.ifs.emulator import EmulatorHandle, build

__all__ = ["EmulatorHandle", "build"]
