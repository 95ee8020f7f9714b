from django.urls import path

from campus.talent import followup_views

app_name = "talent"
urlpatterns: list = [
    # Follow-up of the selected projects
    path("talents/laureats/", followup_views.laureates, name="followup_laureates"),
    path(
        "talents/candidatures/<int:application_pk>/suivi/",
        followup_views.laureate_project,
        name="followup_laureate",
    ),
    path(
        "talents/candidatures/<int:application_pk>/suivi/rapports/",
        followup_views.laureate_report_upload,
        name="followup_report_upload",
    ),
    path(
        "talents/suivi/rapports/<int:pk>/",
        followup_views.report_download,
        name="followup_report_download",
    ),
    path(
        "gestion/talents/laureats/",
        followup_views.team_projects,
        name="followup_team_projects",
    ),
    path(
        "gestion/talents/laureats/ouvrir/",
        followup_views.team_project_open,
        name="followup_team_project_open",
    ),
    path(
        "gestion/talents/laureats/<int:pk>/",
        followup_views.team_project,
        name="followup_team_project",
    ),
    path(
        "gestion/talents/laureats/<int:pk>/etapes/",
        followup_views.team_milestone_add,
        name="followup_team_milestone_add",
    ),
    path(
        "gestion/talents/laureats/<int:pk>/etapes/<int:milestone_pk>/atteinte/",
        followup_views.team_milestone_done,
        name="followup_team_milestone_done",
    ),
    path(
        "gestion/talents/laureats/<int:pk>/versements/",
        followup_views.team_payment_add,
        name="followup_team_payment_add",
    ),
]
