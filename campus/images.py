"""Uploaded images are trusted only after Pillow has decoded every pixel of them,
and are stored only as our own re-encoding: never the uploader's bytes or extension."""

from io import BytesIO
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
# Decoding takes about 4 bytes a pixel, and re-encoding makes two more copies:
# 16 million pixels keep one upload under 200 MB of a worker's memory.
MAX_PIXELS = 16_000_000
SHOWCASE_MAX_SIDE = 1600
LOGO_MAX_SIDE = 800
JPEG_QUALITY = 85


def validate_image_upload(uploaded) -> None:
    max_bytes = settings.CAMPUS_MAX_IMAGE_BYTES
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"L'image pèse {uploaded.size / 1_048_576:.1f} Mo : la limite est de "
            f"{max_bytes / 1_048_576:.0f} Mo.",
            code="too_large",
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    f"L'image fait {image.width} × {image.height} pixels : la limite "
                    f"est de {MAX_PIXELS // 1_000_000} millions de pixels (par exemple "
                    "4 800 × 3 300). Réduisez-la avant de l'envoyer.",
                    code="too_many_pixels",
                )
            image_format = image.format
            image.verify()
        # verify() reads the structure only: a truncated JPEG or a PNG with broken
        # compressed data passes it and fails when its pixels are decoded.
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image.draft("RGB", (SHOWCASE_MAX_SIDE, SHOWCASE_MAX_SIDE))
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(
            "Ce fichier n'est pas une image lisible. Envoyez une image JPEG, PNG ou WebP.",
            code="not_an_image",
        ) from error
    finally:
        uploaded.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"Format {image_format} non accepté : envoyez une image JPEG, PNG ou WebP.",
            code="format",
        )


def reencoded_image(
    uploaded, *, max_side: int, keep_transparency: bool = False
) -> ContentFile:
    """Our own copy of a validated upload: upright, at most `max_side` px, without
    metadata, as JPEG, or PNG when transparency is kept and the image has some.

    The name's extension comes from the format written, never from the upload.
    """
    uploaded.seek(0)
    with Image.open(uploaded) as original:
        # For a JPEG, decodes at the smallest scale still larger than needed.
        original.draft("RGB", (max_side, max_side))
        image = ImageOps.exif_transpose(original)
        image.thumbnail((max_side, max_side))
        transparent = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        output = BytesIO()
        # Re-encoding from pixels drops EXIF (GPS position, camera) and any payload.
        if transparent and keep_transparency:
            image.convert("RGBA").save(output, "PNG", optimize=True)
            extension = "png"
        else:
            if transparent:
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel("A"))
            image.convert("RGB").save(
                output, "JPEG", quality=JPEG_QUALITY, optimize=True
            )
            extension = "jpg"
    name = slugify(Path(uploaded.name or "image").stem)[:60] or "image"
    return ContentFile(output.getvalue(), name=f"{name}.{extension}")


class ImageUploadField(forms.ImageField):
    """The form field of every uploaded image (logos, showcase): a new upload is
    checked by content, and the file picker offers the accepted formats."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPTED_TYPES}

    def clean(self, data, initial=None):
        image = super().clean(data, initial)
        # A file already stored has no content type and was checked when uploaded.
        if image and hasattr(image, "content_type"):
            validate_image_upload(image)
        return image
