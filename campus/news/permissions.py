"""Who may see and change an article: owned by the organisation that proposed it.

The team's own articles have no organisation, so only the team edits them.
"""

from campus.ownership import OwnershipPolicy

article_policy = OwnershipPolicy(owner_field="organisation")

can_edit_article = article_policy.can_edit
