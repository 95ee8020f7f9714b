"""The paginator of the public lists (catalogue, directory, trades and the lists
built on the catalogue's)."""

from django.core.paginator import Paginator


class ListPaginator(Paginator):
    """Reads the first page before counting the rows.

    A first page shorter than a page holds every row: its length is the count, and
    the page costs one query instead of two (a count, then the rows). A fuller
    first page is counted as usual, and its rows are not read twice. Other pages
    go through Django's paginator.
    """

    def get_page(self, number):
        if self.orphans or not _is_first_page(number):
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.set_count(len(rows))
        return self._get_page(rows, 1, self)

    def set_count(self, count: int) -> None:
        self.__dict__["count"] = count


def _is_first_page(number) -> bool:
    """Whether Django's paginator would give the first page for `number` without
    counting: 1, or a value that is not a page number."""
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return True
