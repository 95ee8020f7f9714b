"""A strict QuerySet for the suite: an unordered slice is a bug."""

from django.db.models.query import MAX_GET_RESULTS, QuerySet


def fail_on_unordered_slices(monkeypatch) -> None:
    """A paginated or displayed QuerySet without ordering fails the test."""
    original = QuerySet._fetch_all

    def fetch_all(self):
        query = self.query
        is_get = query.low_mark == 0 and query.high_mark == MAX_GET_RESULTS
        if (
            self._result_cache is None
            and query.is_sliced
            and not is_get
            and not self.ordered
        ):
            raise AssertionError(f"Sliced QuerySet without ordering: {self.query}")
        return original(self)

    monkeypatch.setattr(QuerySet, "_fetch_all", fetch_all)
