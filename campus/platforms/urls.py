from django.urls import path

from campus.platforms import views

app_name = "platforms"
urlpatterns = [
    path("plateformes/", views.platform_list, name="platform_list"),
    path("plateformes/<slug:slug>/", views.equipment_detail, name="equipment_detail"),
    path(
        "plateformes/<slug:slug>/reserver/",
        views.booking_request,
        name="booking_request",
    ),
    path(
        "plateformes/<slug:slug>/reservations.ics",
        views.booking_feed_view,
        name="booking_feed",
    ),
    path("espace/plateformes/", views.partner_equipment, name="partner_equipment"),
    path(
        "espace/plateformes/ajouter/", views.equipment_create, name="equipment_create"
    ),
    path("espace/plateformes/<int:pk>/", views.equipment_edit, name="equipment_edit"),
    path(
        "espace/plateformes/<int:pk>/supprimer/",
        views.equipment_delete,
        name="equipment_delete",
    ),
    path(
        "espace/plateformes/<int:pk>/calendrier/",
        views.equipment_token,
        name="equipment_token",
    ),
    path(
        "espace/plateformes/reservations/",
        views.manager_bookings,
        name="manager_bookings",
    ),
    path(
        "espace/plateformes/reservations/<int:pk>/accepter/",
        views.booking_approve,
        name="booking_approve",
    ),
    path(
        "espace/plateformes/reservations/<int:pk>/refuser/",
        views.booking_refuse,
        name="booking_refuse",
    ),
    path("espace/reservations/", views.my_bookings, name="my_bookings"),
    path(
        "espace/reservations/<int:pk>/annuler/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path("gestion/plateformes/", views.team_usage, name="team_usage"),
    path(
        "gestion/plateformes/usage.xlsx",
        views.team_usage_export,
        name="team_usage_export",
    ),
]
