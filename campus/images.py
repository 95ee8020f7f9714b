"""Uploaded images are trusted only after Pillow has decoded them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_PIXELS = 40_000_000


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
                    "L'image est trop grande (en pixels).", code="too_many_pixels"
                )
            image_format = image.format
            image.verify()
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
