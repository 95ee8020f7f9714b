from campus.testing.s3 import s3_server, s3_storage  # noqa: F401
