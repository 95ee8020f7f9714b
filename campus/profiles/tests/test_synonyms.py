import pytest
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.profiles.models import SectorProfile
from campus.search import SynonymError, expand_terms, parse_synonyms

pytestmark = pytest.mark.django_db


def test_a_group_finds_each_of_its_words_and_an_arrow_one_way():
    """« a = b » works both ways, « a → b » only from a, accents and case folded."""
    synonyms = parse_synonyms(
        "Alternance = apprentissage\nsac → maroquinerie\n# commentaire\n\n"
        "bijou -> bijouterie, bijou de sac"
    )
    assert synonyms == {
        "alternance": ("apprentissage",),
        "apprentissage": ("alternance",),
        "sac": ("maroquinerie",),
        "bijou": ("bijouterie", "bijou de sac"),
    }


def test_expanded_terms_keep_each_word_with_its_synonyms():
    """Each query word becomes a group of alternatives; unknown words stay alone."""
    synonyms = parse_synonyms("sac → maroquinerie\ncuir → maroquinerie")
    assert expand_terms("Sac en CUIR", synonyms) == [
        ("sac", "maroquinerie"),
        ("en",),
        ("cuir", "maroquinerie"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("alternance", "n'est ni un groupe"),
        ("alternance = ", "n'est ni un groupe"),
        ("sac →", "un mot de chaque côté"),
        ("bijou de sac → bijouterie", "doit être un seul mot"),
        ("sac = bijou de sac", "doit être un seul mot dans un groupe"),
        ("a = b → c", "mélange « = » et « → »"),
        ("ok = bien\nsac → → cuir", "Ligne 2"),
    ],
)
def test_unreadable_synonyms_are_explained_in_french(text, message):
    """A malformed line names its number and the expected shape."""
    with pytest.raises(SynonymError, match=message):
        parse_synonyms(text)


def test_team_saves_synonyms_and_a_wrong_line_is_refused(client):
    """The sector form keeps valid synonyms and answers a wrong line with its message."""
    client.force_login(UserFactory(campus_team=True))
    url = reverse("profiles:sector_profile_edit")
    data = {"name": "Maroquinerie", "synonyms": "sac → maroquinerie"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert SectorProfile.load().synonyms == "sac → maroquinerie"

    response = client.post(url, {**data, "synonyms": "sac\nalternance = "})
    assert response.status_code == 400
    assert "Ligne 1 : « sac » n&#x27;est ni un groupe" in response.content.decode()


def test_unreadable_saved_synonyms_do_not_break_searches():
    """Synonyms saved before the form checked them count as none."""
    SectorProfile(synonyms="sac →").save()
    assert expand_terms("sac") == [("sac",)]
