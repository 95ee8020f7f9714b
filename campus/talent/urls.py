from django.urls import path

from campus.talent import views

app_name = "talent"
urlpatterns: list = []

# The public calls and applying (campus/talent/views.py). The applications' pages
# come before the call's: « candidatures » is not a call's slug.
urlpatterns += [
    path("talents/", views.call_list, name="call_list"),
    path("talents/candidatures/", views.my_applications, name="my_applications"),
    path(
        "talents/candidatures/<int:pk>/",
        views.application_form,
        name="application_form",
    ),
    path(
        "talents/candidatures/<int:pk>/brouillon/",
        views.application_save_draft,
        name="application_save_draft",
    ),
    path(
        "talents/candidatures/<int:pk>/recapitulatif/",
        views.application_summary,
        name="application_summary",
    ),
    path(
        "talents/candidatures/<int:pk>/deposer/",
        views.application_submit,
        name="application_submit",
    ),
    path(
        "talents/candidatures/<int:pk>/retirer/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "talents/candidatures/<int:pk>/fichiers/<int:question_pk>/",
        views.answer_file,
        name="answer_file",
    ),
    path("talents/<slug:slug>/", views.call_detail, name="call_detail"),
    path("talents/<slug:slug>/candidater/", views.apply, name="apply"),
]
