from django.urls import path

from campus.opendata import views

app_name = "opendata"
urlpatterns = [
    path("gestion/imports/", views.run_list, name="run_list"),
    path("gestion/imports/deposer/", views.upload, name="upload"),
    path("gestion/imports/<int:pk>/", views.run_detail, name="run_detail"),
    path("gestion/imports/<int:pk>/relancer/", views.run_restart, name="run_restart"),
]
