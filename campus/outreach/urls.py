from django.urls import path

from campus.outreach import views

app_name = "outreach"
urlpatterns = [
    path("decouvrir/", views.home, name="home"),
    path(
        "decouvrir/demander-une-intervention/",
        views.request_intervention,
        name="request_intervention",
    ),
    path("decouvrir/demande-envoyee/", views.request_sent, name="request_sent"),
    path(
        "decouvrir/confirmer/<str:token>/",
        views.confirm_request,
        name="confirm_request",
    ),
    path("espace/interventions/", views.partner_requests, name="partner_requests"),
    path(
        "espace/interventions/<int:pk>/",
        views.partner_request_detail,
        name="partner_request_detail",
    ),
    path("espace/stages/", views.partner_placements, name="partner_placements"),
    path("espace/stages/ajouter/", views.placement_create, name="placement_create"),
    path("espace/stages/<int:pk>/", views.placement_edit, name="placement_edit"),
    path(
        "espace/stages/<int:pk>/supprimer/",
        views.placement_delete,
        name="placement_delete",
    ),
    path("gestion/interventions/", views.team_queue, name="team_queue"),
    path(
        "gestion/interventions/<int:pk>/",
        views.team_request_detail,
        name="team_request_detail",
    ),
    path("gestion/interventions/<int:pk>/confier/", views.assign, name="assign"),
    path(
        "gestion/interventions/<int:pk>/bilan/",
        views.record_outcome,
        name="record_outcome",
    ),
]
