"""Django's WSGI handler, with a request that survives any charset name.

When a Content-Type names a charset, Django's request sets its ``encoding`` while it is
being built, and that setter parses the query string on the spot to throw it away. So the
query string is read before any middleware runs, outside Django's handling of bad
requests: ``charset=zlib_codec`` (a codec that is no text encoding) raised LookupError, and
more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields raised TooManyFieldsSent, both 500s. Here
the charset stays in ``content_params`` and is not applied: RequestCharsetMiddleware
answers 400 to anything but UTF-8, which is what the request reads without being told.
"""

import django
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters


class Request(WSGIRequest):
    def _set_content_type_params(self, meta):
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )


class Handler(WSGIHandler):
    request_class = Request


def get_wsgi_application():
    django.setup(set_prefix=False)
    return Handler()
