from django.urls import path

from campus.observatory import views

app_name = "observatory"
urlpatterns = [
    path("observatoire/", views.home, name="home"),
    path("gestion/observatoire/", views.team_sources, name="team_sources"),
    path("observatoire/definitions/", views.glossary, name="glossary"),
    path("observatoire/definitions/<slug:slug>/", views.definition, name="definition"),
    path("observatoire/<slug:theme>/", views.theme, name="theme"),
    path("observatoire/<slug:theme>/<slug:slug>/", views.figure, name="figure"),
    path(
        "observatoire/<slug:theme>/<slug:slug>.<str:file_format>",
        views.download,
        name="download",
    ),
]
