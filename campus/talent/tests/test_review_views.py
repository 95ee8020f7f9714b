"""The review's pages: who may open them, anonymity, the export and bad input."""

import io
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from openpyxl import load_workbook

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent.models import (
    Assignment,
    ConflictOfInterest,
    Criterion,
    Decision,
    Deliberation,
    QuestionKind,
    Review,
    Reviewer,
    Score,
)
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
)
from campus.talent.tests.review_factories import (
    AssignmentFactory,
    CriterionFactory,
    ReviewerFactory,
)

pytestmark = pytest.mark.django_db

APPLICANT_NAME = "Jeanne Vasseur-Delorme"
APPLICANT_EMAIL = "jeanne.vasseur@exemple.fr"
ORGANISATION_NAME = "Atelier Vasseur et fils"


@pytest.fixture
def world():
    """An anonymous, closed call with one assigned application, and everyone
    around it."""
    call = CallFactory(closed=True, anonymous_review=True)
    organisation = OrganisationFactory(name=ORGANISATION_NAME)
    applicant = UserFactory(full_name=APPLICANT_NAME, email=APPLICANT_EMAIL)
    MembershipFactory(user=applicant, organisation=organisation)
    application = ApplicationFactory(
        call=call,
        applicant=applicant,
        organisation=organisation,
        submitted=True,
        title="Un projet de sellerie",
    )
    text = QuestionFactory(call=call, position=1, label="Votre projet")
    AnswerFactory(application=application, question=text, text="Un projet solide.")
    file_question = QuestionFactory(
        call=call, position=2, label="Dossier", kind=QuestionKind.FILE
    )
    answer = AnswerFactory(
        application=application,
        question=file_question,
        text="",
        file=SimpleUploadedFile("dossier-vasseur.pdf", b"%PDF-1.4 test"),
        file_name="Dossier Jeanne Vasseur-Delorme.pdf",
    )
    criteria = [
        CriterionFactory(call=call, label="Originalité", max_score=10, position=1),
        CriterionFactory(call=call, label="Faisabilité", max_score=5, position=2),
    ]
    assignment = AssignmentFactory(reviewer__call=call, application=application)
    unassigned = ReviewerFactory(call=call)
    ApplicationFactory(call=call, submitted=True)
    conflicted = ReviewerFactory(call=call)
    ConflictOfInterest.objects.create(reviewer=conflicted, application=application)
    other_call = AssignmentFactory()
    partner = UserFactory()
    MembershipFactory(user=partner, organisation=organisation)
    return {
        "call": call,
        "application": application,
        "answer": answer,
        "criteria": criteria,
        "assignment": assignment,
        "users": {
            "assigned": assignment.reviewer.user,
            "unassigned": unassigned.user,
            "conflicted": conflicted.user,
            "other_call": other_call.reviewer.user,
            "applicant": applicant,
            "partner": partner,
            "team": UserFactory(campus_team=True),
        },
    }


def reviewer_urls(world):
    assignment, answer = world["assignment"], world["answer"]
    return [
        ("get", reverse("talent:review_assignment", args=[assignment.pk])),
        ("post", reverse("talent:review_score", args=[assignment.pk])),
        ("post", reverse("talent:review_declare_conflict", args=[assignment.pk])),
        ("get", reverse("talent:review_file", args=[assignment.pk, answer.pk])),
    ]


@pytest.mark.parametrize(
    "who",
    ["unassigned", "conflicted", "other_call", "applicant", "partner", "team"],
)
def test_only_the_assigned_reviewer_opens_an_assignment(client, world, who):
    """Anyone else gets a 404, and nothing is written."""
    client.force_login(world["users"][who])
    for method, url in reviewer_urls(world):
        response = getattr(client, method)(url, {"action": "submit"})
        assert response.status_code == 404, url
    assert Review.objects.count() == 0
    assert ConflictOfInterest.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for method, url in reviewer_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_assigned_reviewer_opens_and_scores(client, world):
    client.force_login(world["users"]["assigned"])
    assignment = world["assignment"]
    response = client.get(reverse("talent:review_assignment", args=[assignment.pk]))
    assert response.status_code == 200
    assert "Un projet solide." in response.content.decode()
    first, second = world["criteria"]
    url = reverse("talent:review_score", args=[assignment.pk])
    response = client.post(
        url,
        {
            f"critere_{first.pk}": "8",
            f"critere_{second.pk}": "",
            "comment": "Brouillon",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert not review.is_submitted
    response = client.post(
        url,
        {
            f"critere_{first.pk}": "8",
            f"critere_{second.pk}": "4",
            "comment": "Bien",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_submitted and review.comment == "Bien"
    page = client.get(reverse("talent:review_assignment", args=[assignment.pk]))
    assert "Transmise le" in page.content.decode()
    assert "Transmettre l'évaluation" not in page.content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("11", "2"), "La note est au plus 10."),
        (("-1", "2"), "La note ne peut pas être négative."),
        (("huit", "2"), "Indiquez une note entière."),
        (("3", "99999999999999999999"), "La note est au plus 5."),
    ],
)
def test_bad_scores_give_a_french_message_and_change_nothing(
    client, world, values, message
):
    client.force_login(world["users"]["assigned"])
    first, second = world["criteria"]
    response = client.post(
        reverse("talent:review_score", args=[world["assignment"].pk]),
        {
            f"critere_{first.pk}": values[0],
            f"critere_{second.pk}": values[1],
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Review.objects.count() == Score.objects.count() == 0


def test_an_oversized_comment_is_refused(client, world):
    client.force_login(world["users"]["assigned"])
    response = client.post(
        reverse("talent:review_score", args=[world["assignment"].pk]),
        {"comment": "x" * 5001},
    )
    assert response.status_code == 400
    assert "5000 caractères" in response.content.decode()
    assert Review.objects.count() == 0


def test_submitting_incomplete_scores_is_refused(client, world):
    client.force_login(world["users"]["assigned"])
    first, _ = world["criteria"]
    response = client.post(
        reverse("talent:review_score", args=[world["assignment"].pk]),
        {f"critere_{first.pk}": "3", "action": "submit"},
    )
    assert response.status_code == 400
    assert "Notez chaque critère" in response.content.decode()
    assert not Review.objects.filter(submitted_at__isnull=False).exists()


def test_declaring_a_conflict_hides_the_application(client, world):
    client.force_login(world["users"]["assigned"])
    assignment = world["assignment"]
    response = client.post(
        reverse("talent:review_declare_conflict", args=[assignment.pk]),
        {"note": "Je connais le candidat"},
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    response = client.get(reverse("talent:review_assignment", args=[assignment.pk]))
    assert response.status_code == 404
    space = client.get(reverse("talent:review_space")).content.decode()
    assert world["application"].reference not in space


def test_an_anonymous_review_hides_the_applicant(client, world):
    """Name, e-mail and organisation appear nowhere on the reviewer's pages."""
    client.force_login(world["users"]["assigned"])
    assignment = world["assignment"]
    pages = [
        client.get(reverse("talent:review_space")),
        client.get(reverse("talent:review_assignment", args=[assignment.pk])),
    ]
    download = client.get(
        reverse("talent:review_file", args=[assignment.pk, world["answer"].pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Disposition"] == 'attachment; filename="piece-2.pdf"'
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for secret in [APPLICANT_NAME, "Vasseur", APPLICANT_EMAIL, ORGANISATION_NAME]:
            assert secret not in html
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "Vasseur" not in title
    assert "piece-2.pdf" in pages[1].content.decode()


def test_a_named_review_shows_the_applicant(client, world):
    call = world["call"]
    call.anonymous_review = False
    call.save()
    client.force_login(world["users"]["assigned"])
    assignment = world["assignment"]
    html = client.get(
        reverse("talent:review_assignment", args=[assignment.pk])
    ).content.decode()
    assert APPLICANT_EMAIL in html and ORGANISATION_NAME in html
    download = client.get(
        reverse("talent:review_file", args=[assignment.pk, world["answer"].pk])
    )
    assert "Dossier" in download["Content-Disposition"]


def test_the_space_lists_only_the_users_assignments(client, world):
    client.force_login(world["users"]["assigned"])
    html = client.get(reverse("talent:review_space")).content.decode()
    assert html.count("Candidature AP-") == 1
    client.force_login(world["users"]["unassigned"])
    html = client.get(reverse("talent:review_space")).content.decode()
    assert "Aucune candidature ne vous est affectée" in html


def team_urls(call, world=None):
    criterion = call.criteria.first() or CriterionFactory(call=call)
    reviewer = Reviewer.objects.filter(call=call).first() or ReviewerFactory(call=call)
    assignment = Assignment.objects.filter(reviewer__call=call).first()
    urls = [
        ("get", reverse("talent:review_setup", args=[call.pk])),
        ("get", reverse("talent:review_ranking", args=[call.pk])),
        ("get", reverse("talent:review_ranking_export", args=[call.pk])),
        ("get", reverse("talent:review_deliberation", args=[call.pk])),
        ("get", reverse("talent:review_criterion_edit", args=[call.pk, criterion.pk])),
        ("post", reverse("talent:review_appoint", args=[call.pk])),
        (
            "post",
            reverse("talent:review_remove_reviewer", args=[call.pk, reviewer.pk]),
        ),
        ("post", reverse("talent:review_assign", args=[call.pk])),
        ("post", reverse("talent:review_distribute", args=[call.pk])),
        ("post", reverse("talent:review_criterion_add", args=[call.pk])),
        (
            "post",
            reverse("talent:review_criterion_delete", args=[call.pk, criterion.pk]),
        ),
        ("post", reverse("talent:review_deliberation_record", args=[call.pk])),
        ("post", reverse("talent:review_decide", args=[call.pk])),
        ("post", reverse("talent:review_send_decisions", args=[call.pk])),
    ]
    if assignment:
        urls.append(
            (
                "post",
                reverse("talent:review_unassign", args=[call.pk, assignment.pk]),
            )
        )
    return urls


@pytest.mark.parametrize(
    "who", ["assigned", "unassigned", "conflicted", "applicant", "partner"]
)
def test_team_pages_are_hidden_from_everyone_else(client, world, who):
    client.force_login(world["users"][who])
    for method, url in team_urls(world["call"]):
        assert getattr(client, method)(url).status_code == 404, url
    assert Reviewer.objects.filter(removed_at__isnull=False).count() == 0
    assert Criterion.objects.filter(call=world["call"]).count() == 2


def test_team_pages_send_anonymous_visitors_to_log_in(client, world):
    for method, url in team_urls(world["call"]):
        assert getattr(client, method)(url).status_code == 302, url


def test_team_pages_open_for_the_team(client, world):
    client.force_login(world["users"]["team"])
    call = world["call"]
    for name in [
        "review_setup",
        "review_ranking",
        "review_deliberation",
        "review_ranking_export",
    ]:
        assert client.get(reverse(f"talent:{name}", args=[call.pk])).status_code == 200
    criterion = world["criteria"][0]
    response = client.get(
        reverse("talent:review_criterion_edit", args=[call.pk, criterion.pk])
    )
    assert response.status_code == 200


def test_another_calls_rows_are_404_for_the_team(client, world):
    """A reviewer, criterion or assignment of call B through call A's URLs."""
    client.force_login(world["users"]["team"])
    other = CallFactory()
    reviewer = ReviewerFactory(call=other)
    criterion = CriterionFactory(call=other)
    assignment = AssignmentFactory(reviewer=reviewer)
    call = world["call"]
    for url in [
        reverse("talent:review_remove_reviewer", args=[call.pk, reviewer.pk]),
        reverse("talent:review_criterion_delete", args=[call.pk, criterion.pk]),
        reverse("talent:review_unassign", args=[call.pk, assignment.pk]),
    ]:
        assert client.post(url).status_code == 404
    assert client.get(reverse("talent:review_setup", args=[999999])).status_code == 404
    assert (
        reviewer.assignments.count() == 1
        and Criterion.objects.filter(pk=criterion.pk).exists()
    )


def test_the_team_appoints_and_distributes(client, world):
    client.force_login(world["users"]["team"])
    call = world["call"]
    response = client.post(
        reverse("talent:review_appoint", args=[call.pk]), {"email": "pas-une-adresse"}
    )
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    response = client.post(
        reverse("talent:review_appoint", args=[call.pk]),
        {"email": world["users"]["assigned"].email},
    )
    assert response.status_code == 409
    assert "évalue déjà" in response.content.decode()
    response = client.post(
        reverse("talent:review_appoint", args=[call.pk]),
        {"email": "nouveau.jury@exemple.fr"},
    )
    assert response.status_code == 302
    assert Reviewer.objects.filter(call=call).count() == 4
    response = client.post(
        reverse("talent:review_distribute", args=[call.pk]), {"per_application": "x"}
    )
    assert response.status_code == 400
    assert "Indiquez un nombre entier." in response.content.decode()
    response = client.post(
        reverse("talent:review_distribute", args=[call.pk]), {"per_application": "2"}
    )
    assert response.status_code == 302
    for application in call.applications.submitted():
        assert application.assignments.count() == 2


def test_manual_assignment_of_a_conflicted_reviewer_is_refused(client, world):
    client.force_login(world["users"]["team"])
    call = world["call"]
    conflicted = Reviewer.objects.get(user=world["users"]["conflicted"])
    before = Assignment.objects.count()
    response = client.post(
        reverse("talent:review_assign", args=[call.pk]),
        {"application": world["application"].pk, "reviewer": conflicted.pk},
    )
    assert response.status_code == 409
    assert "conflit d'intérêts" in response.content.decode()
    response = client.post(
        reverse("talent:review_assign", args=[call.pk]),
        {"application": "999999", "reviewer": conflicted.pk},
    )
    assert response.status_code == 400
    assert "Candidature inconnue" in response.content.decode()
    assert Assignment.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "", "weight": "1", "max_score": "10"}, "Ce champ est obligatoire"),
        ({"label": "A", "weight": "0", "max_score": "10"}, "coefficient doit être"),
        ({"label": "A", "weight": "-2", "max_score": "10"}, "coefficient doit être"),
        ({"label": "A", "weight": "1", "max_score": "0"}, "au moins 1"),
        ({"label": "A", "weight": "1", "max_score": "1000"}, "au plus 100"),
        ({"label": "A" * 201, "weight": "1", "max_score": "10"}, "200 caractères"),
    ],
)
def test_bad_criteria_are_refused(client, world, data, message):
    client.force_login(world["users"]["team"])
    call = world["call"]
    response = client.post(
        reverse("talent:review_criterion_add", args=[call.pk]),
        {"position": "3", "description": "", **data},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert call.criteria.count() == 2


def test_criteria_lock_once_a_review_is_submitted(client, world):
    client.force_login(world["users"]["team"])
    call = world["call"]
    Review.objects.create(
        assignment=world["assignment"], submitted_at=world["application"].submitted_at
    )
    criterion = world["criteria"][0]
    for method, url, data in [
        (
            "get",
            reverse("talent:review_criterion_edit", args=[call.pk, criterion.pk]),
            {},
        ),
        (
            "post",
            reverse("talent:review_criterion_add", args=[call.pk]),
            {"label": "Nouveau", "weight": "1", "max_score": "5", "position": "3"},
        ),
        (
            "post",
            reverse("talent:review_criterion_delete", args=[call.pk, criterion.pk]),
            {},
        ),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 409, url
        assert "figée" in response.content.decode()
    assert call.criteria.count() == 2


def test_the_ranking_export_reads_back_as_numbers(client, world):
    client.force_login(world["users"]["team"])
    first, second = world["criteria"]
    review = Review.objects.create(
        assignment=world["assignment"], submitted_at=world["application"].submitted_at
    )
    Score.objects.create(review=review, criterion=first, value=10)
    Score.objects.create(review=review, criterion=second, value=0)
    application = world["application"]
    application.title = '=HYPERLINK("http://pirate")'
    application.save()
    response = client.get(
        reverse("talent:review_ranking_export", args=[world["call"].pk])
    )
    assert response["Content-Disposition"] == 'attachment; filename="classement.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Rang",
        "Référence",
        "Projet",
        "Candidat",
        "Organisation",
        "Note moyenne (/20)",
    )
    first_row = rows[1]
    assert first_row[0] == 1
    assert first_row[1] == application.reference
    assert first_row[2] == '\'=HYPERLINK("http://pirate")'
    assert first_row[5] == 10  # (1 × 10/10 + 1 × 0/5) / 2 × 20
    assert first_row[6] == 1
    assert first_row[7] == 0
    assert isinstance(first_row[5], int | float)
    assert rows[2][0] is None and rows[2][6] == 0


def test_decisions_through_the_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["users"]["team"])
    call = world["call"]
    application = world["application"]
    other = call.applications.submitted().exclude(pk=application.pk).get()
    url = reverse("talent:review_decide", args=[call.pk])
    response = client.post(
        url,
        {
            f"decision_{application.pk}": Decision.NOT_SELECTED,
            f"motif_{application.pk}": "",
            f"decision_{other.pk}": "pirate",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le motif" in html and "Décision inconnue." in html
    application.refresh_from_db()
    assert application.decision == ""
    response = client.post(
        url,
        {
            f"decision_{application.pk}": Decision.SELECTED,
            f"motif_{application.pk}": "",
            f"decision_{other.pk}": Decision.WAITING_LIST,
            f"motif_{other.pk}": "Dossier incomplet",
        },
    )
    assert response.status_code == 302
    send = reverse("talent:review_send_decisions", args=[call.pk])
    response = client.post(send)
    assert response.status_code == 409
    assert "délibération" in response.content.decode()
    response = client.post(
        reverse("talent:review_deliberation_record", args=[call.pk]),
        {"held_on": "pas une date", "members_present": "", "minutes": ""},
    )
    assert response.status_code == 400
    assert Deliberation.objects.count() == 0
    client.post(
        reverse("talent:review_deliberation_record", args=[call.pk]),
        {"held_on": "2026-11-25", "members_present": "Jury", "minutes": "PV"},
    )
    assert Deliberation.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send, follow=True)
    assert "2 décisions envoyées" in response.content.decode()
    page = client.get(reverse("talent:review_deliberation", args=[call.pk]))
    assert "décision envoyée le" in page.content.decode()


def test_decisions_wait_for_the_closing_on_the_page(client, world):
    client.force_login(world["users"]["team"])
    call = CallFactory()
    application = ApplicationFactory(call=call, submitted=True)
    page = client.get(reverse("talent:review_deliberation", args=[call.pk]))
    assert "après la clôture" in page.content.decode()
    response = client.post(
        reverse("talent:review_decide", args=[call.pk]),
        {f"decision_{application.pk}": Decision.SELECTED},
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.decision == ""


def _activation_url(user, token=None):
    return reverse(
        "talent:review_activate",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            token or default_token_generator.make_token(user),
        ],
    )


def test_a_new_reviewer_activates_the_account_once(client, world):
    client.force_login(world["users"]["team"])
    client.post(
        reverse("talent:review_appoint", args=[world["call"].pk]),
        {"email": "nouvelle@exemple.fr"},
    )
    client.logout()
    reviewer = Reviewer.objects.get(user__email="nouvelle@exemple.fr")
    url = _activation_url(reviewer.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": "court", "new_password2": "autre"})
    assert response.status_code == 400
    password = "un-mot-de-passe-solide-2026"
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:review_space")
    reviewer.user.refresh_from_db()
    assert reviewer.user.is_active and reviewer.user.check_password(password)
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("uid", ["xx", "MTIzNDU2Nzg5", "%%%"])
def test_a_bad_activation_link_is_404(client, world, uid):
    user = world["users"]["assigned"]
    url = reverse("talent:review_activate", args=[uid, "abc-def"])
    response = client.get(url)
    assert response.status_code == 404
    assert "expiré" in response.content.decode()
    assert client.get(_activation_url(user, token="1-bad")).status_code == 404
    assert mail.outbox == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_reviewed_application(call, reviewer):
    assignment = AssignmentFactory(reviewer=reviewer)
    assignment.application.call = call
    assignment.application.save()
    review = Review.objects.create(
        assignment=assignment, submitted_at=assignment.application.submitted_at
    )
    for criterion in call.criteria.all():
        Score.objects.create(review=review, criterion=criterion, value=1)


def test_list_pages_cost_the_same_queries_whatever_their_rows(client, world):
    """Setup, ranking, deliberation and the reviewer's space: no query per row."""
    call = world["call"]
    reviewer = world["assignment"].reviewer
    team = world["users"]["team"]
    team_urls_ = [
        reverse(f"talent:{name}", args=[call.pk])
        for name in ["review_setup", "review_ranking", "review_deliberation"]
    ]
    space = reverse("talent:review_space")

    def counts():
        client.force_login(team)
        result = [_queries(client, url) for url in team_urls_]
        client.force_login(reviewer.user)
        return [*result, _queries(client, space)]

    _add_reviewed_application(call, reviewer)
    before = counts()
    for _ in range(3):
        _add_reviewed_application(call, reviewer)
    assert counts() == before


def test_a_removed_reviewer_loses_access_and_keeps_submitted_scores(client, world):
    assignment = world["assignment"]
    first, second = world["criteria"]
    review = Review.objects.create(
        assignment=assignment, submitted_at=world["application"].submitted_at
    )
    Score.objects.create(review=review, criterion=first, value=5)
    Score.objects.create(review=review, criterion=second, value=5)
    client.force_login(world["users"]["team"])
    response = client.post(
        reverse(
            "talent:review_remove_reviewer",
            args=[world["call"].pk, assignment.reviewer.pk],
        ),
        follow=True,
    )
    assert "restent dans le classement" in response.content.decode()
    ranking = client.get(reverse("talent:review_ranking", args=[world["call"].pk]))
    assert "15,00" in ranking.content.decode() or "15.00" in ranking.content.decode()
    client.force_login(world["users"]["assigned"])
    url = reverse("talent:review_assignment", args=[assignment.pk])
    assert client.get(url).status_code == 404
