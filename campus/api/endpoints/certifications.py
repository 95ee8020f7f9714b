"""Certifications of the catalogue with their skill blocks."""

from django.db.models import Prefetch
from ninja import Query, Router

from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    list_page,
    one,
    page_url,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Certification as CertificationSchema
from campus.api.schemas import item_schema, page_schema
from campus.trainings.models import (
    DIPLOMA_TYPE_LABELS,
    Certification,
    DiplomaType,
    Level,
    SkillBlock,
)

router = Router(tags=["Formations"])
SORT = Sort("title")
Page = page_schema(CertificationSchema, "CertificationPage")
Item = item_schema(CertificationSchema, "CertificationItem")


def serialise(certification: Certification) -> dict:
    return {
        "id": certification.pk,
        "slug": certification.slug,
        "intitule": certification.title,
        "type_diplome": certification.diploma_type,
        "type_diplome_libelle": DIPLOMA_TYPE_LABELS.get(certification.diploma_type, ""),
        "niveau": certification.level,
        "code_rncp": certification.rncp_code,
        "code_nsf": certification.nsf_code,
        "code_cfd": certification.cfd_code,
        "identifiant_onisep": certification.onisep_id,
        "codes_rome": certification.rome_code_list,
        "description": certification.description,
        "certificateurs": [
            line.strip()
            for line in certification.certifiers.splitlines()
            if line.strip()
        ],
        "blocs_competences": [
            {
                "code": block.code,
                "intitule": block.title,
                "ordre": block.order,
                "competences": block.skill_list,
                "modalites_evaluation": block.assessment,
            }
            for block in certification.skill_blocks.all()
        ],
        "demo": certification.is_demo,
        "source": certification.source,
        "licence_source": certification.source_licence,
        "url": page_url(certification),
    }


def _public():
    # Every certification has its public page (campus/trainings/views.py).
    return Certification.objects.prefetch_related(
        Prefetch("skill_blocks", queryset=SkillBlock.objects.order_by("order", "pk"))
    )


@router.get(
    "/certifications",
    response={200: Page, **LIST_ERRORS},
    url_name="certification_list",
    summary="Certifications et leurs blocs de compétences",
)
def certification_list(
    request,
    niveau: Level | None = Query(None, description="Niveau (3 à 8)."),
    diplome: DiplomaType | None = Query(None, description="Type de diplôme."),
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les certifications du catalogue par intitulé, avec leurs blocs de compétences."""
    certifications = _public()
    if niveau is not None:
        certifications = certifications.filter(level=niveau)
    if diplome is not None:
        certifications = certifications.filter(diploma_type=diplome)
    return list_page(
        request,
        certifications,
        resource="certifications",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/certifications/{slug}",
    response={200: Item, **ERRORS},
    url_name="certification_detail",
    summary="Une certification",
)
def certification_detail(request, slug: str):
    """Une certification et ses blocs de compétences."""
    return one(request, _public(), serialise=serialise, slug=slug)
