from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import contributions, fragments
from campus.deletion import confirm_delete
from campus.network.models import Organisation
from campus.permissions import campus_team_required, organisation_editor_required
from campus.search import list_page, page_of_results, wants_results_only
from campus.trades import services
from campus.trades.endangerment import CRITERIA_TEXT, LEVELS_TEXT
from campus.trades.filters import TradeFilter
from campus.trades.forms import (
    AssessmentForm,
    OrganisationTradesForm,
    ShowcaseItemForm,
    TransmissionActionForm,
)
from campus.trades.models import (
    ActionStatus,
    KnowHow,
    OnisepJob,
    RomeJob,
    ShowcaseItem,
    Trade,
    TransmissionAction,
)
from campus.trades.reference import ROME_LABELS

TRADE_PAGE_SIZE = 24
PUBLIC_ACTION_STATUSES = [ActionStatus.IN_PROGRESS, ActionStatus.DONE]


@login_not_required
@require_safe
def trade_list(request):
    # What a card shows: not the description nor the search text, the long ones.
    trades = (
        Trade.objects.published()
        .select_related("craft_domain")
        .only("name", "slug", "summary", "rome_codes", "is_demo", "craft_domain__name")
        .order_by("name", "pk")
    )
    trade_filter = TradeFilter(request.GET, queryset=trades, request=request)
    valid = trade_filter.is_valid()
    results = trade_filter.qs if valid else trades.none()

    def results_context():
        return {
            **page_of_results(request, trade_filter, results, TRADE_PAGE_SIZE),
            # The cards' links, « /metiers/<slug>/ »: the path is reversed once
            # for the page rather than once a card.
            "trade_path": reverse(
                "trades:trade_detail", kwargs={"slug": "slug"}
            ).removesuffix("slug/"),
        }

    context = {"filter": trade_filter}
    if not wants_results_only(request):
        context["at_risk_count"] = fragments.kept(
            request, "know-how-at-risk-count", KnowHow.objects.at_risk().count
        )
    return list_page(
        request,
        "trades/trade_list.html",
        context,
        results_context,
        status=200 if valid else 400,
    )


@login_not_required
@require_safe
def trade_detail(request, slug):
    trade = get_object_or_404(
        Trade.objects.published().select_related("craft_domain"), slug=slug
    )
    return render(
        request,
        "trades/trade_detail.html",
        {
            "trade": trade,
            "parts": fragments.kept(
                request, f"trade-page.{trade.pk}", partial(_trade_page_parts, trade)
            ),
            # A section with nothing to show renders blank: the page leaves it out.
            "sections": [
                section
                for section in contributions.trade_page.render(request, trade)
                if section.strip()
            ],
        },
    )


def _trade_page_parts(trade) -> dict[str, str]:
    """The trade page's partials that show the database besides the trade: its
    picture for sharing, its main column and its ROME codes; none changes with
    time alone."""
    catalogue_url = reverse("trainings:catalogue")
    map_url = reverse("trainings:map")
    jobs = {
        job.code: job
        for job in RomeJob.objects.filter(
            code__in=trade.rome_code_list
        ).prefetch_related("appellations")
    }
    rome_codes = [
        {
            "code": code,
            "label": jobs[code].label if code in jobs else ROME_LABELS.get(code, ""),
            "appellations": [a.label for a in jobs[code].appellations.all()][:8]
            if code in jobs
            else [],
            "catalogue_url": f"{catalogue_url}?metier={code}",
            "map_url": f"{map_url}?metier={code}",
        }
        for code in trade.rome_code_list
    ]
    context = {
        "trade": trade,
        "rome_codes": rome_codes,
        "onisep_jobs": OnisepJob.objects.for_rome_codes(trade.rome_code_list),
        "know_hows": trade.know_hows.published().order_by("name", "pk"),
        "organisations": trade.organisations.published()
        .select_related("commune")
        .order_by("name", "pk"),
        "showcase_items": list(
            trade.showcase_items.published()
            .select_related("organisation")
            .order_by("-created_at", "-pk")[:12]
        ),
    }
    return {
        name: render_to_string(f"trades/trade_detail.html#{name}", context)
        for name in ("og_image", "main", "rome")
    }


@login_not_required
@require_safe
def know_how_detail(request, slug):
    know_how = get_object_or_404(KnowHow.objects.published(), slug=slug)
    return render(
        request,
        "trades/know_how_detail.html",
        {
            "know_how": know_how,
            "trades": know_how.trades.published().order_by("name"),
            "holders": know_how.holders.public().select_related("organisation"),
            "actions": know_how.actions.filter(status__in=PUBLIC_ACTION_STATUSES),
        },
    )


@login_not_required
@require_safe
def at_risk(request):
    return render(
        request,
        "trades/at_risk.html",
        {
            "know_hows": KnowHow.objects.at_risk().prefetch_related(
                Prefetch("trades", queryset=Trade.objects.published().order_by("name"))
            )
        },
    )


@campus_team_required
@require_safe
def team_know_how_list(request):
    # Unassessed know-how last on every database (PostgreSQL sorts NULL first).
    know_hows = KnowHow.objects.order_by(F("score").desc(nulls_last=True), "name", "pk")
    return render(
        request,
        "trades/team_know_how_list.html",
        {
            "know_hows": know_hows,
            "criteria": CRITERIA_TEXT,
            "levels_text": LEVELS_TEXT,
        },
    )


def _render_team_know_how(request, know_how, *, assessment_form=None, action_form=None):
    if assessment_form is None:
        assessment_form = AssessmentForm(
            initial={
                **services.current_counts(know_how),
                "assessed_on": timezone.localdate(),
            }
        )
    status = (
        400 if (assessment_form.errors or (action_form and action_form.errors)) else 200
    )
    return render(
        request,
        "trades/team_know_how_detail.html",
        {
            "know_how": know_how,
            "assessments": know_how.assessments.select_related("assessor"),
            "holders": know_how.holders.select_related("organisation"),
            "actions": know_how.actions.all(),
            "assessment_form": assessment_form,
            "action_form": action_form or TransmissionActionForm(prefix="action"),
            "criteria": CRITERIA_TEXT,
            "levels_text": LEVELS_TEXT,
        },
        status=status,
    )


@campus_team_required
@require_safe
def team_know_how_detail(request, pk):
    return _render_team_know_how(request, get_object_or_404(KnowHow, pk=pk))


@campus_team_required
@require_POST
def assess_know_how(request, pk):
    know_how = get_object_or_404(KnowHow, pk=pk)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _render_team_know_how(request, know_how, assessment_form=form)
    assessment = services.record_assessment(
        know_how, **form.cleaned_data, acting_user=request.user
    )
    messages.success(
        request, f"Évaluation enregistrée : {assessment.get_level_display().lower()}."
    )
    return redirect("trades:team_know_how_detail", pk=know_how.pk)


@campus_team_required
@require_POST
def add_transmission_action(request, pk):
    know_how = get_object_or_404(KnowHow, pk=pk)
    form = TransmissionActionForm(
        request.POST, prefix="action", instance=TransmissionAction(know_how=know_how)
    )
    if not form.is_valid():
        return _render_team_know_how(request, know_how, action_form=form)
    form.save()
    messages.success(request, "L'action de transmission est enregistrée.")
    return redirect("trades:team_know_how_detail", pk=know_how.pk)


@require_safe
def showcase_list(request):
    items = (
        ShowcaseItem.objects.editable_by(request.user)
        .select_related("organisation")
        .order_by("organisation__name", "-created_at", "-pk")
    )
    return render(
        request,
        "trades/showcase_list.html",
        {
            "items": items,
            "has_organisations": Organisation.objects.editable_by(
                request.user
            ).exists(),
        },
    )


def _showcase_form_view(request, item):
    form = ShowcaseItemForm(
        request.POST or None, request.FILES or None, instance=item, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        new_image = form.cleaned_data["image"] if "image" in form.changed_data else None
        services.save_showcase_item(
            form.save(commit=False),
            new_image=new_image,
            trades=form.cleaned_data["trades"],
        )
        messages.success(request, "La réalisation est enregistrée.")
        return redirect("trades:showcase_list")
    return render(
        request,
        "trades/showcase_form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("trades:showcase_list")
def showcase_create(request):
    return _showcase_form_view(request, ShowcaseItem())


@require_http_methods(["GET", "HEAD", "POST"])
def showcase_edit(request, pk):
    item = get_object_or_404(ShowcaseItem.objects.editable_by(request.user), pk=pk)
    return _showcase_form_view(request, item)


@require_http_methods(["GET", "HEAD", "POST"])
def showcase_delete(request, pk):
    item = get_object_or_404(ShowcaseItem.objects.editable_by(request.user), pk=pk)
    return confirm_delete(
        request,
        item,
        what=f"la réalisation « {item.title} »",
        consequence=(
            "La réalisation et son image disparaîtront de la vitrine, de la fiche "
            "de votre organisation et des pages des métiers."
        ),
        list_url=reverse("trades:showcase_list"),
        list_label="Vitrine",
        edit_url=reverse("trades:showcase_edit", args=[item.pk]),
        delete=lambda: services.delete_showcase_item(item),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_trades(request, pk):
    """An editor says which trades their organisation practises, for the trade pages."""
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    published = organisation.trades.published()
    form = OrganisationTradesForm(
        request.POST or None, initial={"trades": published.order_by("pk")}
    )
    if request.method == "POST" and form.is_valid():
        # Unpublished trades are not offered in the form, so they are kept as they are.
        organisation.trades.remove(*published)
        organisation.trades.add(*form.cleaned_data["trades"])
        messages.success(request, "Les métiers exercés sont enregistrés.")
        return redirect("trades:organisation_trades", pk=organisation.pk)
    return render(
        request,
        "trades/organisation_trades.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )
