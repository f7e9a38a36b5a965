"""Static files: whitenoise's compressed, hashed storage, with each file's address kept.

Every page's ``{% static %}`` tags ask the storage for a file's hashed address. The
manifest that maps names to hashed names is read once, when the process starts, and never
changes while it runs (``collectstatic`` writes a new one; the next start reads it), so the
answer for a name never changes either: it is worked out once per process and name.
Django's ``url()`` for the five tags of the site layout was 7.5 % of a cached plan page
under cProfile (``bench/README.md``, "After issue 12").
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        self._addresses: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def url(self, name, force=False):
        # With DEBUG, Django answers the name as it is; ``force`` asks for the hashed one.
        if force or settings.DEBUG:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address

    def load_manifest(self):
        self._addresses = {}
        return super().load_manifest()

    def post_process(self, *args, **kwargs):
        # collectstatic is rewriting the manifest: nothing remembered from before holds.
        self._addresses = {}
        yield from super().post_process(*args, **kwargs)
        self._addresses = {}
