from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campus.accounts.tests.factories import UserFactory
from campus.images import reencoded_image
from campus.network.tests.factories import OrganisationFactory
from campus.trades.demo import load_demo_trades
from campus.trades.endangerment import Level
from campus.trades.models import (
    AgeBand,
    Assessment,
    CraftDomain,
    Holder,
    KnowHow,
    ShowcaseItem,
    Trade,
)
from campus.trades.reference import CRAFT_DOMAINS, CRAFT_TRADES
from campus.trades.services import (
    current_counts,
    load_craft_reference,
    record_assessment,
)
from campus.trades.tests.factories import HolderFactory, KnowHowFactory

pytestmark = pytest.mark.django_db


def test_craft_reference_has_the_16_domains_of_the_2015_list():
    """The reference data holds 16 domains, Cuir and Mode et accessoires among them, and no Arts de la table."""
    names = [name for _, name in CRAFT_DOMAINS]
    assert len(names) == len(set(names)) == 16
    assert {"Cuir", "Mode et accessoires", "Restauration"} <= set(names)
    assert "Arts de la table" not in names


def test_loading_the_craft_reference_twice_changes_nothing():
    """The loader creates domains and trades once, then finds them unchanged."""
    first = load_craft_reference()
    second = load_craft_reference()
    assert (first.domains_created, first.trades_created) == (16, len(CRAFT_TRADES))
    assert (second.domains_created, second.trades_created, second.trades_updated) == (
        0,
        0,
        0,
    )
    assert CraftDomain.objects.count() == 16
    maroquinier = Trade.objects.get(slug="maroquinier")
    assert maroquinier.is_craft and maroquinier.craft_domain.name == "Cuir"
    assert maroquinier.rome_code_list == ["B1802"]


def test_record_assessment_keeps_history_and_the_latest_level():
    """Each assessment is stored with its counts, and the know-how shows the latest by date."""
    know_how = KnowHowFactory()
    team = UserFactory(campus_team=True)
    record_assessment(
        know_how,
        holder_count=2,
        senior_holder_count=2,
        trainee_count=0,
        training_count=0,
        assessed_on=date(2026, 1, 1),
        acting_user=team,
    )
    record_assessment(
        know_how,
        holder_count=20,
        senior_holder_count=0,
        trainee_count=5,
        training_count=3,
        assessed_on=date(2025, 1, 1),
        comment="Saisie tardive d'une ancienne évaluation.",
        acting_user=team,
    )
    know_how.refresh_from_db()
    assert know_how.level == Level.CRITICAL
    assert know_how.assessed_on == date(2026, 1, 1)
    history = list(know_how.assessments.values_list("assessed_on", "level", "assessor"))
    assert history == [
        (date(2026, 1, 1), Level.CRITICAL, team.pk),
        (date(2025, 1, 1), Level.VIABLE, team.pk),
    ]


def test_current_counts_come_from_holders_and_the_latest_assessment():
    """The form starts from the recorded holders, and trainees and trainings of the latest assessment."""
    know_how = KnowHowFactory()
    HolderFactory(know_how=know_how, age_band=AgeBand.UNDER_40)
    HolderFactory(know_how=know_how, age_band=AgeBand.FROM_55_TO_64)
    HolderFactory(know_how=know_how, age_band=AgeBand.OVER_65)
    HolderFactory(know_how=know_how, company=True)
    assert current_counts(know_how) == {"holder_count": 4, "senior_holder_count": 2}
    record_assessment(
        know_how,
        holder_count=4,
        senior_holder_count=2,
        trainee_count=3,
        training_count=1,
        assessed_on=date(2026, 1, 1),
        acting_user=None,
    )
    assert current_counts(know_how) == {
        "holder_count": 4,
        "senior_holder_count": 2,
        "trainee_count": 3,
        "training_count": 1,
    }


def image_upload(size=(3000, 2000), mode="RGB", fmt="JPEG", exif=None):
    output = BytesIO()
    image = Image.new(mode, size, (200, 100, 50, 128)[: len(mode)])
    image.save(output, fmt, **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(f"photo.{fmt.lower()}", output.getvalue())


def test_reencoded_image_fits_1600_px_and_drops_metadata():
    """A large photo is shrunk to 1600 px at most and its EXIF (GPS, camera) is removed."""
    exif = Image.Exif()
    exif[0x010F] = "Appareil photo de test"
    content = reencoded_image(image_upload(exif=exif.tobytes()), max_side=1600)
    with Image.open(content) as result:
        assert result.format == "JPEG"
        assert max(result.size) == 1600
        assert result.size == (1600, 1067)
        assert not result.getexif()
    assert content.name == "photo.jpg"


def test_reencoded_image_flattens_transparency_onto_white():
    """A transparent PNG becomes an opaque JPEG."""
    content = reencoded_image(
        image_upload(size=(200, 100), mode="RGBA", fmt="PNG"), max_side=1600
    )
    with Image.open(content) as result:
        assert (result.format, result.mode, result.size) == ("JPEG", "RGB", (200, 100))


def test_demo_loader_is_idempotent_and_flags_demo_data():
    """Loading the demo twice creates nothing new, and everything typed for it is flagged."""
    for slug in ["atelier-cuir-auxois", "sellerie-auxerrois", "bijoux-de-sac-doubs"]:
        OrganisationFactory(slug=slug, is_demo=True)
    load_demo_trades()
    counts = [
        model.objects.count()
        for model in (Trade, KnowHow, Assessment, Holder, ShowcaseItem)
    ]
    load_demo_trades()
    assert [
        model.objects.count()
        for model in (Trade, KnowHow, Assessment, Holder, ShowcaseItem)
    ] == counts
    assert not KnowHow.objects.filter(is_demo=False).exists()
    assert not Trade.objects.filter(is_demo=False, description__gt="").exists()
    assert not ShowcaseItem.objects.filter(is_demo=False).exists()
