"""The Capillary boundary: everything the app knows of Capillary's customer API.

`client` (the only HTTP to the backend, through `requests`), `auth` (Basic and the OAuth token
cache), `exceptions` (the error tree and the backend's error-code tables), `query` (every lookup
parameter, validated) and `records` (the customer document as typed records). The app's own
modules beside this package import these names from here.
"""

from customers.capillary.client import (
    InProcess,
    LookupClient,
    LookupResponse,
    configure,
    get_client,
)
from customers.capillary.exceptions import (
    BackendError,
    BackendUnavailable,
    BadResponse,
    CircuitOpen,
    ConfigurationError,
    CustomerMerged,
    CustomerNotFound,
    InvalidQuery,
    InvalidRequest,
    NotAllowed,
    RateLimited,
)
from customers.capillary.query import (
    ACCEPTED_IDENTIFIER_NAMES,
    ALL,
    BY_ID_EMBEDS,
    BY_ID_SOURCES,
    CARD_EXTERNAL_ID,
    DEFAULT_EMBEDS,
    DEFAULT_FLAGS,
    EMBEDS,
    FRAUD_DETAILS,
    IDENTIFIER_NAMES,
    INSTORE,
    MLP,
    MOBILE,
    SOURCE_NAME,
    SOURCES,
    LookupQuery,
)
from customers.capillary.records import Customer, ShapeError

__all__ = [
    "ACCEPTED_IDENTIFIER_NAMES",
    "ALL",
    "BY_ID_EMBEDS",
    "BY_ID_SOURCES",
    "CARD_EXTERNAL_ID",
    "DEFAULT_EMBEDS",
    "DEFAULT_FLAGS",
    "EMBEDS",
    "FRAUD_DETAILS",
    "IDENTIFIER_NAMES",
    "INSTORE",
    "MLP",
    "MOBILE",
    "SOURCES",
    "SOURCE_NAME",
    "BackendError",
    "BackendUnavailable",
    "BadResponse",
    "CircuitOpen",
    "ConfigurationError",
    "Customer",
    "CustomerMerged",
    "CustomerNotFound",
    "InProcess",
    "InvalidQuery",
    "InvalidRequest",
    "LookupClient",
    "LookupQuery",
    "LookupResponse",
    "NotAllowed",
    "RateLimited",
    "ShapeError",
    "configure",
    "get_client",
]
