"""Uploaded documents (a call's rules, an application's attachments, a report) are
trusted only after their content has been read: a PDF must open in pypdf, an image
must decode in Pillow (campus/images.py). The extension and the browser's content
type are never believed, and the stored name is our own."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from campus.images import validate_image_upload

ACCEPTED_TYPES = "application/pdf,image/jpeg,image/png,image/webp"
PDF_MAGIC = b"%PDF-"
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f}".replace(".", ",")


def validate_document_upload(uploaded, *, max_bytes: int | None = None) -> str:
    """Checks a PDF or an image by content and size; returns the extension its
    content calls for ("pdf", "jpg", "png" or "webp")."""
    max_bytes = max_bytes or settings.CAMPUS_MAX_DOCUMENT_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"Le fichier pèse {_megabytes(uploaded.size)} Mo : la limite est de "
            f"{_megabytes(max_bytes)} Mo.",
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    if PDF_MAGIC in head:
        try:
            reader = PdfReader(uploaded)
            if reader.is_encrypted:
                raise ValidationError(
                    "Ce PDF est protégé par un mot de passe : envoyez-le sans protection.",
                    code="encrypted",
                )
            if len(reader.pages) == 0:
                raise PdfReadError("no page")
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
            raise ValidationError(
                "Ce PDF est illisible ou incomplet. Envoyez un PDF valide.",
                code="broken_pdf",
            ) from error
        finally:
            uploaded.seek(0)
        return "pdf"
    try:
        validate_image_upload(uploaded)
    except ValidationError as error:
        if error.code == "too_large":
            raise
        raise ValidationError(
            "Ce fichier n'est ni un PDF ni une image lisible (JPEG, PNG, WebP).",
            code="not_a_document",
        ) from error
    with Image.open(uploaded) as image:
        extension = IMAGE_EXTENSIONS[image.format]
    uploaded.seek(0)
    return extension


def stored_name(uploaded, extension: str) -> str:
    """A safe name for storage: the upload's stem slugified, the extension its
    content calls for (from `validate_document_upload`)."""
    stem = slugify(Path(uploaded.name or "document").stem)[:60] or "document"
    return f"{stem}.{extension}"


class DocumentUploadField(forms.FileField):
    """A PDF or image upload checked by content; `max_bytes` overrides the site limit."""

    def __init__(self, *args, max_bytes: int | None = None, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPTED_TYPES}

    def clean(self, data, initial=None):
        document = super().clean(data, initial)
        if document and hasattr(document, "content_type"):
            validate_document_upload(document, max_bytes=self.max_bytes)
        return document
