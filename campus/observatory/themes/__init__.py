"""The observatory's themes: importing a module registers its figures and definitions."""

from campus.observatory.themes import (  # noqa: F401
    emploi,
    entreprises,
    formation,
    insertion,
    sensibilisation,
)
