"""Workflows of trades and know-how: reference data, assessments, showcase images."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from campus.accounts.models import User
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.trades.endangerment import assess
from campus.trades.models import (
    SENIOR_AGE_BANDS,
    Assessment,
    CraftDomain,
    KnowHow,
    ShowcaseItem,
    Trade,
)
from campus.trades.reference import CRAFT_DOMAINS, CRAFT_TRADES


@dataclass
class ReferenceReport:
    domains_created: int = 0
    trades_created: int = 0
    trades_updated: int = 0


def load_craft_reference() -> ReferenceReport:
    """Creates or updates the métiers d'art domains and trades; running it twice changes nothing."""
    report = ReferenceReport()
    with transaction.atomic():
        domains = {}
        for order, (slug, name) in enumerate(CRAFT_DOMAINS, start=1):
            domain, created = CraftDomain.objects.update_or_create(
                slug=slug, defaults={"name": name, "order": order}
            )
            domains[slug] = domain
            report.domains_created += created
        for slug, name, domain_slug, rome_codes in CRAFT_TRADES:
            trade = Trade.objects.filter(slug=slug).first()
            if trade is None:
                Trade.objects.create(
                    slug=slug,
                    name=name,
                    craft_domain=domains[domain_slug],
                    rome_codes=rome_codes,
                )
                report.trades_created += 1
            elif trade.craft_domain_id != domains[domain_slug].pk:
                trade.craft_domain = domains[domain_slug]
                trade.save()
                report.trades_updated += 1
    return report


def current_counts(know_how: KnowHow) -> dict[str, int]:
    """The counts an assessment form starts from.

    Holders come from those recorded today; trainees and trainings, which the
    campus does not record one by one, from the latest assessment.
    """
    holders = know_how.holders.all()
    counts = {
        "holder_count": holders.count(),
        "senior_holder_count": holders.filter(age_band__in=SENIOR_AGE_BANDS).count(),
    }
    latest = know_how.assessments.order_by("-assessed_on", "-pk").first()
    if latest is not None:
        counts["trainee_count"] = latest.trainee_count
        counts["training_count"] = latest.training_count
    return counts


def record_assessment(
    know_how: KnowHow,
    *,
    holder_count: int,
    senior_holder_count: int,
    trainee_count: int,
    training_count: int,
    assessed_on: date,
    comment: str = "",
    acting_user: User,
) -> Assessment:
    result = assess(
        holder_count=holder_count,
        senior_holder_count=senior_holder_count,
        trainee_count=trainee_count,
        training_count=training_count,
    )
    with transaction.atomic():
        assessment = Assessment.objects.create(
            know_how=know_how,
            assessed_on=assessed_on,
            holder_count=holder_count,
            senior_holder_count=senior_holder_count,
            trainee_count=trainee_count,
            training_count=training_count,
            level=result.level,
            score=result.score,
            assessor=acting_user,
            comment=comment,
        )
        latest = know_how.assessments.order_by("-assessed_on", "-pk").first()
        KnowHow.objects.filter(pk=know_how.pk).update(
            level=latest.level, score=latest.score, assessed_on=latest.assessed_on
        )
    know_how.refresh_from_db(fields=["level", "score", "assessed_on"])
    return assessment


def save_showcase_item(item: ShowcaseItem, *, new_image=None, trades=None):
    """Saves a showcase item, storing a resized copy of a newly uploaded image."""
    with transaction.atomic():
        if new_image is not None:
            replaced = (
                ShowcaseItem.objects.filter(pk=item.pk)
                .values_list("image", flat=True)
                .first()
            )
            content = reencoded_image(new_image, max_side=SHOWCASE_MAX_SIDE)
            item.image.save(content.name, content, save=False)
            if replaced:
                storage = item.image.storage
                transaction.on_commit(lambda: storage.delete(replaced))
        item.save()
        if trades is not None:
            item.trades.set(trades)
    return item


def delete_showcase_item(item: ShowcaseItem) -> None:
    """Deletes a showcase item, and its image file once the deletion is committed."""
    with transaction.atomic():
        image, storage = item.image.name, item.image.storage
        item.delete()
        if image:
            transaction.on_commit(lambda: storage.delete(image))
