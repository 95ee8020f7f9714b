"""Uploaded files in an S3-compatible object store, linked as on the filesystem.

With CAMPUS_S3_BUCKET (settings.STORAGES) the uploads go to a private bucket
through django-storages, so that every app server and worker reads the same files
and keeps none. Their addresses stay under MEDIA_URL: the public images are sent
by `campus.profiles.views.public_media`, which reads them from the bucket, and
the private files (applications, reports, certificates) by the views that check
who asks, as on the filesystem. No address of the bucket reaches a page: the
Content-Security-Policy, the page cache and the browsers' caches see the same
URLs as before, and no signed URL can leak a private file.

The importers read a file on this machine (a national Sirene stock is several GB,
streamed and unzipped from a path): `local_copy` gives the worker the uploaded
file's own path on the filesystem, or downloads it from the bucket first.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))


@contextmanager
def local_copy(field_file) -> Iterator[Path]:
    """A path on this machine to the stored file: its own under MEDIA_ROOT, or a
    copy downloaded from the bucket into a temporary folder of CAMPUS_VAR_DIR (where
    the importers unzip too, so it needs room for the largest file), removed after."""
    try:
        path = Path(field_file.path)
    except NotImplementedError:  # no local path: the file is in a bucket
        path = None
    if path is not None:
        yield path
        return
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR) as directory:
        target = Path(directory) / Path(field_file.name).name
        with field_file.storage.open(field_file.name) as remote:
            # Straight to disk, in parallel parts: read() would first spool the
            # whole object.
            remote.obj.download_file(str(target))
        yield target
