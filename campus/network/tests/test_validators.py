import pytest
from django.core.exceptions import ValidationError

from campus.network.validators import validate_siret, validate_uai


@pytest.mark.parametrize(
    "siret",
    ["73282932000074", "732 829 320 00074", "35600000000048", "35600000049837"],
)
def test_valid_siret_is_accepted(siret):
    """Real SIRET numbers pass, including La Poste's digit-sum rule and spaces."""
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_checksum"),
        ("7328293200007", "siret_format"),
        ("732829320000745", "siret_format"),
        ("7328293200007A", "siret_format"),
        ("", "siret_format"),
        ("<script>alert(1)</script>", "siret_format"),
        ("35600000049838", "siret_checksum"),
    ],
)
def test_invalid_siret_is_refused_with_its_reason(siret, code):
    """A wrong SIRET is refused with a French message naming the problem."""
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code
    assert "SIRET" in error.value.messages[0]


@pytest.mark.parametrize(
    "uai", ["0210056X", "0341523W", "7200407E", "6200077P", "9740440K", "0210056x"]
)
def test_valid_uai_is_accepted(uai):
    """Real UAI codes pass, Corsica and overseas included, whatever the case."""
    validate_uai(uai)


@pytest.mark.parametrize(
    ("uai", "code"),
    [
        ("0210056Y", "uai_checksum"),
        ("021005X", "uai_format"),
        ("02100567X", "uai_format"),
        ("02A0056X", "uai_format"),
        ("0210056I", "uai_checksum"),
        ("", "uai_format"),
    ],
)
def test_invalid_uai_is_refused_with_its_reason(uai, code):
    """A wrong UAI is refused: bad shape or wrong check letter."""
    with pytest.raises(ValidationError) as error:
        validate_uai(uai)
    assert error.value.code == code
    assert "UAI" in error.value.messages[0]
