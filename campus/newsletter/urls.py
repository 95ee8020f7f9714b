from django.urls import path

from campus.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("lettre/", views.subscribe, name="subscribe"),
    path("lettre/merci/", views.subscription_sent, name="subscription_sent"),
    path("lettre/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("lettre/preferences/<str:token>/", views.preferences, name="preferences"),
    path(
        "lettre/preferences/<str:token>/mes-donnees.json",
        views.export_data,
        name="export_data",
    ),
    path(
        "lettre/preferences/<str:token>/supprimer/",
        views.delete_data,
        name="delete_data",
    ),
    path("lettre/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("gestion/lettre/", views.team_home, name="team_home"),
    path("gestion/lettre/nouvelle/", views.issue_create, name="issue_create"),
    path("gestion/lettre/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("gestion/lettre/<int:pk>/modifier/", views.issue_edit, name="issue_edit"),
    path(
        "gestion/lettre/<int:pk>/essai/", views.issue_send_test, name="issue_send_test"
    ),
    path("gestion/lettre/<int:pk>/envoyer/", views.issue_send, name="issue_send"),
    path("gestion/lettre/<int:pk>/reprendre/", views.issue_resume, name="issue_resume"),
]
