import pytest

from campus.agenda.tests.factories import ensure_audiences


@pytest.fixture(autouse=True)
def audiences(request):
    """Every agenda test starts with the audiences the migrations create."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    ensure_audiences()
