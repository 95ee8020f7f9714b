"""Who may see and change an offer: owned by the organisation that publishes it.

Anyone reads the open offers; the organisation's members also its expired and
withdrawn ones; its editors change them; the team reaches every offer and may
withdraw one (moderation after publication).
"""

from campus.ownership import OwnershipPolicy

offer_policy = OwnershipPolicy(owner_field="organisation")

can_edit_offer = offer_policy.can_edit
