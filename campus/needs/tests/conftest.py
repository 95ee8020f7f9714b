import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_gap_cache():
    """Each test computes its own gap table (campus.needs.gaps.cached_gap_rows)."""
    cache.clear()
