"""Who may see and change a call's applications.

An application is private: its applicant, the members of the organisation it
was made for (when the applicant applied for one) and the campus team read it;
only its applicant changes or withdraws it. Reviewers read the applications
assigned to them only (campus/talent/review.py). Another applicant's
application is not in the scoped QuerySet, so fetching it answers 404.
"""

from django.db.models import Q

from campus.ownership import is_active_account, organisation_ids_of


def applications_visible_to(queryset, user):
    if not is_active_account(user):
        return queryset.none()
    if user.is_campus_team:
        return queryset.all()
    return queryset.filter(
        Q(applicant=user) | Q(organisation__in=organisation_ids_of(user))
    )


def applications_editable_by(queryset, user):
    if not is_active_account(user):
        return queryset.none()
    return queryset.filter(applicant=user)
