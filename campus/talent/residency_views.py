"""Artist residencies: public list and pages; the team writes and publishes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from campus import fragments
from campus.deletion import confirm_delete
from campus.ownership import is_active_account
from campus.permissions import campus_team_required
from campus.talent.models import Residency
from campus.talent.residencies import (
    residencies_by_period,
    save_residency,
    with_public_works,
)
from campus.talent.residency_forms import ResidencyForm


@login_not_required
@require_safe
def residency_list(request):
    """Anyone sees the published residencies: current, upcoming and past."""
    template = "talent/residencies/residency_list.html"

    def render_periods():
        periods = residencies_by_period(
            Residency.objects.published(), today=timezone.localdate()
        )
        html = render_to_string(f"{template}#periods", {"periods": periods})
        # A residency moves from upcoming to current to past as days go by.
        return html, fragments.next_midnight

    kept = fragments.kept_many(request, {"residencies": render_periods})
    return render(request, template, {"periods_html": kept["residencies"]})


@login_not_required
@require_safe
def residency_detail(request, slug):
    """Anyone sees a published residency; the team also previews the others."""
    template = "talent/residencies/residency_detail.html"
    if is_active_account(request.user) and request.user.is_campus_team:
        residency = get_object_or_404(
            with_public_works(Residency.objects.all()), slug=slug
        )
        content_html = render_to_string(f"{template}#content", {"residency": residency})
    else:
        # A published residency and its page are the same for everyone else; a
        # missing one raises Http404 and nothing is kept.
        page = fragments.kept(
            request, f"residency.{slug}", lambda: _published_residency_page(slug)
        )
        residency, content_html = page["residency"], page["content_html"]
    return render(
        request, template, {"residency": residency, "content_html": content_html}
    )


def _published_residency_page(slug) -> dict:
    residency = get_object_or_404(
        with_public_works(Residency.objects.published()), slug=slug
    )
    content_html = render_to_string(
        "talent/residencies/residency_detail.html#content", {"residency": residency}
    )
    return {"residency": residency, "content_html": content_html}


# Team


@campus_team_required
@require_safe
def residency_team_list(request):
    """The team lists every residency, published or not."""
    residencies = Residency.objects.select_related("host").order_by("-starts_on", "-pk")
    return render(
        request,
        "talent/residencies/team_list.html",
        {"residencies": residencies},
    )


def _residency_form_page(request, residency):
    form = ResidencyForm(request.POST or None, instance=residency)
    if request.method == "POST" and form.is_valid():
        is_new = residency.pk is None
        residency = save_residency(
            form.save(commit=False),
            trades=form.cleaned_data["trades"],
            works=form.cleaned_data["works"],
            acting_user=request.user,
        )
        messages.success(
            request,
            f"La résidence « {residency.title} » est "
            f"{'créée' if is_new else 'enregistrée'}"
            f"{' et publiée' if residency.is_published else ' (non publiée)'}.",
        )
        return redirect("talent:residency_team_list")
    return render(
        request,
        "talent/residencies/residency_form.html",
        {"form": form, "residency": residency},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def residency_create(request):
    """The team writes a residency; it is published when « publiée » is ticked."""
    return _residency_form_page(request, Residency())


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def residency_edit(request, pk):
    """The team changes, publishes or unpublishes a residency."""
    return _residency_form_page(request, get_object_or_404(Residency, pk=pk))


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def residency_delete(request, pk):
    """The team deletes a residency; the works stay in the showcase."""
    residency = get_object_or_404(Residency, pk=pk)
    return confirm_delete(
        request,
        residency,
        what=f"la résidence « {residency.title} »",
        consequence="Sa page publique disparaîtra ; les œuvres restent dans la vitrine.",
        list_url=reverse("talent:residency_team_list"),
        list_label="Résidences",
        edit_url=reverse("talent:residency_edit", args=[residency.pk]),
    )
