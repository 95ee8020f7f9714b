"""/donnees/: the campus's open datasets for people, and their DCAT catalogue."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from campus import fragments
from campus.api.datasets import datasets as all_datasets
from campus.api.datasets import dcat_catalogue
from campus.profiles.models import CampusProfile


def _campus_name(request) -> str:
    campus = CampusProfile.for_request(request)
    return campus.name or campus.short_name


def _facts_until_tomorrow():
    """Each dataset's licence and update date, read from its rows, kept under the
    content stamps until midnight: the open offers are those not expired today."""
    facts = {
        dataset.slug: (dataset.licence(), dataset.modified())
        for dataset in all_datasets()
    }
    return facts, fragments.next_midnight


@login_not_required
@require_safe
def datasets(request):
    """Anyone reads the list of the open datasets, their licence and their files."""
    facts = fragments.kept_many(request, {"dataset-facts": _facts_until_tomorrow})
    entries = [
        {
            "dataset": dataset,
            "licence": facts["dataset-facts"][dataset.slug][0],
            "modified": facts["dataset-facts"][dataset.slug][1],
            "distributions": dataset.distributions(),
        }
        for dataset in all_datasets()
    ]
    return render(request, "api/datasets.html", {"entries": entries})


@login_not_required
@require_safe
def catalogue(request):
    """The same list as DCAT-AP JSON-LD, for data.gouv.fr's harvester."""
    name = _campus_name(request)
    body = dcat_catalogue(
        title=f"Données ouvertes — {name}",
        description=(
            f"Les données publiques de {name} : annuaire, formations, agenda, "
            "offres et indicateurs de l'observatoire."
        ),
        publisher=name,
    )
    return JsonResponse(
        body,
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
