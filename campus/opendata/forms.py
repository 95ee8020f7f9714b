import codecs
import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat

from campus.opendata.importers.base import (
    BINARY_SIGNATURES,
    ImportFileError,
    check_archive,
)
from campus.opendata.models import ImportSource

ZIP_SIGNATURE = b"PK\x03\x04"
# ONISEP publishes each dataset in CSV, XML and JSON; RNCP in CSV and XML.
TEXT_EXTENSIONS = (".csv", ".xml", ".json")


class UploadLimitHandler(FileUploadHandler):
    """Stops storing an upload once it passes the limit, before it fills the disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit, self.exceeded = limit, False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            # Not a connection reset: the rest of the body is read and dropped, so
            # that the browser gets the page saying why.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportUploadForm(forms.Form):
    source = forms.ChoiceField(
        label="Jeu de données",
        choices=[("", "Choisir un jeu de données"), *ImportSource.choices],
    )
    file = forms.FileField(
        label="Fichier",
        help_text="Le fichier tel que publié : CSV, XML ou JSON encodé en UTF-8, ou "
        "archive ZIP.",
    )
    dry_run = forms.BooleanField(
        label="Simulation : tout lire et faire le bilan sans rien enregistrer",
        required=False,
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        limit = filesizeformat(settings.CAMPUS_MAX_IMPORT_BYTES)
        self.fields["file"].help_text += f" Taille maximale : {limit}."
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xml,.json,.zip,text/csv,application/xml,application/json,"
            "application/zip"
        )

    def clean(self):
        if self.too_large:
            # The upload was stopped at the limit: say so rather than "required".
            self.errors.pop("file", None)
            self.add_error("file", self._too_large_message())
        return super().clean()

    def _too_large_message(self) -> str:
        return (
            "Le fichier dépasse la taille maximale de "
            f"{filesizeformat(settings.CAMPUS_MAX_IMPORT_BYTES)}."
        )

    def _check_archive(self, upload) -> None:
        """Refuses at once an archive whose directory declares a zip bomb."""
        try:
            with zipfile.ZipFile(upload) as archive:
                check_archive(archive, upload.size)
        except zipfile.BadZipFile:
            raise forms.ValidationError(
                "Cette archive ZIP est illisible ou tronquée."
            ) from None
        except ImportFileError as error:
            message = error.message
            raise forms.ValidationError(message[:1].upper() + message[1:]) from None
        finally:
            upload.seek(0)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CAMPUS_MAX_IMPORT_BYTES:
            raise forms.ValidationError(self._too_large_message())
        upload.seek(0)
        start = upload.read(64 * 1024)
        upload.seek(0)
        if upload.name.lower().endswith(".zip"):
            if not start.startswith(ZIP_SIGNATURE):
                raise forms.ValidationError("Ce fichier n'est pas une archive ZIP.")
            self._check_archive(upload)
            return upload
        if not upload.name.lower().endswith(TEXT_EXTENSIONS):
            raise forms.ValidationError(
                "Déposez un fichier .csv, .xml ou .json, ou une archive .zip."
            )
        try:
            # Not final: the sample may end in the middle of a character.
            codecs.getincrementaldecoder("utf-8")().decode(start, final=False)
        except UnicodeDecodeError:
            is_text = False
        else:
            is_text = b"\x00" not in start
        if start.startswith(BINARY_SIGNATURES) or not is_text:
            raise forms.ValidationError(
                "Ce fichier n'est pas un fichier de données en texte UTF-8 "
                "(CSV, XML ou JSON) : image, PDF ou archive ?"
            )
        return upload
