from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_safe

from campus.offers import feeds, views

app_name = "offers"
urlpatterns = [
    path("offres/", views.offer_list, name="offer_list"),
    path(
        "offres/rss/",
        login_not_required(require_safe(feeds.OfferFeed())),
        name="rss",
    ),
    path(
        "offres/la-bonne-alternance.json",
        views.offer_export_lba,
        name="export_lba",
    ),
    path(
        "offres/prolonger/<str:token>/",
        views.offer_renew_link,
        name="renew_link",
    ),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("espace/offres/", views.partner_offers, name="partner_offers"),
    path("espace/offres/publier/", views.offer_create, name="offer_create"),
    path("espace/offres/<int:pk>/", views.offer_edit, name="offer_edit"),
    path("espace/offres/<int:pk>/supprimer/", views.offer_delete, name="offer_delete"),
    path("espace/offres/<int:pk>/prolonger/", views.offer_renew, name="offer_renew"),
    path("gestion/offres/", views.team_offers, name="team_offers"),
    path("gestion/offres/<int:pk>/", views.team_offer_detail, name="team_offer_detail"),
    path("gestion/offres/<int:pk>/retirer/", views.offer_withdraw, name="withdraw"),
    path("gestion/offres/<int:pk>/republier/", views.offer_republish, name="republish"),
]
