"""protect(): registered values never reach a log line or a traceback, whatever the handler."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import textwrap

from ml_connector.secrets import protect
from ml_connector.secrets.redact import redact

SECRET = "tok-9f8e7d6c5b4a"


def test_redacts_messages_args_and_late_handlers() -> None:
    protect(SECRET)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # added *after* protect(), like the SDK's handlers
    logger = logging.getLogger("tap_infor_cloudsuite.streams")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("token is %s", SECRET)
        logger.info({"Authorization": f"Bearer {SECRET}"})
        logger.warning(f"url https://h/?t={SECRET}")
        try:
            raise RuntimeError(f"auth failed with {SECRET}")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert SECRET not in output
    assert output.count("***") >= 4
    assert "RuntimeError: auth failed with ***" in output


def test_encoded_forms_and_short_values() -> None:
    protect("p@ss word/1", "abc")
    assert redact("q=p%40ss%20word%2F1 and p%40ss+word%2F1") == "q=*** and ***"
    assert redact("abc stays") == "abc stays"  # too short to mask safely


def test_plugin_stderr_and_uncaught_traceback_are_redacted() -> None:
    script = textwrap.dedent(
        f"""
        import logging, sys
        from ml_connector.secrets import protect
        protect({SECRET!r})
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)
        logging.getLogger("singer_sdk.metrics").info("config %s", {{"client_secret": {SECRET!r}}})
        raise SystemError("boom " + {SECRET!r})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert SECRET not in result.stderr
    assert "'client_secret': '***'" in result.stderr
    assert "SystemError: boom ***" in result.stderr
