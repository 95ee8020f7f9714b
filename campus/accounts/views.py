import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campus.accounts.forms import AccountDeletionForm, EmailAuthenticationForm
from campus.accounts.services import (
    AccountDeletionRefused,
    delete_account,
    export_personal_data,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


login_view = login_not_required(LoginView.as_view())


@require_GET
def account(request):
    return render(
        request, "accounts/account.html", {"deletion_form": AccountDeletionForm()}
    )


@require_GET
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
