"""The one way Campus imports WeasyPrint.

WeasyPrint sets Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole
process when it is imported, so that a damaged image still prints. Campus relies on
the opposite: an upload whose pixels cannot all be decoded is refused
(campus/images.py). Importing WeasyPrint from here puts Pillow's default back; the
PDFs Campus renders only embed images it has already decoded and re-encoded.
"""

from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

ImageFile.LOAD_TRUNCATED_IMAGES = False

__all__ = ["HTML", "URLFetcher"]
