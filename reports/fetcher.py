"""The only way WeasyPrint reads anything: the bundled static assets, nothing else.

A PDF is rendered from templates that escape every text, but whatever a document names —
a stylesheet, a font, an image, ``<link rel=attachment>`` — WeasyPrint would fetch with
its default fetcher: any file of the machine (``file:///etc/passwd``), any address of the
network (the cloud's metadata service, ``http://169.254.169.254/``), following redirects.
``SafeFetcher`` serves only files under the project's ``static/`` folder with the
extensions the layouts use, and ``data:`` URLs of small images; it never opens a socket
and never follows a redirect. Everything else is refused (and logged), and the document
renders without it.
"""

from __future__ import annotations

import base64
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
# What the layouts load from static/: fonts and their stylesheet, pictures.
ALLOWED_SUFFIXES = {
    ".ttf": "font/ttf",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
DATA_IMAGE_TYPES = {"image/png", "image/svg+xml", "image/jpeg"}
DATA_MAX_BYTES = 64 * 1024
_DATA = re.compile(r"data:([\w.+-]+/[\w.+-]+)(;base64)?,(.*)", re.S)


class RefusedURL(ValueError):
    """A document named something outside the bundled assets."""


def static_url(relative: str) -> str:
    """The URL of a bundled asset as the layouts name it (``fonts/…``)."""
    return (STATIC_ROOT / relative).as_uri()


class SafeFetcher(URLFetcher):
    """WeasyPrint's fetcher with no handlers: ``fetch`` answers from ``static/`` or
    refuses. ``refused`` lists what a render asked for and did not get."""

    def __init__(self, root: Path = STATIC_ROOT) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        # No handler of urllib may ever run: drop the ones the base class installed.
        self.handlers = []
        self.handle_open = {}
        self.process_request = {}
        self.process_response = {}
        self.handle_error = {}
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url)
        except RefusedURL:
            self.refused.append(url[:200])
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        if not isinstance(url, str):
            raise RefusedURL("not a URL")
        if url[:5].lower() == "data:":
            return self._data(url)
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in {"", "localhost"}:
            raise RefusedURL(f"Refused: {url[:80]}")
        path = Path(unquote(parts.path))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise RefusedURL(f"Missing: {url[:80]}") from None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            raise RefusedURL(f"Outside static: {url[:80]}")
        content_type = ALLOWED_SUFFIXES.get(resolved.suffix.lower())
        if content_type is None:
            raise RefusedURL(f"Not an asset: {url[:80]}")
        return URLFetcherResponse(
            resolved.as_uri(), resolved.read_bytes(), {"Content-Type": content_type}
        )

    def _data(self, url: str) -> URLFetcherResponse:
        match = _DATA.fullmatch(url[: DATA_MAX_BYTES * 2])
        if match is None or match[1].lower() not in DATA_IMAGE_TYPES:
            raise RefusedURL("Only small images may be data: URLs")
        payload = match[3]
        try:
            body = base64.b64decode(payload, validate=True) if match[2] else unquote(payload)
        except ValueError:
            raise RefusedURL("Broken data: URL") from None
        if isinstance(body, str):
            body = body.encode()
        if len(body) > DATA_MAX_BYTES:
            raise RefusedURL("data: image too large")
        return URLFetcherResponse("data:", body, {"Content-Type": match[1].lower()})
