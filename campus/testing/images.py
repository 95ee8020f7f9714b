"""Images for upload tests: valid ones, and the broken ones real uploads contain."""

import io
import random
import struct
import zlib

from PIL import Image


def image_bytes(size=(40, 20), fmt="PNG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (106, 52, 16, 200)[: len(mode)]).save(buffer, format=fmt)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A photo cut off half-way through its upload: its header reads well."""
    noise = random.Random(1).randbytes(300 * 200 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (300, 200), noise).save(buffer, format="JPEG")
    data = buffer.getvalue()
    return data[: len(data) // 2]


def png_with_broken_pixels() -> bytes:
    """A PNG whose chunks and checksums are right but whose compressed pixels are not."""
    data = image_bytes((64, 64))
    start = data.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", data[start : start + 4])
    garbage = b"\x78\x9c" + b"\xff" * (length - 2)
    chunk = b"IDAT" + garbage
    crc = struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return (
        data[:start]
        + struct.pack(">I", length)
        + chunk
        + crc
        + data[start + 12 + length :]
    )
