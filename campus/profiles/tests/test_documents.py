from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from campus.documents import stored_name, validate_document_upload


def pdf_bytes(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def png_bytes():
    output = BytesIO()
    Image.new("RGB", (20, 10), "white").save(output, "PNG")
    return output.getvalue()


def upload(content, name="dossier.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_real_pdf_and_a_real_image_are_accepted_with_the_extension_of_their_content():
    assert validate_document_upload(upload(pdf_bytes())) == "pdf"
    image = upload(png_bytes(), name="photo.pdf")
    assert validate_document_upload(image) == "png"
    assert stored_name(image, "png") == "photo.png"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.7\n garbage without objects", "broken_pdf"),
        (pdf_bytes()[:200], "broken_pdf"),
        (pdf_bytes(password="secret"), "encrypted"),
        (b"MZ\x90\x00 an executable renamed .pdf", "not_a_document"),
        (b"<script>alert(1)</script>", "not_a_document"),
    ],
)
def test_a_fake_broken_or_locked_document_is_refused_in_french(content, code):
    with pytest.raises(ValidationError) as refused:
        validate_document_upload(upload(content))
    assert refused.value.code == code


def test_a_document_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(ValidationError, match="la limite est de 0,0 Mo"):
        validate_document_upload(upload(pdf_bytes()), max_bytes=10)


def test_a_hostile_name_is_stored_under_a_safe_one():
    assert stored_name(upload(b"", name="../../etc/passwd .pdf"), "pdf") == "passwd.pdf"


def test_rendering_pdfs_does_not_make_truncated_images_acceptable():
    """WeasyPrint, imported for the PDF copies, would let Pillow load truncated
    images everywhere; Campus imports it through campus.pdf, which keeps them refused."""
    from PIL import ImageFile

    import campus.pdf  # noqa: F401
    from campus.testing.images import truncated_jpeg

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    with pytest.raises(ValidationError):
        validate_document_upload(upload(truncated_jpeg(), name="photo.jpg"))
