"""Fetches a publisher's file to disk, streaming, with a size limit.

Production imports may start from the publisher's URL; the file is saved under
VAR_DIR/imports/ and then imported like any other file, so the same code reads
a downloaded file, an uploaded one and one given on the command line.
"""

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

CHUNK = 1024 * 1024
USER_AGENT = "Campus (plateforme CMQ) - import de donnees ouvertes"


class DownloadError(Exception):
    """The file could not be fetched; the message says why, in French."""


def download(url: str, *, directory: Path | None = None, timeout: float = 60) -> Path:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise DownloadError(
            f"adresse invalide : « {url[:200]} » (http ou https attendu)."
        )
    directory = directory or settings.VAR_DIR / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    name = (
        re.sub(r"[^A-Za-z0-9._-]", "_", Path(parts.path).name)[:100] or "telechargement"
    )
    target = directory / name
    limit = settings.CAMPUS_MAX_IMPORT_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with (
            urllib.request.urlopen(request, timeout=timeout) as response,
            target.open("wb") as output,
        ):
            written = 0
            while chunk := response.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise DownloadError(
                        f"le fichier dépasse la taille maximale ({limit // 1_000_000} Mo)."
                    )
                output.write(chunk)
    except urllib.error.HTTPError as error:
        target.unlink(missing_ok=True)
        raise DownloadError(f"le serveur a répondu {error.code} pour {url}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        target.unlink(missing_ok=True)
        reason = getattr(error, "reason", error)
        raise DownloadError(f"téléchargement impossible ({reason}).") from None
    except DownloadError:
        target.unlink(missing_ok=True)
        raise
    return target
