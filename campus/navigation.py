"""The site's main navigation: an area appears only once its pages exist."""

from functools import cache

from django.urls import NoReverseMatch, reverse

MAIN_AREAS = [
    ("Annuaire", "network:directory"),
    ("Formations", "trainings:catalogue"),
    ("Carte", "trainings:map"),
    ("Métiers", "trades:trade_list"),
    ("Découvrir", "outreach:home"),
    ("Agenda", "agenda:event_list"),
    ("Actualités", "news:article_list"),
    ("Offres", "offers:offer_list"),
    ("Appels", "talent:call_list"),
    ("Observatoire", "observatory:home"),
]


@cache
def main_areas() -> tuple[dict, ...]:
    areas = []
    for label, url_name in MAIN_AREAS:
        try:
            areas.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return tuple(areas)
