"""The one way Campus imports WeasyPrint.

WeasyPrint sets Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole
process when it is imported, so that a damaged image still prints. Campus relies on
the opposite: an upload whose pixels cannot all be decoded is refused
(campus/images.py). Importing WeasyPrint from here puts Pillow's default back; the
PDFs Campus renders only embed images it has already decoded and re-encoded.
"""

import base64
import logging
import mimetypes

from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

ImageFile.LOAD_TRUNCATED_IMAGES = False

logger = logging.getLogger(__name__)

__all__ = ["HTML", "NoNetworkFetcher", "logo_data_uri"]


class NoNetworkFetcher(URLFetcher):
    """Serves data: URIs only; any other address is refused without a request."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, **kwargs)

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"Refused to fetch {url!r} for a PDF.")
        return super().fetch(url, headers)


def logo_data_uri(campus) -> str:
    """The campus's logo inlined, so a PDF needs no fetch (empty without a logo)."""
    if not campus.logo:
        return ""
    try:
        with campus.logo.open("rb") as logo:
            content = logo.read()
    except OSError:
        logger.warning("The campus logo %s could not be read.", campus.logo.name)
        return ""
    mimetype = mimetypes.guess_type(campus.logo.name)[0] or "image/png"
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"
