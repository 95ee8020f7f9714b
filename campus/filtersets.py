"""The FilterSet of the public lists (catalogue, map, directory, trades)."""

import copy

import django_filters
from django.http import QueryDict


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet that builds its form class once per class, and copies its
    filters without their fields.

    django-filter deep-copies the declared filters for every filter set it makes,
    builds a field for each and then the form class, and the form copies those
    fields again: together, a third of what a list's filters cost a request. The
    fields depend on the declarations alone, so the class is built the first time
    and kept; each form still works on its own copy of the fields. A subclass that
    sets choices for a request sets them on `self.form.fields`, never on
    `self.filters`.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, but for its deep copy of the filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _copy_filter(filter_, self, queryset.model)
            for name, filter_ in self.base_filters.items()
        }

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedChoicesFields(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class


class SharedChoicesFields(dict):
    """A form class's fields, which each form copies as Django does (its own widget,
    error messages and validators) but for their lists of choices, shared.

    A choice field deep-copies its choices, one copy a tuple and a label: most of
    the copies a list's form cost a request. Nothing changes a list of choices in
    place: a filter set that sets other choices for a request assigns a new list
    (`field.choices = ...`), which replaces the shared one on its own copy only.
    """

    def __deepcopy__(self, memo):
        for field in self.values():
            choices = getattr(field, "_choices", None)
            # django-filter wraps the list in an iterator that knows its field: the
            # iterator is copied (its copy knows the copied field), the list is not.
            choices = getattr(choices, "choices", choices)
            if isinstance(choices, list):
                # deepcopy() gives what the memo holds for an object: the list itself.
                memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


def _copy_filter(filter_, parent, model):
    """A filter of `parent`: its own attributes, and its method found on `parent`."""
    duplicate = copy.copy(filter_)
    duplicate.extra = dict(filter_.extra)
    if filter_.method is not None:
        # Binds a new FilterMethod to the copy: the original's calls the original.
        duplicate.method = filter_.method
    duplicate.model = model
    duplicate.parent = parent
    return duplicate
