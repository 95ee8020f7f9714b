"""Who may see and change a showcase item: the campus's ownership rule, owned by its organisation."""

from campus.ownership import OwnershipPolicy

showcase_policy = OwnershipPolicy(owner_field="organisation")
