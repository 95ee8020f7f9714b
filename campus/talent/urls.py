from django.urls import path

from campus.talent import team_views

app_name = "talent"
urlpatterns: list = []

# The campus team's pages (campus/talent/team_views.py).
urlpatterns += [
    path("gestion/talents/", team_views.team_calls, name="team_calls"),
    path(
        "gestion/talents/nouveau/", team_views.team_call_create, name="team_call_create"
    ),
    path(
        "gestion/talents/<int:pk>/",
        team_views.team_call_detail,
        name="team_call_detail",
    ),
    path(
        "gestion/talents/<int:pk>/modifier/",
        team_views.team_call_edit,
        name="team_call_edit",
    ),
    path(
        "gestion/talents/<int:pk>/questions/",
        team_views.team_questions,
        name="team_questions",
    ),
    path(
        "gestion/talents/<int:pk>/documents/",
        team_views.team_documents,
        name="team_documents",
    ),
    path(
        "gestion/talents/<int:pk>/documents/<int:document_pk>/supprimer/",
        team_views.team_document_delete,
        name="team_document_delete",
    ),
    path(
        "gestion/talents/<int:pk>/documents/<int:document_pk>/deplacer/",
        team_views.team_document_move,
        name="team_document_move",
    ),
    path(
        "gestion/talents/<int:pk>/candidatures.xlsx",
        team_views.team_applications_export,
        name="team_applications_export",
    ),
    path(
        "gestion/talents/candidatures/<int:pk>/",
        team_views.team_application_detail,
        name="team_application_detail",
    ),
    path(
        "gestion/talents/reponses/<int:pk>/fichier/",
        team_views.team_answer_file,
        name="team_answer_file",
    ),
]
