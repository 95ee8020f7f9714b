from django.urls import path

from campus.agenda import embed_views, registration_views, views

app_name = "agenda"
urlpatterns = [
    # The public agenda. Before the event page: its words are not event slugs.
    path("agenda/", views.event_list, name="event_list"),
    path("agenda/archives/", views.event_archive, name="event_archive"),
    path("agenda/mois/", views.event_month, name="event_month"),
    path("agenda/embed/", embed_views.agenda_embed, name="agenda_embed"),
    path("agenda/carte/", views.event_map, name="event_map"),
    path("agenda/carte/donnees.geojson", views.event_map_data, name="event_map_data"),
    path("agenda/calendrier.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/<slug:slug>/calendrier.ics", views.event_ics, name="event_ics"),
    path("agenda/<slug:slug>/", views.event_detail, name="event_detail"),
]

# Registration (campus/agenda/registration_views.py).
urlpatterns += [
    path(
        "agenda/<slug:slug>/inscription/",
        registration_views.register,
        name="register",
    ),
    path(
        "agenda/inscription/envoyee/",
        registration_views.registration_sent,
        name="registration_sent",
    ),
    path(
        "agenda/inscription/confirmer/<str:token>/",
        registration_views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "agenda/inscription/annuler/<str:token>/",
        registration_views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "espace/evenements/<slug:slug>/inscriptions/",
        registration_views.registrant_list,
        name="registrant_list",
    ),
    path(
        "espace/evenements/<slug:slug>/inscriptions/export.csv",
        registration_views.registrant_export,
        {"file_format": "csv"},
        name="registrant_export_csv",
    ),
    path(
        "espace/evenements/<slug:slug>/inscriptions/export.xlsx",
        registration_views.registrant_export,
        {"file_format": "xlsx"},
        name="registrant_export_xlsx",
    ),
    path(
        "espace/evenements/<slug:slug>/inscriptions/<int:pk>/presence/",
        registration_views.mark_attendance,
        name="mark_attendance",
    ),
]

# Publishing and moderation (campus/agenda/services.py).
urlpatterns += [
    path("espace/evenements/", views.partner_events, name="partner_events"),
    path("espace/evenements/nouveau/", views.event_create, name="event_create"),
    path("espace/evenements/<int:pk>/", views.event_edit, name="event_edit"),
    path(
        "espace/evenements/<int:pk>/supprimer/",
        views.event_delete,
        name="event_delete",
    ),
    path(
        "espace/evenements/<int:pk>/annuler/", views.event_cancel, name="event_cancel"
    ),
    path(
        "espace/evenements/<int:pk>/reporter/",
        views.event_postpone,
        name="event_postpone",
    ),
    path("gestion/evenements/", views.team_events, name="team_events"),
    path(
        "gestion/evenements/<int:pk>/",
        views.team_event_detail,
        name="team_event_detail",
    ),
    path(
        "gestion/evenements/<int:pk>/publier/",
        views.event_publish,
        name="event_publish",
    ),
    path(
        "gestion/evenements/<int:pk>/refuser/",
        views.event_refuse,
        name="event_refuse",
    ),
]
