"""Readable, unique addresses for records named by people or by open data."""

from django.utils.text import slugify


def unique_slug(model, text: str, *, max_length: int, default: str) -> str:
    """`text` as a slug that no `model` row uses yet: 'maroquinier', 'maroquinier-2'…"""
    base = slugify(text)[: max_length - 4] or default
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug
