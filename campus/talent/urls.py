from django.urls import path

from campus.talent import copy_views, review_views, team_views

app_name = "talent"

urlpatterns: list = [
    # Review (campus/talent/review.py)
    path(
        "gestion/talents/<int:pk>/evaluation/",
        review_views.review_setup,
        name="review_setup",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/evaluateurs/",
        review_views.review_appoint,
        name="review_appoint",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/evaluateurs/<int:reviewer_pk>/retirer/",
        review_views.review_remove_reviewer,
        name="review_remove_reviewer",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/affectations/",
        review_views.review_assign,
        name="review_assign",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/affectations/<int:assignment_pk>/retirer/",
        review_views.review_unassign,
        name="review_unassign",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/repartir/",
        review_views.review_distribute,
        name="review_distribute",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/criteres/",
        review_views.review_criterion_add,
        name="review_criterion_add",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/criteres/<int:criterion_pk>/",
        review_views.review_criterion_edit,
        name="review_criterion_edit",
    ),
    path(
        "gestion/talents/<int:pk>/evaluation/criteres/<int:criterion_pk>/supprimer/",
        review_views.review_criterion_delete,
        name="review_criterion_delete",
    ),
    path(
        "gestion/talents/<int:pk>/classement/",
        review_views.review_ranking,
        name="review_ranking",
    ),
    path(
        "gestion/talents/<int:pk>/classement.xlsx",
        review_views.review_ranking_export,
        name="review_ranking_export",
    ),
    path(
        "gestion/talents/<int:pk>/deliberation/",
        review_views.review_deliberation,
        name="review_deliberation",
    ),
    path(
        "gestion/talents/<int:pk>/deliberation/enregistrer/",
        review_views.review_deliberation_record,
        name="review_deliberation_record",
    ),
    path(
        "gestion/talents/<int:pk>/decisions/",
        review_views.review_decide,
        name="review_decide",
    ),
    path(
        "gestion/talents/<int:pk>/decisions/envoyer/",
        review_views.review_send_decisions,
        name="review_send_decisions",
    ),
    path("talents/evaluation/", review_views.review_space, name="review_space"),
    path(
        "talents/evaluation/activer/<uidb64>/<token>/",
        review_views.review_activate,
        name="review_activate",
    ),
    path(
        "talents/evaluation/<int:assignment_pk>/",
        review_views.review_assignment,
        name="review_assignment",
    ),
    path(
        "talents/evaluation/<int:assignment_pk>/noter/",
        review_views.review_score,
        name="review_score",
    ),
    path(
        "talents/evaluation/<int:assignment_pk>/conflit/",
        review_views.review_declare_conflict,
        name="review_declare_conflict",
    ),
    path(
        "talents/evaluation/<int:assignment_pk>/fichiers/<int:answer_pk>/",
        review_views.review_file,
        name="review_file",
    ),
]

# The PDF copy of an application (campus/talent/copy_views.py).
urlpatterns += [
    path(
        "talents/candidatures/<int:pk>/copie.pdf",
        copy_views.application_copy,
        name="application_copy",
    ),
]

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
