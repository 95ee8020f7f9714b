import pytest

from campus.trades.endangerment import Level, assess, senior_points

VIABLE_BASE = {
    "holder_count": 15,
    "senior_holder_count": 0,
    "trainee_count": 3,
    "training_count": 2,
}


def points_with(**counts):
    return assess(**{**VIABLE_BASE, **counts})


def test_all_criteria_at_their_safest_give_viable_with_no_point():
    """Fifteen holders, no seniors, three trainees and two trainings are viable."""
    result = assess(**VIABLE_BASE)
    assert (result.level, result.score) == (Level.VIABLE, 0)


@pytest.mark.parametrize(
    ("holders", "points"),
    [(0, 3), (1, 3), (2, 3), (3, 2), (5, 2), (6, 1), (14, 1), (15, 0), (200, 0)],
)
def test_holder_points_change_at_3_6_and_15(holders, points):
    """Fewer holders give more points, with boundaries at 3, 6 and 15 holders."""
    assert points_with(holder_count=holders).holder_points == points


@pytest.mark.parametrize(
    ("holders", "seniors", "points"),
    [
        (9, 2, 0),
        (9, 3, 1),
        (9, 5, 1),
        (9, 6, 2),
        (9, 9, 2),
        (3, 1, 1),
        (3, 2, 2),
        (2, 0, 0),
        (0, 0, 0),
    ],
)
def test_senior_points_change_at_one_third_and_two_thirds(holders, seniors, points):
    """The share of holders aged 55 or more counts from exactly 1/3 and 2/3."""
    assert senior_points(holders, seniors) == points


@pytest.mark.parametrize(
    ("trainees", "points"), [(0, 2), (1, 1), (2, 1), (3, 0), (40, 0)]
)
def test_trainee_points_change_at_1_and_3(trainees, points):
    """No trainee gives 2 points, one or two give 1, three or more give none."""
    assert points_with(trainee_count=trainees).trainee_points == points


@pytest.mark.parametrize(("trainings", "points"), [(0, 2), (1, 1), (2, 0), (9, 0)])
def test_training_points_change_at_1_and_2(trainings, points):
    """No training gives 2 points, one gives 1, two or more give none."""
    assert points_with(training_count=trainings).training_points == points


@pytest.mark.parametrize(
    ("counts", "score", "level"),
    [
        ({"holder_count": 6, "trainee_count": 1}, 2, Level.VIABLE),
        (
            {"holder_count": 6, "trainee_count": 1, "training_count": 1},
            3,
            Level.VULNERABLE,
        ),
        ({"holder_count": 3, "trainee_count": 0}, 4, Level.VULNERABLE),
        (
            {"holder_count": 3, "trainee_count": 0, "training_count": 1},
            5,
            Level.ENDANGERED,
        ),
        (
            {"holder_count": 3, "trainee_count": 0, "training_count": 0},
            6,
            Level.ENDANGERED,
        ),
        (
            {
                "holder_count": 3,
                "senior_holder_count": 1,
                "trainee_count": 0,
                "training_count": 0,
            },
            7,
            Level.CRITICAL,
        ),
        (
            {
                "holder_count": 1,
                "senior_holder_count": 1,
                "trainee_count": 0,
                "training_count": 0,
            },
            9,
            Level.CRITICAL,
        ),
    ],
)
def test_levels_change_at_scores_3_5_and_7(counts, score, level):
    """The level follows the total: 0-2 viable, 3-4 vulnérable, 5-6 menacé, 7-9 critique."""
    result = points_with(**counts)
    assert (result.score, result.level) == (score, level)


def test_no_holder_left_is_critical_whatever_the_other_criteria():
    """A know-how nobody holds any more is critical even with trainees and trainings."""
    result = points_with(holder_count=0, trainee_count=5, training_count=3)
    assert result.score == 3
    assert result.level == Level.CRITICAL


@pytest.mark.parametrize(
    "counts",
    [
        {"holder_count": -1},
        {"trainee_count": -1},
        {"training_count": -1},
        {"holder_count": 2, "senior_holder_count": 3},
    ],
)
def test_impossible_counts_are_refused(counts):
    """Negative counts, or more seniors than holders, raise an error."""
    with pytest.raises(ValueError):
        points_with(**counts)
