from django.urls import path

from campus.network import views

app_name = "network"
urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/proposer/", views.propose_new_actor, name="propose_new_actor"),
    path("annuaire/merci/", views.proposal_thanks, name="proposal_thanks"),
    path(
        "annuaire/<slug:slug>/", views.organisation_detail, name="organisation_detail"
    ),
    path(
        "annuaire/<slug:slug>/signaler/",
        views.propose_correction,
        name="propose_correction",
    ),
    path("espace/", views.partner_space, name="partner_space"),
    path(
        "espace/organisations/<int:pk>/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "espace/organisations/<int:pk>/contacts/",
        views.contacts_edit,
        name="contacts_edit",
    ),
    path("espace/organisations/<int:pk>/membres/", views.members, name="members"),
    path("espace/organisations/<int:pk>/inviter/", views.invite, name="invite"),
    path(
        "espace/organisations/<int:pk>/membres/<int:membership_pk>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "espace/organisations/<int:pk>/membres/<int:membership_pk>/retirer/",
        views.remove,
        name="remove_member",
    ),
    path(
        "espace/organisations/<int:pk>/invitations/<int:invitation_pk>/annuler/",
        views.cancel_invitation,
        name="cancel_invitation",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("gestion/propositions/", views.proposal_queue, name="proposal_queue"),
    path(
        "gestion/propositions/<int:pk>/", views.proposal_detail, name="proposal_detail"
    ),
    path(
        "gestion/propositions/<int:pk>/accepter/", views.accept, name="accept_proposal"
    ),
    path(
        "gestion/propositions/<int:pk>/corriger/",
        views.correct_proposal,
        name="correct_proposal",
    ),
    path(
        "gestion/propositions/<int:pk>/refuser/", views.refuse, name="refuse_proposal"
    ),
    path(
        "gestion/organisations/nouvelle/",
        views.organisation_create,
        name="organisation_create",
    ),
]
