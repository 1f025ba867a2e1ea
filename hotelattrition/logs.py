"""Logging, configured once per process: one line per record on stderr.

The app's own loggers (`hotelattrition.*`: a line per business operation, from the services)
log at HOTELATTRITION_LOG_LEVEL; every other library at WARNING. The web's default is INFO;
the commands' is WARNING, so their output stays what scripts read unless asked for more.
"""

from __future__ import annotations

import logging
import logging.config
import os

LEVEL_VARIABLE = "HOTELATTRITION_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_configured = False


def log_config(level: str) -> dict:
    """The dictConfig of the app: its loggers at `level`, the rest at WARNING, to stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {"hotelattrition": {"level": level}},
    }


def configure_logging(default: str = "INFO") -> None:
    """Configure logging the first time only; HOTELATTRITION_LOG_LEVEL overrides `default`."""
    global _configured
    if _configured:
        return
    _configured = True
    wanted = os.environ.get(LEVEL_VARIABLE, "").strip().upper()
    logging.config.dictConfig(log_config(wanted if wanted in LEVELS else default))
    if wanted and wanted not in LEVELS:
        logging.getLogger(__name__).warning(
            "%s=%s is not one of %s; logging at %s",
            LEVEL_VARIABLE, wanted[:20], ", ".join(LEVELS), default,
        )  # fmt: skip
