from django.urls import path

from campus.reports import views

app_name = "reports"
urlpatterns = [
    path("gestion/rapport/", views.report_list, name="report_list"),
    path("gestion/rapport/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "gestion/rapport/<int:pk>/sections/<slug:slug>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "gestion/rapport/<int:pk>/versions/",
        views.version_create,
        name="version_create",
    ),
    path(
        "gestion/rapport/<int:pk>/versions/<int:number>/",
        views.version_detail,
        name="version_detail",
    ),
    path(
        "gestion/rapport/<int:pk>/versions/<int:number>/rapport.pdf",
        views.version_file,
        {"kind": "pdf"},
        name="version_pdf",
    ),
    path(
        "gestion/rapport/<int:pk>/versions/<int:number>/rapport.xlsx",
        views.version_file,
        {"kind": "xlsx"},
        name="version_xlsx",
    ),
]
