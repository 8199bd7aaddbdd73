"""Serve several emulator apps from one asyncio loop, each on its own port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the OS for a port nobody is listening on (tests run several sandboxes side by side)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def make_servers(apps: Sequence[tuple[Any, str, int]]) -> list[uvicorn.Server]:
    """One uvicorn server per (app, host, port); quiet access logs so the sandbox log stays readable."""
    servers = []
    for app, host, port in apps:
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        servers.append(uvicorn.Server(config))
    return servers


async def serve_all(servers: Sequence[uvicorn.Server]) -> None:
    await asyncio.gather(*(server.serve() for server in servers))
