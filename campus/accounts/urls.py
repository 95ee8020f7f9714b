from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from campus.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/creer/", views.signup, name="signup"),
    path("compte/creer/envoye/", views.signup_sent, name="signup_sent"),
    path("compte/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("compte/mes-donnees.json", views.export_data, name="export_data"),
    path("compte/supprimer/", views.delete_own_account, name="delete_account"),
    path("mot-de-passe/oubli/", views.password_reset_view, name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        login_not_required(
            auth_views.PasswordResetDoneView.as_view(
                template_name="accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        login_not_required(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="accounts/password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        login_not_required(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
]
