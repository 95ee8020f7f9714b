"""Import uploads in an S3-compatible bucket (moto's server on 127.0.0.1): the
worker downloads the stored file to a temporary folder of CAMPUS_VAR_DIR, imports
it from there and removes the copy."""

import pytest
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.tests.test_views import STOCK, csv_upload

pytestmark = pytest.mark.django_db


def test_an_upload_in_the_bucket_is_imported_by_the_worker(
    client,
    campus,
    run_tasks,
    django_capture_on_commit_callbacks,
    s3_storage,
    settings,
    tmp_path,
):
    """The uploaded file is stored in the bucket only; the worker imports it and
    leaves no copy behind, and a restart would find the same stored file."""
    settings.VAR_DIR = tmp_path / "var"
    client.force_login(UserFactory(campus_team=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("opendata:upload"), {"source": "sirene", "file": csv_upload()}
        )
    run = ImportRun.objects.get()
    assert s3_storage.keys() == [run.uploaded_file.name]
    assert s3_storage.read(run.uploaded_file.name) == STOCK.read_bytes()
    assert not settings.MEDIA_ROOT.exists()

    run_tasks()
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert Organisation.objects.filter(source="INSEE, base Sirene").count() == 3
    assert list(settings.VAR_DIR.iterdir()) == []
    assert s3_storage.keys() == [run.uploaded_file.name]
