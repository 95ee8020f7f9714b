from django.urls import path

from campus.places import views

app_name = "places"
urlpatterns = [
    path(
        "territoires/communes/", views.commune_suggestions, name="commune_suggestions"
    ),
]
