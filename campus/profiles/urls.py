from django.urls import path

from campus.profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("gestion/", views.back_office, name="back_office"),
    path("gestion/profil/", views.edit_campus_profile, name="edit_campus_profile"),
    path("gestion/filiere/", views.edit_sector_profile, name="edit_sector_profile"),
]
