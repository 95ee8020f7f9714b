from django.urls import path

from campus.trainings import views

app_name = "trainings"
urlpatterns = [
    path("formations/", views.catalogue, name="catalogue"),
    path("formations/<int:pk>/", views.offering_detail, name="offering_detail"),
    path(
        "formations/diplomes/<slug:slug>/",
        views.certification_detail,
        name="certification_detail",
    ),
    path("carte/", views.offering_map, name="map"),
    path("carte/embed/", views.map_embed, name="map_embed"),
    path("carte/donnees.geojson", views.map_data, name="map_data"),
    path("espace/formations/", views.partner_offerings, name="partner_offerings"),
    path("espace/formations/nouvelle/", views.create_offering, name="create_offering"),
    path("espace/formations/<int:pk>/", views.edit_offering, name="edit_offering"),
    path(
        "espace/formations/<int:pk>/supprimer/",
        views.delete_offering,
        name="delete_offering",
    ),
]
