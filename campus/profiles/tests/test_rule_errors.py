import pytest
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from campus.accounts.services import AccountDeletionRefused
from campus.network.services import NetworkRuleError
from campus.outreach.services import OutreachError
from campus.places.services import CommunesFileError
from campus.rules import RuleError
from campus.testing.htmx import parse_html, update_page_with_htmx
from campus.urls import urlpatterns as campus_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

RULE_ERRORS = {
    "rule": RuleError,
    "network": NetworkRuleError,
    "outreach": OutreachError,
    "account": AccountDeletionRefused,
    "communes": CommunesFileError,
}


@login_not_required
def break_a_rule(request, kind):
    raise RULE_ERRORS[kind]("Cette règle du campus interdit l'action.")


urlpatterns = [*campus_urlpatterns, path("regle/<str:kind>/", break_a_rule)]


@pytest.mark.parametrize(
    "kind, status",
    [
        ("rule", 409),
        ("network", 409),
        ("outreach", 400),
        ("account", 409),
        ("communes", 400),
    ],
)
def test_a_broken_rule_is_the_error_page_with_its_status(client, kind, status):
    """A rule error a view lets through is the site's error page with the rule's status and French message."""
    response = client.get(f"/regle/{kind}/")
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="fr">' in page and 'class="site-footer"' in page
    assert f"Erreur {status}" in page
    assert "Cette règle du campus interdit l&#x27;action." in page


@pytest.mark.parametrize(
    ("kind", "status", "title"),
    [("communes", 400, "Fichier refusé"), ("network", 409, "Action impossible")],
)
def test_a_broken_rule_answers_htmx_with_the_fragment_for_the_main_area(
    client, kind, status, title
):
    """An htmx request gets the error fragment, swapped into the main area whatever asked."""
    page = parse_html(client.get("/").content)
    heading = page.select_one("h1")
    heading.attrs.update({"hx-get": f"/regle/{kind}/", "hx-swap": "outerHTML"})
    response = client.get(f"/regle/{kind}/", headers={"HX-Request": "true"})
    assert response.status_code == status
    assert "<html" not in response.content.decode()
    assert update_page_with_htmx(page, "h1", response) is None
    main = page.select_one("#contenu")
    [error] = main.children
    assert error.attrs["class"] == "error-page"
    assert f"Erreur {status}" in str(error) and title in str(error)
    assert "Cette règle du campus interdit l'action." in str(error)


def test_other_exceptions_are_left_to_the_server_error_handler(client):
    """Only rule errors are answered by the rule handler: a bug still raises."""
    client.raise_request_exception = True
    with pytest.raises(KeyError):
        client.get("/regle/inconnue/")
