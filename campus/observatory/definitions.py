"""The glossary: what each figure counts, where it comes from and what it can't say.

One `Definition` per indicator, written for a visitor who is not a statistician
(in the manner of Orion's glossary). A theme module adds its own with `define()`.
The date of the last import is read from `opendata.ImportRun`, never typed.
"""

from dataclasses import dataclass, field

from campus.opendata.models import ImportRun


@dataclass(frozen=True)
class Definition:
    slug: str
    term: str
    # What is counted, in one or two sentences.
    counted: str
    source: str
    source_url: str
    licence: str
    # How often the source is published and which years it covers.
    millesime: str
    limits: list[str] = field(default_factory=list)
    # The `ImportSource` values whose last successful import dates the figure;
    # empty for figures computed from the campus's own records.
    import_sources: tuple[str, ...] = ()

    def last_import(self):
        """When the newest successful import of its sources ended, or None."""
        run = ImportRun.objects.last_success(self.import_sources)
        return run.finished_at if run else None


DEFINITIONS: dict[str, Definition] = {}


def define(definition: Definition) -> Definition:
    if definition.slug in DEFINITIONS:
        raise ValueError(f"definition {definition.slug!r} given twice")
    DEFINITIONS[definition.slug] = definition
    return definition
