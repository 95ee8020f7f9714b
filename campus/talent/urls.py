from django.urls import path

from campus.talent import copy_views

app_name = "talent"
urlpatterns: list = []

# The PDF copy of an application (campus/talent/copy_views.py).
urlpatterns += [
    path(
        "talents/candidatures/<int:pk>/copie.pdf",
        copy_views.application_copy,
        name="application_copy",
    ),
]
