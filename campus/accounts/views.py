import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_ratelimit.core import get_usage

from campus.accounts.forms import (
    AccountDeletionForm,
    CampusPasswordResetForm,
    EmailAuthenticationForm,
)
from campus.accounts.services import (
    AccountDeletionRefused,
    delete_account,
    export_personal_data,
)
from campus.public_forms import TooManyRequests, limit_public_form


def _login_failures_from_address(request, *, increment=False) -> int:
    usage = get_usage(
        request,
        group="accounts:login-failures",
        key="ip",
        rate=(
            f"{settings.CAMPUS_LOGIN_FAILURES_PER_ADDRESS}"
            f"/{settings.CAMPUS_LOGIN_FAILURE_WINDOW}"
        ),
        increment=increment,
    )
    return usage["count"] if usage else 0


class LoginView(auth_views.LoginView):
    """Logs in by e-mail; django-axes locks an account after repeated failures,
    and this view locks a client address after many failures on any accounts.
    """

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limit = settings.CAMPUS_LOGIN_FAILURES_PER_ADDRESS
        if _login_failures_from_address(request) >= limit:
            raise TooManyRequests(
                "Trop de tentatives de connexion ont échoué depuis votre connexion. "
                "Réessayez dans 15 minutes."
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        _login_failures_from_address(self.request, increment=True)
        return super().form_invalid(form)


login_view = login_not_required(LoginView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = CampusPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if self.get_form().filled_by_robot:
            return redirect(self.success_url)
        return super().post(request, *args, **kwargs)


password_reset_view = login_not_required(
    limit_public_form("accounts:password_reset", recipient_field="email")(
        PasswordResetView.as_view()
    )
)


@require_safe
def account(request):
    return render(
        request, "accounts/account.html", {"deletion_form": AccountDeletionForm()}
    )


@require_safe
def export_data(request):
    payload = json.dumps(
        export_personal_data(request.user), ensure_ascii=False, indent=2
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-campus.json"'
    return response


@require_http_methods(["POST"])
def delete_own_account(request):
    form = AccountDeletionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/account.html", {"deletion_form": form}, status=400
        )
    user = request.user
    try:
        delete_account(user)
    except AccountDeletionRefused as refusal:
        form.add_error(None, str(refusal))
        return render(
            request, "accounts/account.html", {"deletion_form": form}, status=409
        )
    logout(request)
    messages.success(
        request, "Votre compte et vos données personnelles ont été supprimés."
    )
    return redirect("profiles:home")


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect("profiles:home")
