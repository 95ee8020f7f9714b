"""Official French identifiers of organisations: SIRET (INSEE) and UAI (Éducation nationale)."""

import re

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"
UAI_PATTERN = re.compile(r"^\d{7}[A-Z]$")
UAI_CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_siret(value: str) -> None:
    siret = normalize_siret(value)
    if not siret.isdigit() or len(siret) != 14:
        raise ValidationError(
            "Le SIRET doit compter exactement 14 chiffres (SIREN à 9 chiffres suivi de 5 chiffres).",
            code="siret_format",
        )
    # La Poste's establishments share one SIREN and use a digit-sum rule instead of Luhn.
    la_poste_valid = siret.startswith(LA_POSTE_SIREN) and sum(map(int, siret)) % 5 == 0
    if not (luhn_is_valid(siret) or la_poste_valid):
        raise ValidationError(
            "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres.",
            code="siret_checksum",
        )


def normalize_uai(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def uai_check_letter(first_seven_digits: str) -> str:
    return UAI_CHECK_LETTERS[int(first_seven_digits) % 23]


def validate_uai(value: str) -> None:
    uai = normalize_uai(value)
    if not UAI_PATTERN.match(uai):
        raise ValidationError(
            "L'UAI doit compter 7 chiffres suivis d'une lettre (exemple : 0210056X).",
            code="uai_format",
        )
    if uai_check_letter(uai[:7]) != uai[7]:
        raise ValidationError(
            "Cet UAI n'existe pas : sa lettre de contrôle est fausse.",
            code="uai_checksum",
        )
