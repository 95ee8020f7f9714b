"""Readable, unique addresses for records named by people or by open data."""

from collections.abc import Collection

from django.utils.text import slugify


def unique_slug(
    model, text: str, *, max_length: int, default: str, reserved: Collection[str] = ()
) -> str:
    """`text` as a slug that no `model` row uses yet: 'maroquinier', 'maroquinier-2'…

    `reserved` names the fixed addresses beside the rows' own (« archives » in
    /agenda/archives/): a row never takes one, it would hide that page.
    """
    base = slugify(text)[: max_length - 4] or default
    slug, counter = base, 2
    while slug in reserved or model.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug
