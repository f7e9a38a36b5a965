"""Demonstration videos: which links we accept and how we embed them.

Only YouTube and Vimeo links are accepted, parsed down to a video id, so that the page
can build a privacy-enhanced embed URL itself and never renders a user-supplied URL in
an iframe.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "www.youtube-nocookie.com",
    "youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{6,12}$")


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    video_id: str

    @property
    def embed_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?autoplay=1&rel=0"
        return f"https://player.vimeo.com/video/{self.video_id}?autoplay=1&dnt=1"

    @property
    def watch_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"


def parse_video_url(url: str) -> Video | None:
    """Return the Video a YouTube or Vimeo link points to, or None."""
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be" and segments:
            candidate = segments[0]
        elif segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
        if candidate and YOUTUBE_ID.match(candidate):
            return Video("youtube", candidate)
    elif host in VIMEO_HOSTS:
        if host == "player.vimeo.com" and segments[:1] == ["video"] and len(segments) >= 2:
            candidate = segments[1]
        elif segments:
            candidate = segments[-1]
        if candidate and VIMEO_ID.match(candidate):
            return Video("vimeo", candidate)
    return None


def validate_video_url(url: str):
    if url and parse_video_url(url) is None:
        raise ValidationError(
            _("Use a YouTube or Vimeo link to a single video, e.g. https://youtu.be/…"),
            code="invalid_video_url",
        )


def validate_video_file(upload):
    limit = settings.MAX_VIDEO_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The video is larger than %(mb)s MB.") % {"mb": settings.MAX_VIDEO_UPLOAD_MB},
            code="video_too_large",
        )
    # An MP4 file starts with a box whose type, at bytes 4-8, is "ftyp".
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(12)
    upload.seek(position)
    if len(head) < 8 or head[4:8] != b"ftyp":
        raise ValidationError(_("That file is not an MP4 video."), code="not_mp4")
