"""Open days typed on offerings become agenda events: one source of truth.

Each line of `Offering.open_days` that names one day (« samedi 14 mars 2026,
9 h – 12 h ») becomes an event of kind « portes ouvertes » at the offering's site,
linked to the offering; the same day at the same place for several offerings of a
school is one event linked to all of them. A line naming no single day (« sur
rendez-vous », « du 13 au 14 mars ») is added to the offering's « comment
candidater », where the school still sees it, and is listed on the console.
The next trainings migration removes the field.
"""

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

from campus.agenda.open_days import parse_open_day

KEPT_LINE = "Journées portes ouvertes (à vérifier) : {line}"


def _place(offering):
    site = offering.site if offering.site_id else None
    place = site if site is not None and site.commune_id else offering.organisation
    commune = place.commune if place.commune_id else None
    latitude, longitude = place.latitude, place.longitude
    if (latitude is None or longitude is None) and commune is not None:
        latitude, longitude = commune.latitude, commune.longitude
    return site, commune, latitude, longitude


def _unique_slug(Event, text):
    base = slugify(text)[:200] or "portes-ouvertes"
    slug, counter = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def open_days_to_events(apps, schema_editor):
    Event = apps.get_model("agenda", "Event")
    Offering = apps.get_model("trainings", "Offering")
    today = timezone.localdate()
    groups = {}
    unread = []
    offerings = (
        Offering.objects.exclude(open_days="")
        .select_related("organisation__commune", "site__commune", "certification")
        .order_by("pk")
    )
    for offering in offerings:
        kept = []
        for line in filter(None, (raw.strip() for raw in offering.open_days.splitlines())):
            day = parse_open_day(line, today=today)
            if day is None:
                kept.append(line)
                continue
            key = (offering.organisation_id, offering.site_id, day)
            groups.setdefault(key, []).append(offering)
        if kept:
            unread.extend((offering.pk, line) for line in kept)
            notes = "\n".join(KEPT_LINE.format(line=line) for line in kept)
            offering.how_to_apply = "\n\n".join(filter(None, [offering.how_to_apply, notes]))
            offering.save(update_fields=["how_to_apply"])
    for (_, _, day), linked in groups.items():
        first = linked[0]
        organisation = first.organisation
        site, commune, latitude, longitude = _place(first)
        subject = (
            first.certification.title
            if len({o.certification_id for o in linked}) == 1
            else organisation.name
        )
        title = f"Portes ouvertes — {subject}"[:200]
        event = Event.objects.create(
            title=title,
            slug=_unique_slug(Event, f"{title} {day.starts_at.date().isoformat()}"),
            kind="open_day",
            organisation=organisation,
            starts_at=day.starts_at,
            ends_at=day.ends_at,
            all_day=day.all_day,
            place_kind="site",
            site=site,
            commune=commune,
            latitude=latitude,
            longitude=longitude,
            # The offering's page showed them to everyone: they stay public.
            status="published" if any(o.is_published for o in linked) else "draft",
            is_demo=all(o.is_demo for o in linked),
            decided_at=timezone.now(),
        )
        event.offerings.set(linked)
        event.certifications.set({o.certification_id for o in linked})
    if unread:
        print(f"\n  Portes ouvertes non reconnues ({len(unread)} lignes, gardées dans « comment candidater ») :")
        for pk, line in unread:
            print(f"    formation {pk} : {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0002_audiences"),
        ("trainings", "0007_offering_fulltext_index"),
    ]

    operations = [
        migrations.RunPython(open_days_to_events, migrations.RunPython.noop),
    ]
