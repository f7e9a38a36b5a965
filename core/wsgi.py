"""Django's WSGI handler, with a request that survives any charset name.

A request decodes its query string with the charset its Content-Type names, and Django
only checks that a codec of that name exists: ``charset=zlib_codec`` names one that is not
a text encoding, and building the request raised LookupError before any middleware ran,
so the visitor got a 500. Here such a name stays in ``content_params`` (where
RequestCharsetMiddleware refuses it with a 400) but is not used for decoding.
"""

import django
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest


class Request(WSGIRequest):
    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except LookupError:
            self._encoding = None  # read as UTF-8 until the middleware answers


class Handler(WSGIHandler):
    request_class = Request


def get_wsgi_application():
    django.setup(set_prefix=False)
    return Handler()
