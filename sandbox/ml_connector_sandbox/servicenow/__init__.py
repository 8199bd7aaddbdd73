"""ServiceNow emulator: Table API, Import Set API with S2P transforms, OAuth, rate-limit rules."""

from ml_connector_sandbox.servicenow.emulator import EmulatorHandle, build

__all__ = ["EmulatorHandle", "build"]
