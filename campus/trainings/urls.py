from django.urls import path

from campus.trainings import views

app_name = "trainings"
urlpatterns = [
    path("formations/", views.catalogue, name="catalogue"),
    path("formations/embed/", views.catalogue_embed, name="catalogue_embed"),
    path("formations/<int:pk>/", views.offering_detail, name="offering_detail"),
    path(
        "formations/diplomes/<slug:slug>/",
        views.certification_detail,
        name="certification_detail",
    ),
    path("formations/blocs/", views.block_search, name="block_search"),
    path("formations/comparer/", views.compare, name="compare"),
    path("carte/", views.offering_map, name="map"),
    path("carte/embed/", views.map_embed, name="map_embed"),
    path("carte/donnees.geojson", views.map_data, name="map_data"),
    path(
        "carte/fond/<slug:region_code>.geojson",
        views.map_base_layer,
        name="map_base_layer",
    ),
    path("espace/formations/", views.partner_offerings, name="partner_offerings"),
    path("espace/formations/nouvelle/", views.offering_create, name="offering_create"),
    path(
        "espace/formations/blocs/",
        views.offering_blocks_field,
        name="offering_blocks_field",
    ),
    path("espace/formations/<int:pk>/", views.offering_edit, name="offering_edit"),
    path(
        "espace/formations/<int:pk>/supprimer/",
        views.offering_delete,
        name="offering_delete",
    ),
]
