"""Reserved addresses, as the team's call form reads them."""

from campus.talent.team_forms import reserved_slugs


def test_reserved_slugs_are_the_fixed_words_of_the_talent_addresses():
    words = reserved_slugs()
    assert {"gestion", "talents", "nouveau", "candidatures"} <= words
    assert not any("<" in word for word in words)
