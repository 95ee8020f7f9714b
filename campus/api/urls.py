from django.urls import include, path

from campus.api import api

app_name = "api"
urlpatterns: list = []

# The read-only open-data API and its documentation page (campus/api/api.py).
urlpatterns += [
    path("api/", api.documentation, name="documentation"),
    path("api/v1/", include((api.urlpatterns(), "v1"))),
]
