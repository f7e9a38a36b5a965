"""Reading an HTTP ``Range`` header (RFC 9110, section 14) for one file of known size.

Video players on phones ask for byte ranges to start quickly and to seek. One range is all
they ask for; anything else (several ranges, another unit, a malformed header) may be
answered with the whole file, which the RFC allows, so that is what ``requested`` says.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

# "bytes=first-last", "bytes=first-" or "bytes=-suffix". 18 digits keep the numbers small
# enough to parse cheaply; no real file is a billion gigabytes.
RANGE = re.compile(r"\s*bytes\s*=\s*(\d{0,18})\s*-\s*(\d{0,18})\s*")


class Unsatisfiable(Exception):
    """The range lies wholly outside the file: the answer is 416."""


def requested(header: str | None, size: int) -> range | None:
    """The byte positions asked for, clipped to the file; None to send the whole file.

    Raises ``Unsatisfiable`` when a well-formed range starts past the end of the file.
    """
    match = RANGE.fullmatch(header or "")
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return range(max(size - suffix, 0), size)
    start = int(first)
    if last and int(last) < start:
        return None  # "5-2" is not a valid range: ignore the header
    if start >= size:
        raise Unsatisfiable
    stop = int(last) + 1 if last else size
    return range(start, min(stop, size))


CHUNK_BYTES = 64 * 1024


def file_response(request, file, *, content_type):
    """The whole file, or the one byte range the request asks for (206), or a 416.

    The names never change content, so ``If-Range`` needs no check: a range of a name is
    always a range of the same bytes.
    """
    size = file.size
    try:
        wanted = requested(request.headers.get("Range"), size)
    except Unsatisfiable:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if wanted is None:
            response = FileResponse(file, content_type=content_type)
        else:
            file.seek(wanted.start)
            response = StreamingHttpResponse(
                read_bytes(file, len(wanted)), status=206, content_type=content_type
            )
            response["Content-Length"] = str(len(wanted))
            response["Content-Range"] = f"bytes {wanted.start}-{wanted.stop - 1}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def read_bytes(file, count):
    """Up to ``count`` bytes from the file's position, in chunks; closes the file at the end."""
    try:
        while count > 0:
            chunk = file.read(min(CHUNK_BYTES, count))
            if not chunk:
                break
            count -= len(chunk)
            yield chunk
    finally:
        file.close()
