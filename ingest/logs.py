"""Structured logs: one JSON object per line, `event` plus fields, for CloudWatch queries.

Secrets are never handed to a logger in the first place; `RedactingFilter` is a second line of
defence that masks any registered secret that slips into a message or field anyway.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

LOGGER_NAME = "ingest"
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_secrets: set[str] = set()

logger = logging.getLogger(LOGGER_NAME)


def register_secret(value: str | None) -> None:
    """Mask `value` in every later log line (the key is still never passed to a logger)."""
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, "[REDACTED]")
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            record.args = tuple(redact(str(a)) for a in record.args)  # type: ignore[assignment]
        for name, value in list(vars(record).items()):
            if name not in _RESERVED and isinstance(value, str):
                setattr(record, name, redact(value))
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is now (pytest and the CLI may swap it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "event": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(payload, default=str))


def configure(default_level: str = "INFO") -> None:
    """Send the `ingest` logger's records to stderr as JSON lines at LOG_LEVEL (else
    `default_level`); safe to call repeatedly."""
    level = (os.environ.get("LOG_LEVEL") or default_level).upper()
    logger.setLevel(level)
    logger.propagate = False
    if not any(getattr(h, "_ingest_json", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RedactingFilter())
        handler._ingest_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log `event` with `fields` as top-level JSON keys."""
    logger.log(level, event, extra=fields)
