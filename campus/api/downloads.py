"""« Télécharger » on the public lists: the rows of the page, as CSV or XLSX, streamed.

Each export declares its columns once (French header, the field read through
`values_list`, the kind of value) and builds its rows with the list's own FilterSet
on the list's own public QuerySet, so a download holds exactly the rows that an
anonymous visitor sees with the same filters, and never a private field.

Memory stays flat however many rows there are: rows come from
`QuerySet.values_list().iterator(chunk_size=…)` (no model instances, no list of all
rows) and go out as they are read.

- CSV is streamed to the client (`StreamingHttpResponse`). It is written for the
  spreadsheet most visitors open it with, French Excel: UTF-8 with a byte-order mark
  (without one Excel reads UTF-8 as Windows-1252), `;` between fields (French Excel
  takes the comma for the decimal separator and reads a `,` file as one column) and
  decimal commas; dates are ISO 8601 (2026-04-01), which Excel and LibreOffice both
  read as dates. The observatory's per-figure CSV files make the same choices.
- XLSX cannot be streamed to a socket: a workbook is a ZIP archive whose directory
  is written last, and openpyxl writes it through `zipfile` into a seekable file.
  So the workbook is written in openpyxl's write-only mode (rows are serialised as
  they come, never held) into a temporary file on disk, which `FileResponse` then
  sends in blocks and deletes when the response closes. Cells are typed: numbers
  are numbers, dates are dates.

Text that a spreadsheet would run as a formula is kept as text
(`campus.spreadsheets.neutralise`).
"""

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from campus.rules import RuleError
from campus.spreadsheets import neutralise

CHUNK_SIZE = 2000
# Rows written to the CSV buffer between two chunks sent to the client.
CSV_ROWS_PER_CHUNK = 500
TEXT, INTEGER, DECIMAL, DATE, DATETIME, BOOLEAN = (
    "text",
    "integer",
    "decimal",
    "date",
    "datetime",
    "boolean",
)


class InvalidFilters(RuleError):
    """A filter value the list would refuse: the download is refused the same way."""

    status_code = 400
    title = "Filtres invalides"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    # Turns the stored value into the one shown (a choice's label, a page's address).
    display: Callable | None = None


@dataclass(frozen=True)
class Export:
    slug: str
    title: str
    columns: tuple[Column, ...]
    # The list's rows for the request's filters; raises InvalidFilters.
    rows: Callable = field(repr=False)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def values(self, queryset: QuerySet) -> Iterator[list]:
        """The rows as lists of displayed values, read in chunks."""
        fields = [column.field for column in self.columns]
        displays = [column.display for column in self.columns]
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            yield [
                display(value) if display and value is not None else value
                for display, value in zip(displays, row, strict=True)
            ]

    def filename(self, extension: str) -> str:
        return f"{self.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def choice_labels(choices) -> Callable:
    labels = dict(choices)
    return lambda value: labels.get(value, value)


def page_address(url_name: str, key: str) -> Callable:
    """A row's public page, absolute: the address reversed once, the key put in."""
    marker = "0" if key == "pk" else "cle-de-ligne"
    template = settings.CAMPUS_SITE_URL + reverse(url_name, kwargs={key: marker})
    before, _, after = template.rpartition(marker)
    return lambda value: f"{before}{value}{after}"


def first_error(filterset) -> str:
    for errors in filterset.form.errors.values():
        for message in errors:
            return str(message)
    return "Un filtre n'est pas valide."


def filtered(filterset) -> QuerySet:
    if not filterset.is_valid():
        raise InvalidFilters(f"Filtres invalides : {first_error(filterset)}")
    return filterset.qs


# ---- CSV -------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands back what it is given."""

    def write(self, value):
        return value


def csv_text(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_chunks(export: Export, queryset: QuerySet) -> Iterator[bytes]:
    """The file in chunks of a few hundred rows, starting with the BOM and the header."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    kinds = [column.kind for column in export.columns]
    yield ("\ufeff" + writer.writerow(export.headers)).encode()
    lines = []
    for row in export.values(queryset):
        lines.append(
            writer.writerow(
                [csv_text(value, kind) for value, kind in zip(row, kinds, strict=True)]
            )
        )
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


# ---- XLSX ------------------------------------------------------------------------


def xlsx_value(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: the campus's local time, as shown on the site.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        # XML refuses control characters: a hostile value would break the file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(export: Export, rows: Iterable[list], target) -> None:
    """Writes the workbook into `target` (a path or a seekable binary file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(export.title[:31])
    bold = Font(bold=True)
    header = []
    for title in export.headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
    workbook.save(target)


def xlsx_file(export: Export, queryset: QuerySet):
    """A temporary file holding the workbook, at its start; deleted once closed."""
    target = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(export, export.values(queryset), target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


# ---- The exports of the public lists ---------------------------------------------
# Each `rows` function starts from the QuerySet the list view shows an anonymous
# visitor (`published()`, the list's order) and applies the list's FilterSet.


def directory_rows(request) -> QuerySet:
    from campus.network.filters import DirectoryFilter
    from campus.network.models import Organisation
    from campus.profiles.models import CampusProfile, SectorProfile

    organisations = Organisation.objects.published().order_by("name", "pk")
    return filtered(
        DirectoryFilter(
            request.GET,
            queryset=organisations,
            departements=CampusProfile.for_request(request).served_departements(),
            naf_codes=SectorProfile.for_request(request).naf_code_list,
        )
    )


def offering_rows(request) -> QuerySet:
    """The catalogue's and the map list's rows (one FilterSet, one order)."""
    from campus.profiles.models import CampusProfile
    from campus.trainings.filters import OfferingFilter
    from campus.trainings.models import Offering

    return filtered(
        OfferingFilter(
            request.GET,
            queryset=Offering.objects.published(),
            departements=CampusProfile.for_request(request).served_departements(),
        )
    )


def _event_rows(request, *, archive: bool) -> QuerySet:
    from campus.agenda.filters import EventFilter
    from campus.agenda.models import Event
    from campus.profiles.models import CampusProfile

    published = Event.objects.published()
    if archive:
        events = published.filter(ends_at__lt=timezone.now())
        events = events.order_by("-starts_at", "-pk")
    else:
        events = published.upcoming().order_by("starts_at", "pk")
    return filtered(
        EventFilter(
            request.GET,
            queryset=events,
            departements=CampusProfile.for_request(request).served_departements(),
        )
    )


def offer_rows(request) -> QuerySet:
    from campus.offers.filters import OfferFilter
    from campus.offers.models import Offer

    return filtered(OfferFilter(request.GET, queryset=Offer.objects.published()))


def _exports() -> dict[str, Export]:
    from campus.agenda.models import EventKind, EventState, PlaceKind
    from campus.network.models import OrganisationKind
    from campus.offers.models import Contract
    from campus.trainings.models import DiplomaType, Route

    exports = [
        Export(
            slug="annuaire",
            title="Annuaire des acteurs",
            rows=directory_rows,
            columns=(
                Column("Nom", "name"),
                Column("Sigle", "acronym"),
                Column(
                    "Type d'acteur",
                    "kind",
                    display=choice_labels(OrganisationKind.choices),
                ),
                Column("SIRET", "siret"),
                Column("UAI", "uai"),
                Column("Adresse", "address"),
                Column("Code postal", "postal_code"),
                Column("Commune", "commune__name"),
                Column("Code INSEE", "commune__insee_code"),
                Column("Département", "commune__departement__code"),
                Column("Latitude", "latitude", DECIMAL),
                Column("Longitude", "longitude", DECIMAL),
                Column("Site web", "website"),
                Column("E-mail de contact", "email"),
                Column("Téléphone", "phone"),
                Column("Source", "source"),
                Column("Licence de la source", "source_licence"),
                Column(
                    "Fiche sur le site",
                    "slug",
                    display=page_address("network:organisation_detail", "slug"),
                ),
                Column("Modifiée le", "updated_at", DATETIME),
            ),
        ),
        Export(
            slug="formations",
            title="Formations",
            rows=offering_rows,
            columns=(
                Column("Formation", "title"),
                Column("Niveau", "level", INTEGER),
                Column(
                    "Type de diplôme",
                    "diploma_type",
                    display=choice_labels(DiplomaType.choices),
                ),
                Column("Code RNCP", "certification__rncp_code"),
                Column("Voie", "route", display=choice_labels(Route.choices)),
                Column("Établissement", "organisation__name"),
                Column("Commune", "commune__name"),
                Column("Code INSEE", "commune__insee_code"),
                Column("Département", "departement_code"),
                Column("Latitude", "latitude", DECIMAL),
                Column("Longitude", "longitude", DECIMAL),
                Column("Durée", "duration"),
                Column("Dates de rentrée", "start_dates"),
                Column("Inscriptions à partir du", "enrolment_opens", DATE),
                Column("Inscriptions jusqu'au", "enrolment_closes", DATE),
                Column("Places", "capacity", INTEGER),
                Column("Page de l'établissement", "url"),
                Column("Identifiant ONISEP", "onisep_id"),
                Column("Source", "source"),
                Column("Licence de la source", "source_licence"),
                Column(
                    "Fiche sur le site",
                    "pk",
                    display=page_address("trainings:offering_detail", "pk"),
                ),
                Column("Modifiée le", "updated_at", DATETIME),
            ),
        ),
    ]
    event_columns = (
        Column("Titre", "title"),
        Column("Type", "kind", display=choice_labels(EventKind.choices)),
        Column("Organisateur", "organisation__name"),
        Column("Début", "starts_at", DATETIME),
        Column("Fin", "ends_at", DATETIME),
        Column("Toute la journée", "all_day", BOOLEAN),
        Column("Lieu", "place_kind", display=choice_labels(PlaceKind.choices)),
        Column("Nom du lieu", "venue"),
        Column("Adresse", "address"),
        Column("Commune", "commune__name"),
        Column("Code INSEE", "commune__insee_code"),
        Column("En bref", "summary"),
        Column("Gratuit", "is_free", BOOLEAN),
        Column("Tarif", "price"),
        Column("Déroulement", "state", display=choice_labels(EventState.choices)),
        Column(
            "Fiche sur le site",
            "slug",
            display=page_address("agenda:event_detail", "slug"),
        ),
        Column("Modifié le", "updated_at", DATETIME),
    )
    exports += [
        Export(
            slug="agenda",
            title="Agenda",
            rows=lambda request: _event_rows(request, archive=False),
            columns=event_columns,
        ),
        Export(
            slug="agenda-archives",
            title="Agenda (archives)",
            rows=lambda request: _event_rows(request, archive=True),
            columns=event_columns,
        ),
        Export(
            slug="offres",
            title="Offres",
            rows=offer_rows,
            columns=(
                Column("Intitulé du poste", "title"),
                Column(
                    "Type d'offre", "contract", display=choice_labels(Contract.choices)
                ),
                Column("Organisation", "organisation__name"),
                Column("Code ROME", "rome_job__code"),
                Column("Diplôme préparé", "certification__title"),
                Column("Commune", "commune__name"),
                Column("Code INSEE", "commune__insee_code"),
                Column("Département", "departement_code"),
                Column("Date de début", "starts_on", DATE),
                Column("Durée (mois)", "duration_months", INTEGER),
                Column("Nombre de postes", "positions", INTEGER),
                Column("Candidater en ligne", "apply_url"),
                Column("Visible jusqu'au", "expires_on", DATE),
                Column("Publiée le", "created_at", DATETIME),
                Column(
                    "Fiche sur le site",
                    "pk",
                    display=page_address("offers:offer_detail", "pk"),
                ),
            ),
        ),
    ]
    return {export.slug: export for export in exports}


_EXPORTS: dict[str, Export] = {}


def get_export(slug: str) -> Export | None:
    # Built on first use: the columns read the apps' choices and reverse their URLs.
    if not _EXPORTS:
        _EXPORTS.update(_exports())
    return _EXPORTS.get(slug)
