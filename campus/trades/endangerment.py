"""How endangered a know-how is, from four criteria the campus team counts.

Each criterion gives risk points; their sum (0 to 9) gives the level.

| criterion                                   | 0 point | 1 point   | 2 points | 3 points |
| ------------------------------------------- | ------- | --------- | -------- | -------- |
| holders (people or workshops who master it) | 15 +    | 6 to 14   | 3 to 5   | 0 to 2   |
| share of holders aged 55 or more            | < 1/3   | 1/3 to 2/3 excluded | 2/3 + | —   |
| trainees in progress (apprentices, masters' pupils) | 3 + | 1 or 2 | 0     | —        |
| trainings that teach it                     | 2 +     | 1         | 0        | —        |

Score 7 to 9: critique · 5 or 6: menacé · 3 or 4: vulnérable · 0 to 2: viable.
A know-how with no holder left is critique whatever the other criteria say:
nobody can pass it on.

"Trainings that teach it" is a count typed by the team: the training catalogue
lives in another app and does not say which know-how a training passes on.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db import models


class Level(models.TextChoices):
    CRITICAL = "critical", "Critique"
    ENDANGERED = "endangered", "Menacé"
    VULNERABLE = "vulnerable", "Vulnérable"
    VIABLE = "viable", "Viable"


AT_RISK_LEVELS = [Level.CRITICAL, Level.ENDANGERED, Level.VULNERABLE]

HOLDER_THRESHOLDS = [(15, 0), (6, 1), (3, 2), (0, 3)]
TRAINEE_THRESHOLDS = [(3, 0), (1, 1), (0, 2)]
TRAINING_THRESHOLDS = [(2, 0), (1, 1), (0, 2)]
SENIOR_SHARE_HIGH = Fraction(2, 3)
SENIOR_SHARE_MEDIUM = Fraction(1, 3)
LEVEL_FLOORS = [(7, Level.CRITICAL), (5, Level.ENDANGERED), (3, Level.VULNERABLE)]

CRITERIA_TEXT = [
    (
        "Détenteurs",
        "0 à 2 : 3 points · 3 à 5 : 2 points · 6 à 14 : 1 point · 15 ou plus : 0 point",
    ),
    (
        "Part des détenteurs de 55 ans ou plus",
        "2/3 ou plus : 2 points · de 1/3 à moins de 2/3 : 1 point · moins de 1/3 : 0 point",
    ),
    (
        "Apprentis ou élèves en formation",
        "aucun : 2 points · 1 ou 2 : 1 point · 3 ou plus : 0 point",
    ),
    (
        "Formations qui l'enseignent (comptées par l'équipe)",
        "aucune : 2 points · 1 : 1 point · 2 ou plus : 0 point",
    ),
]
LEVELS_TEXT = (
    "Total de 7 à 9 : critique · 5 ou 6 : menacé · 3 ou 4 : vulnérable · 0 à 2 : viable. "
    "Sans aucun détenteur, le savoir-faire est critique."
)


@dataclass(frozen=True)
class Endangerment:
    level: Level
    score: int
    holder_points: int
    senior_points: int
    trainee_points: int
    training_points: int


def _points(value: int, thresholds: list[tuple[int, int]]) -> int:
    for minimum, points in thresholds:
        if value >= minimum:
            return points
    raise ValueError("Counts cannot be negative.")


def senior_points(holder_count: int, senior_holder_count: int) -> int:
    if holder_count == 0:
        return 0
    share = Fraction(senior_holder_count, holder_count)
    if share >= SENIOR_SHARE_HIGH:
        return 2
    if share >= SENIOR_SHARE_MEDIUM:
        return 1
    return 0


def assess(
    *,
    holder_count: int,
    senior_holder_count: int,
    trainee_count: int,
    training_count: int,
) -> Endangerment:
    """The endangerment level of a know-how from its four counts."""
    counts = [holder_count, senior_holder_count, trainee_count, training_count]
    if any(count < 0 for count in counts):
        raise ValueError("Counts cannot be negative.")
    if senior_holder_count > holder_count:
        raise ValueError("There cannot be more senior holders than holders.")
    points = {
        "holder_points": _points(holder_count, HOLDER_THRESHOLDS),
        "senior_points": senior_points(holder_count, senior_holder_count),
        "trainee_points": _points(trainee_count, TRAINEE_THRESHOLDS),
        "training_points": _points(training_count, TRAINING_THRESHOLDS),
    }
    score = sum(points.values())
    level = Level.VIABLE
    for floor, floor_level in LEVEL_FLOORS:
        if score >= floor:
            level = floor_level
            break
    if holder_count == 0:
        level = Level.CRITICAL
    return Endangerment(level=level, score=score, **points)
