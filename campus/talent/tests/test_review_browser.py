"""The reviewer's scoring page in Chromium, at a phone's and a laptop's width."""

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.talent.models import Review
from campus.talent.tests.factories import AnswerFactory, CallFactory, QuestionFactory
from campus.talent.tests.review_factories import AssignmentFactory, CriterionFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_reviewer_fixes_a_score_and_submits(local_page, live_server, viewport):
    """An out-of-range score is explained, then the review is submitted."""
    call = CallFactory(closed=True, anonymous_review=True)
    assignment = AssignmentFactory(reviewer__call=call)
    question = QuestionFactory(call=call, label="Votre projet")
    AnswerFactory(application=assignment.application, question=question)
    CriterionFactory(call=call, label="Originalité", max_score=10)
    CriterionFactory(call=call, label="Faisabilité", max_score=5)
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, live_server, assignment.reviewer.user.email, TEST_PASSWORD)
    page.goto(live_server.url + "/talents/evaluation/")
    page.get_by_role(
        "link", name=f"Candidature {assignment.application.reference}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        assignment.application.reference
    )
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], width
    page.get_by_label("Originalité (sur 10)").fill("12")
    page.get_by_label("Faisabilité (sur 5)").fill("4")
    page.get_by_role("button", name="Transmettre l'évaluation").click()
    expect(page.get_by_role("alert")).to_contain_text("La note est au plus 10.")
    assert_accessible(page)
    save_screenshot(page, f"talent-review-scoring-{viewport}")
    page.get_by_label("Originalité (sur 10)").fill("9")
    page.get_by_role("button", name="Transmettre l'évaluation").click()
    expect(page.get_by_text("Votre évaluation est transmise.")).to_be_visible()
    assert Review.objects.get().is_submitted
