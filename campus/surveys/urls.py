from django.urls import path

from campus.surveys import views

app_name = "surveys"
urlpatterns = [
    path("gestion/enquetes/", views.campaign_list, name="campaign_list"),
    path("gestion/enquetes/nouvelle/", views.campaign_create, name="campaign_create"),
    path("gestion/enquetes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path(
        "gestion/enquetes/<int:pk>/modifier/",
        views.campaign_edit,
        name="campaign_edit",
    ),
    path(
        "gestion/enquetes/<int:pk>/envoyer/",
        views.campaign_send,
        name="campaign_send",
    ),
    path(
        "gestion/enquetes/<int:pk>/reponses.xlsx",
        views.campaign_export,
        name="campaign_export",
    ),
    path("enquetes/<str:token>/", views.answer, name="answer"),
    path(
        "enquetes/<str:token>/aucun-besoin/",
        views.answer_no_need,
        name="answer_no_need",
    ),
]
