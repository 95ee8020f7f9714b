"""A real S3-compatible server on 127.0.0.1 for the tests of the object storage.

`s3_server` starts moto's server (the S3 API over HTTP, in a thread of the test
process) once per test session on a free port; app servers started by a test
reach it too. `s3_storage` creates an empty bucket and makes it the default
storage for one test, with the options settings.py gives CAMPUS_S3_BUCKET;
`s3_storage.keys()` lists what the bucket holds.
"""

import secrets
from dataclasses import dataclass

import pytest

from campus.settings import s3_storage_settings

REGION = "eu-west-3"
# moto accepts any credentials; none of the machine's own are read.
ACCESS_KEY = "campus-test"
SECRET_KEY = "campus-test-secret"


@dataclass
class Bucket:
    endpoint_url: str
    name: str

    @property
    def client(self):
        # Imported here: the root conftest registers these fixtures for every run.
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def environment(self) -> dict[str, str]:
        """The variables that point Campus at this bucket (settings.py)."""
        return {
            "CAMPUS_S3_BUCKET": self.name,
            "CAMPUS_S3_ENDPOINT_URL": self.endpoint_url,
            "CAMPUS_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "CAMPUS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "CAMPUS_S3_REGION": REGION,
        }


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def new_bucket(endpoint_url: str) -> Bucket:
    bucket = Bucket(endpoint_url, f"campus-{secrets.token_hex(4)}")
    bucket.client.create_bucket(
        Bucket=bucket.name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return bucket


@pytest.fixture
def s3_storage(s3_server, settings):
    bucket = new_bucket(s3_server)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_settings(bucket.environment()),
    }
    return bucket
