"""Skill blocks across certifications: which trainings teach a skill, and
certifications side by side.

`match_blocks()` is also how a company's need for a skill finds the trainings
that teach it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from campus.rules import RuleError
from campus.search import fold
from campus.trainings.models import (
    RNCP_CODE,
    Certification,
    SkillBlock,
    block_search_groups,
)

MAX_COMPARED = 3


@dataclass
class CertificationMatch:
    """A certification and those of its blocks that match a text, in their order."""

    certification: Certification
    blocks: list[SkillBlock] = field(default_factory=list)


def with_matching_blocks(
    certifications: QuerySet,
    text: str,
    synonyms: Mapping[str, tuple[str, ...]] | None = None,
) -> QuerySet:
    """The certifications having a block that matches `text`, each with those
    blocks in `matching_blocks`."""
    blocks = SkillBlock.objects.matching(text, synonyms)
    return certifications.filter(
        pk__in=blocks.values("certification_id")
    ).prefetch_related(
        Prefetch(
            "skill_blocks",
            queryset=blocks.order_by("order", "pk"),
            to_attr="matching_blocks",
        )
    )


def match_blocks(
    text: str,
    *,
    limit: int = 20,
    synonyms: Mapping[str, tuple[str, ...]] | None = None,
) -> list[CertificationMatch]:
    """The certifications (at most `limit`) whose skill blocks match `text` (a skill,
    a need: « piqûre sellier »), each with its matching blocks. Accents, case,
    French endings, the sector's synonyms and question words do not matter;
    every other word must be found. Empty when nothing matches."""
    return [
        CertificationMatch(certification, certification.matching_blocks)
        for certification in with_matching_blocks(
            Certification.objects.order_by("level", "title", "pk"), text, synonyms
        )[:limit]
    ]


MAX_MATCHING_LINES = 3


def mark_matching_skills(
    certifications,
    text: str,
    synonyms: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """Gives each matching block of these certifications `matching_skills`: the
    lines of its skills that hold a searched word (three at most), which show
    why it was found."""
    groups = block_search_groups(text, synonyms)
    for certification in certifications:
        for block in certification.matching_blocks:
            block.matching_skills = [
                line
                for line in block.skill_list
                if any(
                    alternative in fold(line)
                    for alternatives in groups
                    for alternative in alternatives
                )
            ][:MAX_MATCHING_LINES]


class ComparisonError(RuleError):
    status_code = 400
    title = "Comparaison impossible"


def certifications_to_compare(values: Iterable[str]) -> list[Certification]:
    """The certifications named in a comparison's address, in its order: each by
    its RNCP code (any case) or its address identifier. Empty values are left
    out and a repeated one counts once. Raises ComparisonError (French message)
    for an unknown certification or more than three."""
    wanted = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if len(wanted) > MAX_COMPARED:
        raise ComparisonError(
            f"Comparez {MAX_COMPARED} certifications au plus ({len(wanted)} demandées)."
        )
    codes = {value.upper() for value in wanted if RNCP_CODE.match(value.upper())}
    found = Certification.objects.filter(rncp_code__in=codes) | (
        Certification.objects.filter(slug__in=wanted)
    )
    by_key = {}
    for certification in found.order_by("pk"):
        if certification.rncp_code:
            by_key.setdefault(certification.rncp_code, certification)
        by_key[certification.slug] = certification
    chosen = []
    for value in wanted:
        certification = by_key.get(value.upper()) or by_key.get(value)
        if certification is None:
            raise ComparisonError(
                f"Certification inconnue : « {value[:40]} ». Choisissez-la dans la "
                "liste (code RNCP, par exemple RNCP38712)."
            )
        if certification not in chosen:
            chosen.append(certification)
    return chosen


@dataclass
class ComparisonRow:
    """The n-th block of each compared certification (None where it has fewer)."""

    number: int
    cells: list[tuple[Certification, SkillBlock | None]]


def comparison_rows(certifications: list[Certification]) -> list[ComparisonRow]:
    """The blocks side by side, row by row; each block's `also_in` names the other
    compared certifications having a block of the same title."""
    # Read here rather than with the certifications: a page naming a single
    # certification shows no blocks and spares the query.
    prefetch_related_objects(certifications, "skill_blocks")
    blocks = [list(c.skill_blocks.all()) for c in certifications]
    titles = [{fold(b.title) for b in column} for column in blocks]
    for index, column in enumerate(blocks):
        for block in column:
            block.also_in = [
                other
                for other_index, other in enumerate(certifications)
                if other_index != index and fold(block.title) in titles[other_index]
            ]
    depth = max((len(column) for column in blocks), default=0)
    return [
        ComparisonRow(
            row + 1,
            [
                (certification, column[row] if row < len(column) else None)
                for certification, column in zip(certifications, blocks, strict=True)
            ],
        )
        for row in range(depth)
    ]
