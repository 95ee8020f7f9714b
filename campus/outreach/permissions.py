"""Who may see and change outreach rows, by the campus's ownership rule.

A discovery placement is owned by the company offering it. An intervention
request is seen by the team and by the members of the organisation it is
assigned to, never by the public.
"""

from campus.ownership import OwnershipPolicy

placement_policy = OwnershipPolicy(owner_field="organisation")
request_policy = OwnershipPolicy(owner_field="assigned_organisation")
