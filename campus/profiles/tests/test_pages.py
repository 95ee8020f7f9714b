import os
import subprocess
import sys
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation
from campus.observatory.models import KeyFigure
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "profiles:home",
        "profiles:legal_notice",
        "profiles:privacy",
        "profiles:accessibility",
        "network:directory",
        "network:propose_new_actor",
        "accounts:login",
        "accounts:password_reset",
    ],
)
def test_public_pages_render_for_anonymous_visitors(client, name):
    """Every public page answers 200 in French to an anonymous visitor."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_unknown_page_is_a_french_404(client):
    """An unknown address gets the French error page."""
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_navigation_lists_only_built_areas(client):
    """The menu links to areas whose pages exist, and to nothing else."""
    page = client.get("/").content.decode()
    assert 'href="/annuaire/"' in page
    for url_name, built in [
        ("trainings:catalogue", "/formations/"),
        ("trades:trade_list", "/metiers/"),
    ]:
        try:
            reverse(url_name)
        except Exception:
            assert f'href="{built}"' not in page


def test_home_shows_key_figure_with_its_source(client):
    """The home page shows each key figure with its source."""
    KeyFigure.objects.create(
        label="salariés de la maroquinerie",
        value=4500,
        period="2020/2021",
        source_label="CMQ, présentation du campus",
    )
    page = client.get("/").content.decode()
    assert "4\u202f500" in page and "Source : CMQ, présentation du campus" in page


def test_home_reads_without_writing(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    """The home page creates no profile row when none exists, in a bounded number of
    queries; the next visit reads its kept parts and the stamp alone."""
    # The stamp, the profiles and the links, the six sections and when the open
    # calls and the news change next.
    with django_assert_max_num_queries(12):
        client.get("/")
    with django_assert_num_queries(1):
        client.get("/")
    assert not CampusProfile.objects.exists()


def test_team_edits_campus_profile_and_sector(client):
    """The campus team edits the campus and sector profiles; bad codes are explained."""
    region = RegionFactory()
    cote_dor = DepartementFactory(region=region)
    other = DepartementFactory(
        code="01", name="Ain", region=RegionFactory(code="84", name="ARA")
    )
    client.force_login(UserFactory(campus_team=True))
    url = reverse("profiles:campus_profile_edit")
    base = {
        "name": "CMQ Aéronautique",
        "region": region.pk,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**base, "departements": [cote_dor.pk, other.pk]})
    assert response.status_code == 400
    assert "pas dans la région" in response.content.decode()
    assert client.post(url, {**base, "departements": [cote_dor.pk]}).status_code == 302
    assert CampusProfile.load().name == "CMQ Aéronautique"
    sector_url = reverse("profiles:sector_profile_edit")
    bad = client.post(
        sector_url,
        {"name": "Aéro", "naf_codes": "30.30Z, 3030, ZZ", "rome_codes": "B1802"},
    )
    assert bad.status_code == 400
    assert "Codes NAF invalides : 3030, ZZ" in bad.content.decode()
    good = client.post(
        sector_url,
        {"name": "Aéro", "naf_codes": "30.30Z 33.16Z", "rome_codes": "H1206"},
    )
    assert good.status_code == 302
    assert SectorProfile.load().naf_code_list == ["30.30Z", "33.16Z"]


def row_counts() -> dict[str, int]:
    """Rows per table, but the history tables: a second load saves the demo's rows
    again, and their history records each save, as it should."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not hasattr(model, "history_id")
    }


def test_demo_loads_twice_without_duplicates():
    """The demo campus loads idempotently: a second load adds no row to any table.

    The apps' demo tests start from one load (`demo_campus`) and rely on this one for
    « twice without duplicates ».
    """
    out = StringIO()
    call_command("load_demo", stdout=out)
    once = row_counts()
    call_command("load_demo", stdout=StringIO())
    twice = row_counts()
    assert {
        label: (once[label], count)
        for label, count in twice.items()
        if count != once[label]
    } == {}
    assert once["trainings.Offering"] > 0 and once["agenda.Event"] > 0
    assert "equipe@campus.example" in out.getvalue()
    assert (
        Organisation.objects.filter(slug="lycee-eugene-guillaume-montbard").count() == 1
    )
    assert not Organisation.objects.filter(is_demo=False).exists()
    campus = CampusProfile.load()
    assert campus.label_decree_date.isoformat() == "2017-02-09"
    assert campus.departements.count() == 8
    # The seed's typed figure, and a figure computed only from the catalogue.
    assert list(
        KeyFigure.objects.order_by("order").values_list("value", flat=True)
    ) == [
        4500,
        None,
    ]


def test_demo_pages_show_demo_labels(client, demo_campus):
    """Demo records are labelled as demo on the directory and on their page."""
    assert "Démo" in client.get(reverse("network:directory")).content.decode()
    page = client.get("/annuaire/atelier-cuir-auxois/").content.decode()
    assert "Fiche de démonstration" in page


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    """`manage.py check --deploy` reports nothing with production environment variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAMPUS_", "DJANGO_", "PYTEST"))
    }
    env.update(
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-key-with-enough-entropy-7Hq!",
        DJANGO_ALLOWED_HOSTS="campus.example.fr",
        CAMPUS_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_database_is_created_in_a_checkout_without_var(tmp_path):
    """On a fresh clone, `make demo` can open its database: the SQLite file's folder is made."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAMPUS_", "DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    var = tmp_path / "fresh-clone" / "var"
    env.update(CAMPUS_DEMO="1", CAMPUS_VAR_DIR=str(var))
    connect = (
        "import django; django.setup(); "
        "from django.db import connection; connection.ensure_connection()"
    )
    env["DJANGO_SETTINGS_MODULE"] = "campus.settings"
    result = subprocess.run(
        [sys.executable, "-c", connect],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (var / "campus.sqlite3").is_file()


def test_production_refuses_to_start_without_secret_key(tmp_path):
    """Without DJANGO_SECRET_KEY, production settings stop with a clear message."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CAMPUS_", "DJANGO_"))
    }
    env["CAMPUS_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_commune_suggestions(client):
    """The commune suggestions list matches names without accents, and ignores one letter."""
    CommuneFactory(
        insee_code="25388",
        name="Montbéliard",
        postal_codes="25200",
        departement=DepartementFactory(code="25", name="Doubs"),
    )
    page = client.get(
        reverse("places:commune_suggestions"), {"commune": "montbel"}
    ).content.decode()
    assert 'value="25200 Montbéliard"' in page
    assert (
        client.get(
            reverse("places:commune_suggestions"), {"commune": "m"}
        ).content.strip()
        == b""
    )
