"""Cache keys built from versions, and Django's file cache for entries that must not be lost.

The file cache has two changes:

- When the cache is full it deletes the expired files first, and picks live entries at
  random (Django's rule) only if it is still full after that. Django's own file cache
  never deletes an expired file that nobody reads again, so over weeks the folder fills
  with dead entries and the random cull then takes live ones: a login rate-limit counter,
  a session.
- With ``"IN_DEFAULT_FOLDER": True`` its folder (named by the last part of ``LOCATION``)
  sits inside the "default" cache's folder, wherever that is: every file cache of the
  site moves with ``CACHE_DIR``, and with a test run's temporary folder.

With several hosts the shared caches are on Redis (``RedisCache``): Django's own, except
that ``clear()`` deletes the keys under its own prefix instead of emptying the whole Redis
database, which the other cache (and, in tests, other test processes) also use.
"""

import hashlib
import os

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.utils import timezone
from django.utils.translation import get_language


class FileCache(FileBasedCache):
    def __init__(self, location, params):
        if params.get("IN_DEFAULT_FOLDER"):
            name = os.path.basename(os.path.normpath(location))
            location = os.path.join(settings.CACHES["default"]["LOCATION"], name)
        super().__init__(location, params)

    def _cull(self):
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        for name in files:
            try:
                with open(name, "rb") as f:
                    self._is_expired(f)  # deletes the file when it is
            except FileNotFoundError:
                pass  # another worker deleted it meanwhile
        super()._cull()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if not self.key_prefix:
            raise ValueError("a shared Redis cache needs a KEY_PREFIX of its own")

    def clear(self):
        client = self._cache.get_client(write=True)
        pattern = self.key_prefix.replace("*", r"\*") + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True


def version_key(request, *versions) -> str:
    """The key of a page or fragment rendered for ``request`` from data at ``versions``.

    Every key carries what changes how the same data is shown: the active language and
    time zone (times, dates) and the user's weight unit. ``versions`` are read from the
    database (never taken from the request as typed), plus whoever's content it is.
    """
    user = getattr(request, "user", None)
    units = str(user.units) if user is not None and user.is_authenticated else ""
    raw = repr((get_language(), timezone.get_current_timezone_name(), units, *versions))
    return hashlib.sha256(raw.encode()).hexdigest()
