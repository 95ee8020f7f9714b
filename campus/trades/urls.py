from django.urls import path

from campus.trades import views

app_name = "trades"
urlpatterns = [
    path("metiers/", views.trade_list, name="trade_list"),
    path("metiers/savoir-faire-menaces/", views.at_risk, name="at_risk"),
    path(
        "metiers/savoir-faire/<slug:slug>/",
        views.know_how_detail,
        name="know_how_detail",
    ),
    path("metiers/<slug:slug>/", views.trade_detail, name="trade_detail"),
    path("espace/vitrine/", views.showcase_list, name="showcase_list"),
    path("espace/vitrine/ajouter/", views.showcase_create, name="showcase_create"),
    path("espace/vitrine/<int:pk>/", views.showcase_edit, name="showcase_edit"),
    path(
        "espace/vitrine/<int:pk>/supprimer/",
        views.showcase_delete,
        name="showcase_delete",
    ),
    path(
        "espace/organisations/<int:pk>/metiers/",
        views.organisation_trades,
        name="organisation_trades",
    ),
    path("gestion/savoir-faire/", views.team_know_how_list, name="team_know_how_list"),
    path(
        "gestion/savoir-faire/<int:pk>/",
        views.team_know_how_detail,
        name="team_know_how_detail",
    ),
    path(
        "gestion/savoir-faire/<int:pk>/evaluer/",
        views.assess_know_how,
        name="assess_know_how",
    ),
    path(
        "gestion/savoir-faire/<int:pk>/actions/",
        views.add_transmission_action,
        name="add_transmission_action",
    ),
]
