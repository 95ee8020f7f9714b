"""Pages of the newsletter.

Public: subscribing, confirming, and the pages reached from every message by the
subscriber's private token (preferences, data export and deletion, unsubscribing);
an unknown token is a 404. The back-office `/gestion/lettre/` is the campus team's
alone (campus_team_required): other users get a 404, anonymous visitors the login.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.newsletter import services
from campus.newsletter.emails import issue_context
from campus.newsletter.forms import IssueForm, SubscriptionForm, TopicsForm
from campus.newsletter.models import (
    IssueStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
)
from campus.permissions import campus_team_required
from campus.public_forms import limit_public_form

ISSUES_SHOWN = 50


def _posted(request):
    """The POST data, or None on GET: an empty POST is a form to refuse, not a blank one."""
    return request.POST if request.method == "POST" else None


def _confirmation_days() -> int:
    return settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_public_form("newsletter:subscribe", recipient_field="email")
def subscribe(request):
    form = SubscriptionForm(_posted(request))
    if request.method == "POST" and form.filled_by_robot:
        return redirect("newsletter:subscription_sent")
    if request.method == "POST" and form.is_valid():
        services.subscribe(
            form.cleaned_data["email"], topics=form.cleaned_data["topics"]
        )
        return redirect("newsletter:subscription_sent")
    return render(
        request,
        "newsletter/subscribe.html",
        {"form": form, "confirmation_days": _confirmation_days()},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_safe
def subscription_sent(request):
    return render(
        request,
        "newsletter/subscription_sent.html",
        {"confirmation_days": _confirmation_days()},
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button and POST confirms: a mail scanner opening links consents
    to nothing."""
    subscriber = get_object_or_404(Subscriber, confirmation_token=token)
    error = None
    if request.method == "POST":
        try:
            subscriber = services.confirm_subscription(subscriber)
        except services.LinkRefused as refusal:
            error = refusal.message
        else:
            return render(
                request, "newsletter/confirmed.html", {"subscriber": subscriber}
            )
    elif subscriber.status == SubscriberStatus.ACTIVE:
        error = services.LINK_USED
    elif not subscriber.confirmation_is_open:
        error = services.LINK_EXPIRED
    return render(
        request,
        "newsletter/confirm.html",
        {
            "subscriber": subscriber,
            "error": error,
            "confirmation_days": _confirmation_days(),
        },
        status=400 if error else 200,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    form = TopicsForm(_posted(request), initial={"topics": subscriber.topic_codes})
    if request.method == "POST" and form.is_valid():
        services.update_topics(subscriber, topics=form.cleaned_data["topics"])
        messages.success(request, "Vos thèmes sont enregistrés.")
        return redirect(subscriber.get_preferences_url())
    return render(
        request,
        "newsletter/preferences.html",
        {"subscriber": subscriber, "form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_safe
def export_data(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    payload = json.dumps(
        {"lettre_d_information": services.export_subscriber(subscriber)},
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ma-lettre-campus.json"'
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_data(request, token):
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        services.delete_subscriber(subscriber)
        return render(request, "newsletter/data_deleted.html")
    return render(request, "newsletter/delete_data.html", {"subscriber": subscriber})


# Mail clients post the one-click unsubscription of RFC 8058 from their own
# servers, with no cookie and no CSRF token: the private token in the address is
# the only proof, and unsubscribing is all this POST can do. Every other form of
# the site keeps Django's CSRF check.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks (a link opened by a mail scanner changes nothing); POST unsubscribes."""
    subscriber = get_object_or_404(Subscriber, token=token)
    if request.method == "POST":
        subscriber = services.unsubscribe(subscriber)
        return render(
            request,
            "newsletter/unsubscribed.html",
            {
                "subscriber": subscriber,
                "retention_days": settings.CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS,
            },
        )
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


# --- Back-office --------------------------------------------------------------


@campus_team_required
@require_safe
def team_home(request):
    issues = NewsletterIssue.objects.select_related("created_by").order_by(
        "-created_at", "-pk"
    )[:ISSUES_SHOWN]
    return render(
        request,
        "newsletter/team_home.html",
        {"summary": services.subscribers_summary(), "issues": issues},
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_create(request):
    form = IssueForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.created_by = request.user
        issue.save()
        form.save_m2m()
        messages.success(request, "La lettre est enregistrée : relisez son aperçu.")
        return redirect(issue)
    return render(
        request,
        "newsletter/issue_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_edit(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status != IssueStatus.DRAFT:
        messages.error(request, "Une lettre envoyée ne se modifie plus.")
        return redirect(issue)
    form = IssueForm(_posted(request), instance=issue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La lettre est enregistrée : relisez son aperçu.")
        return redirect(issue)
    return render(
        request,
        "newsletter/issue_form.html",
        {"form": form, "issue": issue},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def issue_detail(request, pk):
    issue = get_object_or_404(
        NewsletterIssue.objects.select_related("created_by", "sent_by"), pk=pk
    )
    template = "newsletter/issue_detail.html"
    context = {
        "issue": issue,
        "counts": services.delivery_counts(issue),
        "stale_minutes": settings.CAMPUS_NEWSLETTER_STALE_AFTER // 60,
    }
    if request.htmx:
        return render(request, f"{template}#progress", context)
    recipients = Subscriber.objects.for_topics(issue.topics).count()
    return render(
        request,
        template,
        {**context, **issue_context(issue), "recipients": recipients},
    )


@campus_team_required
@require_POST
def issue_send_test(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    services.send_test_issue(issue, acting_user=request.user)
    messages.success(request, f"Un essai part à votre adresse, {request.user.email}.")
    return redirect(issue)


@campus_team_required
@require_POST
def issue_send(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    services.start_sending(issue, acting_user=request.user)
    messages.success(request, "L'envoi commence : suivez son avancement ici.")
    return redirect(issue)


@campus_team_required
@require_POST
def issue_resume(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    services.resume_sending(issue)
    messages.success(
        request,
        "L'envoi reprend là où il s'était arrêté : personne ne reçoit la lettre deux fois.",
    )
    return redirect(issue)
