"""Two real app servers behind an imaginary load balancer, with CAMPUS_REDIS_URL
and their files in a bucket (moto's S3 server on 127.0.0.1).

Requests go alternately to one server and the other, as a round-robin proxy sends
them: rate limits, login throttling, sessions, the page cache and uploaded files
must behave as with one server. Without Redis each server counts alone (the documented limit of
the default), which the last test shows.
"""

import itertools
import secrets
import sqlite3
from types import SimpleNamespace

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from campus.accounts.models import User
from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.news.tests.factories import ArticleFactory
from campus.testing.images import image_bytes
from campus.testing.s3 import new_bucket
from campus.testing.servers import AppServers, app_database

pytestmark = [
    # The tests use no database themselves; the mark has pytest-django create the
    # test database that `database` copies.
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="The servers open a copy of the SQLite test database.",
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/5"
# The counts stay in Redis for their window (an hour at most), and pytest-xdist
# may run these tests in two processes at once: each run counts for client and
# e-mail addresses of its own, and flushes nothing.
RUN = secrets.token_hex(3)
PASSWORD = "Un mot de passe de test, 2026"
EDITOR = "redactrice@atelier.fr"
LOCKED = "distraite@atelier.fr"
ARTICLE_TITLE = "Portes ouvertes de la sellerie"
LIMITS = {
    "CAMPUS_CLIENT_IP_HEADER": "X-Real-IP",
    "CAMPUS_PUBLIC_FORM_RATE_PER_ADDRESS": "4/h",
    "CAMPUS_LOGIN_FAILURE_LIMIT": "3",
    "CAMPUS_LOGIN_FAILURES_PER_ADDRESS": "4",
    "CAMPUS_PAGE_CACHE_SECONDS": "60",
}


@pytest.fixture(scope="module")
def database(tmp_path_factory, django_db_setup, django_db_blocker):
    """An SQLite file with two accounts, an editor's article and a page stamp."""
    path = tmp_path_factory.mktemp("servers") / "campus.sqlite3"
    # The servers check passwords with their own (default) hasher.
    password = PBKDF2PasswordHasher().encode(PASSWORD, "sel-de-test")
    with django_db_blocker.unblock():
        editor = UserFactory(email=EDITOR, password=None)
        UserFactory(email=LOCKED, password=None)
        User.objects.update(password=password)
        membership = MembershipFactory(user=editor)
        article = ArticleFactory(
            title=ARTICLE_TITLE, organisation=membership.organisation
        )
        app_database(path)
        # Committed for the copy, so emptied as after a transactional test.
        call_command("flush", interactive=False, verbosity=0)
    organisation = membership.organisation
    return SimpleNamespace(
        path=path,
        article_pk=article.pk,
        organisation_fields={"name": organisation.name, "kind": organisation.kind},
        organisation_url=organisation.get_absolute_url(),
        organisation_edit_url=reverse(
            "network:organisation_edit", args=[organisation.pk]
        ),
    )


@pytest.fixture(scope="module")
def bucket(s3_server):
    """A bucket of the S3 server in this process, which the app servers share."""
    return new_bucket(s3_server)


@pytest.fixture(scope="module")
def shared(database, bucket, tmp_path_factory):
    """Two app servers sharing the database, the Redis database 5 and a bucket."""
    try:
        with redis.Redis.from_url(REDIS_URL, socket_timeout=5) as client:
            client.ping()
    except redis.ConnectionError as error:
        pytest.fail(
            f"These tests need Redis at {REDIS_URL} (.ci/run starts it): {error}"
        )
    env = {**LIMITS, "DATABASE_URL": f"sqlite:///{database.path}"}
    env |= {"CAMPUS_REDIS_URL": REDIS_URL, **bucket.environment()}
    env |= {"CAMPUS_VAR_DIR": str(tmp_path_factory.mktemp("var-shared"))}
    with AppServers(2, env=env, log_dir=tmp_path_factory.mktemp("logs")) as servers:
        yield servers


def alternately(servers):
    """The servers' addresses in turn, forever: a round-robin load balancer."""
    return itertools.cycle(servers.urls)


def address(number: int) -> str:
    """A client address of this run."""
    return f"10.{int(RUN[:2], 16)}.{int(RUN[2:4], 16)}.{number}"


def email(name: str) -> str:
    """An e-mail address of this run."""
    return f"{name}.{RUN}@exemple.fr"


class Visitor:
    """A browser behind the load balancer: whichever server answers, it sees the
    site's host name and the client's address in X-Real-IP, as the proxy writes
    them, and the browser's cookies (a cookie ignores the port)."""

    def __init__(self, address: str):
        self.http = requests.Session()
        self.http.headers.update({"Host": "127.0.0.1", "X-Real-IP": address})

    def get(self, url: str) -> requests.Response:
        return self.http.get(url, allow_redirects=False, timeout=30)

    def post(self, url: str, data: dict, files=None) -> requests.Response:
        if "csrftoken" not in self.http.cookies:
            self.get(url)
        token = self.http.cookies["csrftoken"]
        return self.http.post(
            url,
            data,
            files=files,
            headers={"X-CSRFToken": token},
            allow_redirects=False,
            timeout=30,
        )


def test_a_public_form_limit_counts_posts_on_both_servers(shared):
    """Four password-reset requests from one address, two through each server,
    use the whole budget: the fifth is refused, wherever it lands."""
    visitor = Visitor(address(10))
    servers = alternately(shared)
    statuses = [
        visitor.post(
            f"{next(servers)}/mot-de-passe/oubli/", {"email": email(f"p{n}")}
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 302, 429]
    assert (
        visitor.post(
            f"{next(servers)}/mot-de-passe/oubli/", {"email": email("p9")}
        ).status_code
        == 429
    )


def test_login_failures_on_both_servers_lock_the_account_and_the_address(shared):
    """django-axes locks an account at the third failure, spread over both
    servers, and four failures from one address lock it on both."""
    servers = alternately(shared)
    pupil = Visitor(address(20))
    statuses = [
        pupil.post(
            f"{next(servers)}/connexion/", {"username": LOCKED, "password": "faux"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    owner = Visitor(address(22))
    for _ in range(2):
        response = owner.post(
            f"{next(servers)}/connexion/", {"username": LOCKED, "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "temporairement bloquée" in response.text

    stranger = Visitor(address(21))
    for number in range(4):
        response = stranger.post(
            f"{next(servers)}/connexion/",
            {"username": email(f"eleve{number}"), "password": "faux"},
        )
        assert response.status_code == 200
    for _ in range(2):
        response = stranger.post(
            f"{next(servers)}/connexion/", {"username": EDITOR, "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "Trop de tentatives de connexion" in response.text


def test_a_session_opened_on_one_server_is_valid_on_the_other(shared):
    """Logged in through the first server, the editor's next pages come from the
    second as well, and logging out through it ends the session on both."""
    first, second = shared.urls
    editor = Visitor(address(30))
    response = editor.post(
        f"{first}/connexion/", {"username": EDITOR, "password": PASSWORD}
    )
    assert response.status_code == 302
    for url in (second, first, second):
        response = editor.get(f"{url}/compte/")
        assert response.status_code == 200
        assert EDITOR in response.text

    assert editor.post(f"{second}/deconnexion/", {}).status_code == 302
    for url in (first, second):
        assert editor.get(f"{url}/compte/").status_code == 302


def test_a_write_through_one_server_retires_the_pages_kept_by_the_other(
    shared, database
):
    """The news page kept by the second server is served again even after SQL
    typed outside Django changed the title; the editor's deletion through the
    first server retires it on both at once."""
    first, second = shared.urls
    visitor = Visitor(address(41))
    assert ARTICLE_TITLE in visitor.get(f"{second}/actualites/").text
    with sqlite3.connect(database.path) as direct:
        direct.execute("UPDATE news_article SET title = 'Titre changé en SQL'")
    direct.close()
    for url in (second, first):
        assert ARTICLE_TITLE in visitor.get(f"{url}/actualites/").text

    editor = Visitor(address(40))
    editor.post(f"{first}/connexion/", {"username": EDITOR, "password": PASSWORD})
    response = editor.post(
        f"{first}/espace/actualites/{database.article_pk}/supprimer/", {}
    )
    assert response.status_code == 302

    for url in (second, first):
        page = visitor.get(f"{url}/actualites/").text
        assert ARTICLE_TITLE not in page and "Titre changé en SQL" not in page


def test_a_logo_uploaded_through_one_server_is_served_by_the_other(
    shared, database, bucket
):
    """The logo an editor posts through the first server goes to the bucket; the
    second server's page links it under /media/ and sends the stored bytes."""
    first, second = shared.urls
    editor = Visitor(address(60))
    editor.post(f"{first}/connexion/", {"username": EDITOR, "password": PASSWORD})
    response = editor.post(
        f"{first}{database.organisation_edit_url}",
        {**database.organisation_fields, "logo_alt": "Logo de l'atelier"},
        files={"logo": ("logo.png", image_bytes(), "image/png")},
    )
    assert response.status_code == 302
    [name] = [key for key in bucket.keys() if key.startswith("logos/")]

    visitor = Visitor(address(61))
    page = visitor.get(f"{second}{database.organisation_url}").text
    assert f'src="/media/{name}"' in page
    image = visitor.get(f"{second}/media/{name}")
    assert image.status_code == 200
    assert image.content == bucket.read(name)


def test_without_redis_each_server_counts_alone(database, tmp_path_factory):
    """The default caches are each process's: a visitor spreading posts over two
    servers gets twice the limit through (docs/operators.md)."""
    env = {**LIMITS, "DATABASE_URL": f"sqlite:///{database.path}"}
    env |= {"CAMPUS_REDIS_URL": None}
    env |= {"CAMPUS_VAR_DIR": str(tmp_path_factory.mktemp("var-alone"))}
    with AppServers(2, env=env, log_dir=tmp_path_factory.mktemp("logs")) as servers:
        visitor = Visitor(address(50))
        urls = alternately(servers)
        statuses = [
            visitor.post(
                f"{next(urls)}/mot-de-passe/oubli/", {"email": email(f"s{n}")}
            ).status_code
            for n in range(9)
        ]
    assert statuses == [302] * 8 + [429]
