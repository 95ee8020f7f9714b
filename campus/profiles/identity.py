"""The campus's icons, drawn from its profile: its initials, or its logo once
uploaded, so another campus gets its own favicon without a designer."""

import re
from io import BytesIO
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont, ImageOps

# The accent colour of campus.css (--accent): white on it is 9.95:1.
ACCENT = "#6a3410"
WHITE = "#ffffff"
SMALL_WORDS = {"de", "des", "du", "et", "la", "le", "les", "d", "l", "en", "aux", "au"}


def initials(name: str) -> str:
    """'CMQ Maroquinerie…' -> 'CMQ'; 'Campus des métiers et des qualifications' -> 'CMQ'."""
    words = re.findall(r"[^\W_]+", name or "")
    if words and words[0].isupper() and 2 <= len(words[0]) <= 4:
        return words[0]
    letters = [w[0].upper() for w in words if w.lower() not in SMALL_WORDS]
    return "".join(letters[:3]) or "C"


def favicon_svg(text: str) -> str:
    size = {1: 20, 2: 15, 3: 11}.get(len(text), 9)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{ACCENT}"/>'
        f'<text x="16" y="16" dy=".35em" font-family="Source Sans 3,Arial,sans-serif" '
        f'font-weight="700" font-size="{size}" fill="{WHITE}" text-anchor="middle">'
        f"{escape(text)}</text></svg>"
    )


def favicon_png(text: str, *, size: int, logo=None) -> bytes:
    """A square PNG: the logo fitted on white when there is one, else the initials."""
    image = None
    if logo:
        try:
            # Opened anew: reading its size on load may have closed the file.
            with logo.open("rb") as handle, Image.open(handle) as original:
                image = ImageOps.pad(
                    original.convert("RGBA"), (size, size), color=(255, 255, 255, 255)
                )
        except OSError:  # a logo lost from the storage: the initials stand in
            image = None
    if image is None:
        image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle(
            (0, 0, size - 1, size - 1), radius=size // 5, fill=ACCENT
        )
        font = ImageFont.load_default(
            size=size * {1: 0.62, 2: 0.46}.get(len(text), 0.34)
        )
        draw.text((size / 2, size / 2), text, fill=WHITE, font=font, anchor="mm")
    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
