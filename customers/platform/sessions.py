"""Sessions in the cache (Redis), kept through a cache outage.

Django's cache session store reads a session it cannot fetch as no session at all: during a
Redis outage of two seconds every request looks signed out, and the session middleware then
deletes each browser's session cookie, so everyone who clicked meanwhile stays signed out once
Redis is back. This store lets the outage raise instead: the request fails closed (the error
page, nothing shown) and the session, and the cookie, survive it.
"""

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cache
from django.core.cache import caches


class SessionStore(cache.SessionStore):
    def load(self) -> dict[str, Any]:
        # No try/except: an unreachable cache is an error, not an unknown session (Redis does
        # not raise on the keys Django makes, which is what the base class guards against).
        session_data = caches[settings.SESSION_CACHE_ALIAS].get(self.cache_key)
        if session_data is not None:
            return dict(session_data)
        self._session_key = None
        return {}
