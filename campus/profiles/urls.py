from django.urls import path

from campus.profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.svg", views.favicon_svg, name="favicon_svg"),
    path("favicon.png", views.favicon_png, {"size": 32}, name="favicon_png"),
    # Asked for by browsers that never read the page's <link rel="icon">.
    path("favicon.ico", views.favicon_png, {"size": 32}),
    path(
        "apple-touch-icon.png",
        views.favicon_png,
        {"size": 180},
        name="apple_touch_icon",
    ),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("gestion/", views.back_office, name="back_office"),
    path("gestion/profil/", views.campus_profile_edit, name="campus_profile_edit"),
    path("gestion/filiere/", views.sector_profile_edit, name="sector_profile_edit"),
    path("gestion/journal/", views.action_log, name="action_log"),
]
