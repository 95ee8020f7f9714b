"""The FilterSet of the public lists (catalogue, map, directory, trades)."""

import django_filters


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class.

    django-filter builds the form class for every filter set it makes, a field for
    each filter then the class, and the form then copies those fields: a fifth of
    what the filters of a list cost a request. The fields depend on the filters'
    declarations alone, so the class is built the first time and kept; each form
    still works on its own copy of the fields. A subclass that sets choices for a
    request sets them on `self.form.fields`, never on `self.filters`.
    """

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class
