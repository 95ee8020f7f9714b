from django.urls import include, path

from campus.api import api, dataset_views, download_views

app_name = "api"
urlpatterns: list = []

# Downloads of the public lists and the open-data page (campus/api/downloads.py,
# campus/api/datasets.py).
urlpatterns += [
    path(
        "telecharger/<slug:dataset>.<slug:extension>",
        download_views.download,
        name="download",
    ),
    path("donnees/", dataset_views.datasets, name="datasets"),
    path("donnees/catalogue.jsonld", dataset_views.catalogue, name="dataset_catalogue"),
]

# The read-only open-data API and its documentation page (campus/api/api.py).
urlpatterns += [
    path("api/", api.documentation, name="documentation"),
    path("api/v1/", include((api.urlpatterns(), "v1"))),
]
