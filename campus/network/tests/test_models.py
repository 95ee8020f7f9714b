"""Rules of one organisation."""

from campus.network.models import Organisation, OrganisationKind


def test_kind_display_is_django_s():
    """The kind the directory's cards read says what Django's get_kind_display()
    says, an unknown kind included."""
    field = Organisation._meta.get_field("kind")
    for kind in [*OrganisationKind.values, "unknown"]:
        organisation = Organisation(kind=kind)
        assert organisation.get_kind_display() == organisation._get_FIELD_display(field)
