"""The JSON log format (LOG_FORMAT=json): one object per line, for a log collector."""

import json
import logging
from datetime import UTC, datetime

from customers.masking import redact_text


class JsonFormatter(logging.Formatter):
    """time, level, logger and message (and a traceback) as one JSON object per line.

    Only the message goes out, never a record's `extra` fields: the message is what the
    console handler's redacting filter has checked, and is masked here again (emails and phone
    numbers, however written) for a record that reached this formatter another way. Non-ASCII
    characters are written as they are, not as \\u escapes a reader of the log would have to
    decode to see an identifier.
    """

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),
        }
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            # The redacting filter formats (and redacts) the traceback into exc_text.
            fields["exception"] = record.exc_text
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
