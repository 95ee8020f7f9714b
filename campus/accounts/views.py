import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_ratelimit.core import get_usage

from campus.accounts import services
from campus.accounts.forms import (
    AccountDeletionForm,
    CampusPasswordResetForm,
    EmailAuthenticationForm,
    SignupConfirmationForm,
    SignupForm,
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = services.safe_next_url(context.get("next"))
        signup_url = reverse("accounts:signup")
        context["signup_url"] = (
            f"{signup_url}?{urlencode({'next': next_url})}" if next_url else signup_url
        )
        return context


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


@login_not_required
@limit_public_form("accounts:signup", recipient_field="email")
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    """Anyone creates an account; it works once the e-mailed link is followed.

    A signed-in person has an account already and goes to `next` or their space.
    """
    next_url = services.safe_next_url(
        request.POST.get("next") or request.GET.get("next")
    )
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if form.filled_by_robot:
            return redirect("accounts:signup_sent")
        if form.is_valid():
            services.sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                next_url=next_url,
            )
            return redirect("accounts:signup_sent")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_safe
def signup_sent(request):
    return render(
        request,
        "accounts/signup_sent.html",
        {"link_days": services.SIGNUP_LINK_DAYS},
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm(request, token):
    """GET shows the form and POST activates: a mail scanner opening the link
    activates nothing. A bad link is a 400 with its French message."""
    user, _ = services.user_for_signup_token(token)
    form = SignupConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, next_url = services.confirm_signup(
                token, password=form.cleaned_data["password"]
            )
        except services.WrongSignupPassword as refusal:
            form.add_error("password", refusal.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, "Votre adresse est confirmée : votre compte est prêt."
            )
            return redirect(next_url or "accounts:account")
    return render(
        request,
        "accounts/signup_confirm.html",
        {
            "account": user,
            "form": form,
            "unconfirmed_days": services.UNCONFIRMED_ACCOUNT_DAYS,
        },
        status=400 if form.errors else 200,
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
