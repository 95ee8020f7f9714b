from django.urls import path

from campus.needs import views

app_name = "needs"
urlpatterns = [
    path("espace/besoins/", views.partner_needs, name="partner_needs"),
    path(
        "espace/besoins/recrutement/",
        views.recruitment_need_create,
        name="recruitment_need_create",
    ),
    path(
        "espace/besoins/competences/",
        views.skills_need_create,
        name="skills_need_create",
    ),
    path("espace/besoins/<int:pk>/", views.need_edit, name="need_edit"),
    path("espace/besoins/<int:pk>/confirmer/", views.need_confirm, name="need_confirm"),
    path("espace/besoins/<int:pk>/supprimer/", views.need_delete, name="need_delete"),
    path("gestion/besoins/", views.gap_view, name="gap_view"),
    path("gestion/besoins/ecarts.xlsx", views.gap_export, name="gap_export"),
    path("gestion/besoins/projets/", views.project_list, name="project_list"),
    path(
        "gestion/besoins/projets/nouveau/",
        views.project_create,
        name="project_create",
    ),
    path(
        "gestion/besoins/projets/<int:pk>/",
        views.project_detail,
        name="project_detail",
    ),
    path(
        "gestion/besoins/projets/<int:pk>/etape/",
        views.project_step,
        name="project_step",
    ),
    path(
        "gestion/besoins/projets/<int:pk>/formation/",
        views.project_link,
        name="project_link",
    ),
    path(
        "gestion/besoins/projets/<int:pk>/supprimer/",
        views.project_delete,
        name="project_delete",
    ),
    path("gestion/besoins/carte.geojson", views.gap_map_data, name="gap_map_data"),
]
