from django.urls import path

from campus.operations import views

app_name = "operations"
urlpatterns = [
    path("sante/", views.health, name="health"),
    path("metrics", views.metrics, name="metrics"),
]
