"""The annual report of a campus with 1,000 organisations and 5,000 events.

Generates (once) a dataset in a database of its own: a région of 8 départements,
500 communes, 1,000 organisations (a third of them partners, with their
agreements), 5,000 events over two years with 25,000 registrations, 200
certifications and 3,000 offerings, 2,000 outreach requests done, 20 calls with
400 applications, 300 European mobilities and 8 key figures. Then it produces
versions of last year's report as the task worker does (`generate_version`:
figures, PDF, XLSX) and times each step, and the section page that computes a
section's figures live.

    .venv/bin/python bench/report_bench.py --database sqlite --repetitions 5
    .venv/bin/python bench/report_bench.py --database postgres --repetitions 5

Not a test: timings depend on the machine.
"""

import datetime as dt
import random
import statistics
import time

from common import BENCH_DIR, argument_parser, generate_region, prepare, write_report

SQLITE_PATH = BENCH_DIR / "report.sqlite3"
POSTGRES_DATABASE = "campus_bench_report"

COMMUNES = 500
ORGANISATIONS = 1_000
EVENTS = 5_000
REGISTRATIONS_PER_EVENT = 5
CERTIFICATIONS = 200
OFFERINGS = 3_000
OUTREACH = 2_000
CALLS = 20
APPLICATIONS_PER_CALL = 20
MOBILITIES = 300
SEED = 20261130
TEAM_EMAIL = "equipe-bench@campus.example"


def generate(year: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from campus.accounts.models import User
    from campus.agenda.models import Event, Registration, RegistrationStatus
    from campus.network.models import Organisation, OrganisationKind
    from campus.observatory.models import KeyFigure
    from campus.outreach.models import InterventionRequest
    from campus.reports.models import Report
    from campus.talent.models import (
        Application,
        Call,
        HostPartner,
        Mobility,
    )
    from campus.trades.models import Trade
    from campus.trainings.models import Certification, Offering

    rng = random.Random(SEED)
    started = time.perf_counter()

    def moment(day_of_period: float):
        start = timezone.make_aware(dt.datetime(year - 1, 1, 1, 9))
        return start + dt.timedelta(days=day_of_period)

    with transaction.atomic():
        for model in [
            Report, Mobility, HostPartner, Application, Call, Registration, Event,
            InterventionRequest, Offering, Certification, KeyFigure, Trade,
            Organisation,
        ]:  # fmt: skip
            model.objects.all().delete()
        User.objects.filter(email__startswith="candidat-bench").delete()
        _region, departements, communes = generate_region(rng, COMMUNES)
        kinds = [k for k, _ in OrganisationKind.choices]
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Acteur {n}",
                    slug=f"acteur-{n}",
                    kind=rng.choice(kinds),
                    commune=rng.choice(communes),
                    is_published=True,
                    partnership_status=(
                        rng.choice(["partner", "founding"])
                        if n % 3 == 0
                        else rng.choice(["none", "prospect", "former"])
                    ),
                    partner_since=(
                        dt.date(year - rng.randint(0, 6), rng.randint(1, 12), 1)
                        if n % 3 == 0
                        else None
                    ),
                    agreement_reference=f"CONV-{n}" if n % 6 == 0 else "",
                )
                for n in range(ORGANISATIONS)
            ]
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    title=f"Événement {n}",
                    slug=f"evenement-{n}",
                    kind=rng.choice(["open_day", "fair", "workshop", "conference"]),
                    organisation=rng.choice(organisations),
                    starts_at=(start := moment(rng.uniform(0, 729))),
                    ends_at=start + dt.timedelta(hours=3),
                    status="published" if rng.random() < 0.9 else "submitted",
                    registration_enabled=True,
                )
                for n in range(EVENTS)
            ],
            batch_size=2000,
        )
        Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    name=f"Personne {n}-{k}",
                    email=f"personne{n}-{k}@exemple.fr",
                    status=RegistrationStatus.CONFIRMED,
                    places=rng.randint(1, 3),
                    attended=rng.random() < 0.7,
                    token=f"jeton-{n}-{k}",
                )
                for n, event in enumerate(events)
                for k in range(REGISTRATIONS_PER_EVENT)
            ],
            batch_size=5000,
        )
        certifications = Certification.objects.bulk_create(
            Certification(
                title=f"Certification {n}",
                slug=f"certification-{n}",
                diploma_type="cap",
                level=rng.choice([3, 4, 5, 6]),
            )
            for n in range(CERTIFICATIONS)
        )
        codes = {d.pk: d.code for d in departements}
        Offering.objects.bulk_create(
            [
                Offering(
                    certification=(cert := rng.choice(certifications)),
                    organisation=(org := rng.choice(organisations)),
                    route=rng.choice(["school", "apprenticeship", "continuing"]),
                    is_published=rng.random() < 0.95,
                    commune_id=org.commune_id,
                    level=cert.level,
                    departement_code=codes[
                        next(
                            c.departement_id for c in communes if c.pk == org.commune_id
                        )
                    ],
                )
                for _ in range(OFFERINGS)
            ],
            batch_size=2000,
        )
        InterventionRequest.objects.bulk_create(
            [
                InterventionRequest(
                    school_name=f"Collège {n % 300}",
                    school_uai=f"0{rng.choice(['21', '25', '39', '70'])}{n % 300:04d}A",
                    school_town="Ville",
                    teacher_name="Enseignant",
                    teacher_email=f"prof{n}@ac-test.fr",
                    class_level="4e",
                    pupil_count=rng.randint(15, 30),
                    status="done",
                    held_on=moment(rng.uniform(0, 729)).date(),
                    token=f"demande-{n}",
                )
                for n in range(OUTREACH)
            ],
            batch_size=2000,
        )
        calls = Call.objects.bulk_create(
            Call(
                title=f"Appel {n}",
                slug=f"appel-{n}",
                kind="projects",
                summary="Un appel.",
                description="Un appel.",
                eligibility="Tous.",
                opens_at=moment(30 * n),
                closes_at=moment(30 * n + 40),
                is_published=True,
            )
            for n in range(CALLS)
        )
        applicants = User.objects.bulk_create(
            User(email=f"candidat-bench-{n}@exemple.fr", password="!")
            for n in range(CALLS * APPLICATIONS_PER_CALL)
        )
        Application.objects.bulk_create(
            Application(
                call=calls[n % CALLS],
                applicant=applicant,
                title=f"Projet {n}",
                status="submitted",
                submitted_at=calls[n % CALLS].opens_at,
                decision=rng.choice(["selected", "not_selected", "waiting_list", ""]),
            )
            for n, applicant in enumerate(applicants)
        )
        trades = Trade.objects.bulk_create(
            Trade(name=f"Métier {n}", slug=f"metier-{n}", is_published=True)
            for n in range(20)
        )
        hosts = HostPartner.objects.bulk_create(
            HostPartner(name=f"Partenaire {n}", country=country, city="Ville")
            for n, country in enumerate(["IT", "ES", "DE", "PT", "BE", "PL"] * 3)
        )
        Mobility.objects.bulk_create(
            Mobility(
                learner_first_name=f"Prénom{n}",
                sending_school=rng.choice(organisations),
                trade=rng.choice(trades),
                host_partner=rng.choice(hosts),
                departure_on=(day := moment(rng.uniform(0, 729)).date()),
                return_on=day + dt.timedelta(weeks=4),
            )
            for n in range(MOBILITIES)
        )
        KeyFigure.objects.bulk_create(
            KeyFigure(
                label=f"Chiffre clé {n}",
                value=rng.randint(100, 10_000),
                unit="salariés",
                source_label="Banc d'essai",
                order=n,
            )
            for n in range(8)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s.", flush=True)


def measure(year: int, repetitions: int) -> list[tuple[str, float, float, int]]:
    from django.test import Client

    from campus.accounts.models import User
    from campus.reports import outputs, services
    from campus.reports.models import ReportVersion

    team = User.objects.filter(email=TEAM_EMAIL).first() or User.objects.create_user(
        TEAM_EMAIL, "bench-mot-de-passe-2026", full_name="Équipe (bench)", is_staff=True
    )
    report, _ = services.open_report(
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), acting_user=team
    )
    # Each run measures versions of its own.
    report.versions.all().delete()
    services.save_narrative(
        report, "objectifs", "Trois **objectifs** pour l'année.", acting_user=team
    )
    timings: dict[str, list[float]] = {
        "Calcul des chiffres (11 sections)": [],
        "PDF (WeasyPrint)": [],
        "Classeur XLSX": [],
        "Version complète (tâche)": [],
        "Page d'une section (chiffres en direct)": [],
    }
    client = Client()
    client.force_login(team)
    for n in range(repetitions):
        started = time.perf_counter()
        content = services.compute_content(report)
        timings["Calcul des chiffres (11 sections)"].append(
            time.perf_counter() - started
        )
        version = ReportVersion(report=report, number=0, content=content)
        version.content["version"] = 0
        version.content["generated_at"] = "2026-01-01T00:00:00+00:00"
        version.content["generated_by"] = ""
        started = time.perf_counter()
        pdf = outputs.render_pdf(version)
        timings["PDF (WeasyPrint)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        outputs.render_xlsx(version)
        timings["Classeur XLSX"].append(time.perf_counter() - started)
        started = time.perf_counter()
        done = services.generate_version(
            ReportVersion.objects.create(report=report, number=1000 + n)
        )
        timings["Version complète (tâche)"].append(time.perf_counter() - started)
        assert done.status == "done", done.error
        started = time.perf_counter()
        response = client.get(f"/gestion/rapport/{report.pk}/sections/perimetre/")
        timings["Page d'une section (chiffres en direct)"].append(
            time.perf_counter() - started
        )
        assert response.status_code == 200
        print(f"  version {n + 1}: {len(pdf) // 1024} Kio de PDF", flush=True)
    rows = []
    for label, values in timings.items():
        values = sorted(values)
        rows.append((label, statistics.median(values), values[-1], len(values)))
        print(f"  {label}: médiane {rows[-1][1]:.2f} s, max {rows[-1][2]:.2f} s")
    return rows


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0], regenerate=True).parse_args()
    prepare(args.database, SQLITE_PATH, POSTGRES_DATABASE)
    from django.utils import timezone

    from campus.agenda.models import Event
    from campus.network.models import Organisation

    year = timezone.localdate().year - 1
    if (
        args.regenerate
        or Organisation.objects.count() != ORGANISATIONS
        or Event.objects.count() != EVENTS
    ):
        print(f"Generating the dataset on {args.database}…", flush=True)
        generate(year)
    repetitions = min(args.repetitions, 10)
    print(f"Measuring on {args.database} ({repetitions} versions)…", flush=True)
    rows = measure(year, repetitions)
    lines = [
        f"### {args.database}",
        "",
        f"{ORGANISATIONS:_} organisations, {EVENTS:_} événements et "
        f"{EVENTS * REGISTRATIONS_PER_EVENT:_} inscriptions, {OFFERINGS:_} offres, "
        f"{OUTREACH:_} interventions, {CALLS * APPLICATIONS_PER_CALL:_} candidatures, "
        f"{MOBILITIES:_} mobilités ; rapport de l'année {year}.".replace("_", " "),
        "",
        "| Étape | médiane (s) | max (s) | mesures |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {label} | {p50:.2f} | {top:.2f} | {n} |" for label, p50, top, n in rows),
    ]
    write_report("report", args.database, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
