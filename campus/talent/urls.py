from django.urls import path

from campus.talent import mobility_views, residency_views

app_name = "talent"
# Residencies and mobility: before any /talents/<slug>/ pattern of the calls.
urlpatterns: list = [
    path("talents/residences/", residency_views.residency_list, name="residency_list"),
    path(
        "talents/residences/<slug:slug>/",
        residency_views.residency_detail,
        name="residency_detail",
    ),
    path(
        "gestion/talents/residences/",
        residency_views.residency_team_list,
        name="residency_team_list",
    ),
    path(
        "gestion/talents/residences/nouvelle/",
        residency_views.residency_create,
        name="residency_create",
    ),
    path(
        "gestion/talents/residences/<int:pk>/",
        residency_views.residency_edit,
        name="residency_edit",
    ),
    path(
        "gestion/talents/residences/<int:pk>/supprimer/",
        residency_views.residency_delete,
        name="residency_delete",
    ),
    path("talents/mobilite/", mobility_views.mobility_home, name="mobility_home"),
    path(
        "gestion/talents/mobilites/",
        mobility_views.mobility_counts_view,
        name="mobility_counts",
    ),
    path(
        "gestion/talents/mobilites/comptes.xlsx",
        mobility_views.mobility_counts_export,
        name="mobility_counts_export",
    ),
    path(
        "gestion/talents/mobilites/partenaires/",
        mobility_views.mobility_partner_list,
        name="mobility_partner_list",
    ),
    path(
        "gestion/talents/mobilites/partenaires/nouveau/",
        mobility_views.mobility_partner_create,
        name="mobility_partner_create",
    ),
    path(
        "gestion/talents/mobilites/partenaires/<int:pk>/",
        mobility_views.mobility_partner_edit,
        name="mobility_partner_edit",
    ),
    path(
        "gestion/talents/mobilites/offres/nouvelle/",
        mobility_views.mobility_offer_create,
        name="mobility_offer_create",
    ),
    path(
        "gestion/talents/mobilites/offres/<int:pk>/",
        mobility_views.mobility_offer_edit,
        name="mobility_offer_edit",
    ),
    path(
        "gestion/talents/mobilites/realisees/",
        mobility_views.mobility_list,
        name="mobility_list",
    ),
    path(
        "gestion/talents/mobilites/realisees/nouvelle/",
        mobility_views.mobility_create,
        name="mobility_create",
    ),
    path(
        "gestion/talents/mobilites/realisees/<int:pk>/",
        mobility_views.mobility_edit,
        name="mobility_edit",
    ),
    path(
        "gestion/talents/mobilites/realisees/<int:pk>/supprimer/",
        mobility_views.mobility_delete,
        name="mobility_delete",
    ),
    path(
        "gestion/talents/mobilites/realisees/<int:pk>/attestation/",
        mobility_views.mobility_certificate,
        name="mobility_certificate",
    ),
]
