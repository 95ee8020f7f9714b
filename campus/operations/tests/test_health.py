import asyncio

import pytest
from django.db import OperationalError, connections

from campus.operations.tests.conftest import CLOSED_REDIS_URL

pytestmark = pytest.mark.django_db

ALL_PASS = {"database": "ok", "queue": "ok", "cache": "ok", "disk": "ok"}


@pytest.fixture(autouse=True)
def _room_enough(settings):
    """Healthy however full the test machine's disk is."""
    settings.CAMPUS_HEALTH_MIN_FREE_DISK_MB = 1


def health_json(client):
    response = client.get("/sante/", headers={"accept": "application/json"})
    return response.status_code, response.json()


def test_a_healthy_site_answers_200_with_a_french_page(client):
    """Every check passes: 200 and a page naming each check, for anyone, never kept."""
    response = client.get("/sante/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Service en état de marche" in page
    for label in ("Base de données", "File des tâches", "Cache", "Espace disque"):
        assert f'<th scope="row">{label}</th><td>en marche</td>' in page
    assert "no-store" in response["Cache-Control"]
    assert "Accept" in response["Vary"]


def test_json_when_asked_by_header_or_parameter(client):
    """Accept: application/json and ?format=json both give the checks as JSON."""
    assert health_json(client) == (200, {"status": "ok", "checks": ALL_PASS})
    response = client.get("/sante/?format=json")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": ALL_PASS}


def test_the_answer_gives_away_no_path_host_or_version(client, settings):
    """Nothing in the answer tells where files are or what runs the site."""
    settings.MEDIA_ROOT = "/srv/campus-media-secret"
    for query in ("", "?format=json"):
        body = client.get(f"/sante/{query}").content.decode()
        for secret in ("/srv", "127.0.0.1", "sqlite", "Django", "redis"):
            assert secret.lower() not in body.lower()


def test_an_unreachable_database_answers_503_naming_it(client, monkeypatch):
    """New connections refused (the server is down): 503, database and queue down."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    # The checks run in threads of their own, which open their own connections.
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)
    status, answer = health_json(client)
    assert status == 503
    assert answer == {
        "status": "error",
        "checks": ALL_PASS | {"database": "error", "queue": "error"},
    }


def test_a_cache_that_does_not_answer_gives_503_naming_it(client, settings):
    """The default cache on a Redis server that does not answer: 503, cache down."""
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS_URL,
        }
    }
    status, answer = health_json(client)
    assert status == 503
    assert answer == {"status": "error", "checks": ALL_PASS | {"cache": "error"}}


def test_too_little_free_disk_gives_503_naming_it(client, settings):
    """A threshold above the free space of var/ and media/: 503, disk down."""
    settings.CAMPUS_HEALTH_MIN_FREE_DISK_MB = 2**40
    status, answer = health_json(client)
    assert status == 503
    assert answer == {"status": "error", "checks": ALL_PASS | {"disk": "error"}}
    page = client.get("/sante/").content.decode()
    assert "Service dégradé" in page
    assert '<th scope="row">Espace disque</th><td>en panne</td>' in page


def test_the_redis_queue_is_checked_on_its_server(client, settings, redis_queue):
    """With the Redis queue, its server answering passes, and not answering fails."""
    assert health_json(client) == (200, {"status": "ok", "checks": ALL_PASS})
    settings.RQ_QUEUES = {redis_queue.name: {"URL": CLOSED_REDIS_URL}}
    status, answer = health_json(client)
    assert status == 503
    assert answer["checks"] == ALL_PASS | {"queue": "error"}


def test_the_probe_is_not_redirected_to_https(client, settings):
    """The load balancer probes in plain http, where every other page redirects."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/").status_code == 200
    assert client.get("/mentions-legales/").status_code == 301


def test_only_safe_methods(client):
    """A probe reads: HEAD gives the status alone, POST is refused."""
    response = client.head("/sante/")
    assert (response.status_code, response.content) == (200, b"")
    assert client.post("/sante/").status_code == 405


def test_the_probe_answers_in_a_thread_that_runs_an_event_loop(client):
    """As in a test process where Playwright runs its loop, or an ASGI server's
    thread: the checks' own loop runs beside it (async_to_sync refused there)."""

    async def probe():
        return client.get("/sante/?format=json")

    try:
        # A browser test before this one on the same worker left Playwright's
        # loop running in this thread: the condition is already there.
        asyncio.get_running_loop()
    except RuntimeError:
        response = asyncio.run(probe())
    else:
        response = client.get("/sante/?format=json")
    assert response.status_code == 200
