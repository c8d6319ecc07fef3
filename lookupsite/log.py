"""The JSON log format (LOG_FORMAT=json): one object per line, for a log collector."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """time, level, logger and message (and a traceback) as one JSON object per line.

    Only the message goes out, never a record's `extra` fields: the message is what the
    console handler's redacting filter has checked.
    """

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            # The redacting filter formats (and redacts) the traceback into exc_text.
            fields["exception"] = record.exc_text
        return json.dumps(fields, separators=(",", ":"))
