"""Infor ION API Gateway + Mingle SSO + M3 MI REST emulator."""

from ml_connector_sandbox.ion.emulator import EmulatorHandle, build

__all__ = ["EmulatorHandle", "build"]
