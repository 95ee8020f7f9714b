"""Personal data of a user: exportable and erasable (RGPD articles 15, 17 and 20)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

from campus.accounts.models import User
from campus.agenda.registration import erase_past_registrations
from campus.mail import send_templated_email
from campus.network.models import Proposal, ProposalStatus
from campus.network.services import (
    lock_organisations,
    organisations_left_without_editor,
    revoke_invitations_sent_by,
)
from campus.newsletter.models import Subscriber
from campus.newsletter.services import export_subscriber, purge_subscribers
from campus.rules import RuleError
from campus.surveys.services import purge_closed_surveys
from campus.talent.mobility import anonymise_old_mobilities
from campus.talent.models import (
    Answer,
    ConflictOfInterest,
    QuestionKind,
    Review,
    Score,
)
from campus.talent.retention import erase_applications, purge_expired_applications

# A sign-up link works this long; an account never confirmed is erased after
# UNCONFIRMED_ACCOUNT_DAYS by purge_personal_data.
SIGNUP_LINK_DAYS = 3
UNCONFIRMED_ACCOUNT_DAYS = 7
SIGNUP_SALT = "campus.accounts.signup"


class SignupLinkRefused(RuleError):
    """A confirmation link that is forged, expired or already used."""

    status_code = 400
    title = "Lien de confirmation non valable"


SIGNUP_LINK_REFUSED = (
    "Ce lien de confirmation a expiré, a déjà servi ou est incomplet : aucun "
    "compte n'a été activé. Si vous avez déjà confirmé votre adresse, connectez-"
    "vous ; sinon, créez votre compte de nouveau pour recevoir un nouveau lien."
)


def safe_next_url(url: str | None) -> str:
    """`url` when it is a path of this site, else "" (no open redirect)."""
    if (
        url
        and len(url) <= 2000
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={settings.CAMPUS_SITE_DOMAIN}, require_https=False
        )
    ):
        # Only local paths: a full address of the site is refused too.
        if url.startswith("/") and not url.startswith(("//", "/\\")):
            return url
    return ""


def _account_state(user: User) -> str:
    # Changes when the account is activated or a later sign-up sets another
    # password, so a link works once and only the latest one works.
    return salted_hmac(
        SIGNUP_SALT, f"{user.pk}:{user.password}:{user.is_active}"
    ).hexdigest()[:24]


def signup_token(user: User, next_url: str = "") -> str:
    return signing.dumps(
        {"user": user.pk, "state": _account_state(user), "next": next_url},
        salt=SIGNUP_SALT,
        compress=True,
    )


def sign_up(*, email: str, full_name: str, password: str, next_url: str = "") -> None:
    """Creates an inactive account and e-mails its confirmation link.

    Whoever types an address learns nothing of its accounts: the answer page is
    the same, the password is hashed either way (same time), and only the
    mailbox's owner reads which e-mail it was. An address with an account gets
    « vous avez déjà un compte » and the login and reset links. An address with
    an account still awaiting confirmation takes the latest sign-up's name and
    password and a new link; earlier links stop working. Activating asks for
    the password as well (confirm_signup), so someone who signed up with
    another person's address never gets an account whose password they know.
    """
    next_url = safe_next_url(next_url)
    password_hash = make_password(password)
    try:
        _sign_up(email, full_name, password_hash, next_url)
    except IntegrityError:
        # The same address signed up at the same instant: that request mails it.
        pass


def _sign_up(email: str, full_name: str, password_hash: str, next_url: str) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and not user.awaiting_confirmation:
            send_templated_email(
                "accounts/email/signup_existing",
                {
                    "user": user,
                    "login_url": reverse("accounts:login"),
                    "reset_url": reverse("accounts:password_reset"),
                },
                [user.email],
            )
            return
        if user is None:
            user = User(email=email.lower())
        user.full_name = full_name
        user.password = password_hash
        user.is_active = False
        user.awaiting_confirmation = True
        user.date_joined = timezone.now()
        user.save()
        send_templated_email(
            "accounts/email/signup_confirm",
            {
                "user": user,
                "confirm_url": reverse(
                    "accounts:signup_confirm", args=[signup_token(user, next_url)]
                ),
                "link_days": SIGNUP_LINK_DAYS,
                "unconfirmed_days": UNCONFIRMED_ACCOUNT_DAYS,
            },
            [user.email],
        )


def user_for_signup_token(token: str) -> tuple[User, str]:
    """The account a link confirms and where to go next; SignupLinkRefused else."""
    try:
        data = signing.loads(
            token, salt=SIGNUP_SALT, max_age=timedelta(days=SIGNUP_LINK_DAYS)
        )
    except signing.BadSignature:  # SignatureExpired included
        raise SignupLinkRefused(SIGNUP_LINK_REFUSED) from None
    user = User.objects.filter(pk=data.get("user"), awaiting_confirmation=True).first()
    if user is None or data.get("state") != _account_state(user):
        raise SignupLinkRefused(SIGNUP_LINK_REFUSED)
    return user, safe_next_url(data.get("next"))


class WrongSignupPassword(RuleError):
    status_code = 400
    title = "Mot de passe incorrect"


def confirm_signup(token: str, *, password: str) -> tuple[User, str]:
    """Activates the account of a valid link when `password` is the one chosen at
    sign-up; returns the account and the next page.

    The link proves the mailbox, the password proves who chose it: whoever
    signed up with someone else's address cannot have that person activate an
    account whose password they know.
    """
    with transaction.atomic():
        user, next_url = user_for_signup_token(token)
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.awaiting_confirmation:
            raise SignupLinkRefused(SIGNUP_LINK_REFUSED)
        if not user.check_password(password):
            raise WrongSignupPassword(
                "Ce n'est pas le mot de passe choisi en créant le compte. Si vous ne "
                "l'avez plus, ou si vous n'avez pas créé ce compte, créez-le de "
                "nouveau : seul le dernier lien reçu fonctionnera."
            )
        user.is_active = True
        user.awaiting_confirmation = False
        user.save(update_fields=["is_active", "awaiting_confirmation"])
    return user, next_url


class AccountDeletionRefused(RuleError):
    """Deleting the account would leave an organisation without an editor."""


def export_personal_data(user: User) -> dict:
    return {
        "compte": {
            "email": user.email,
            "nom_complet": user.full_name,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat()
            if user.last_login
            else None,
            "equipe_du_campus": user.is_staff,
        },
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "role": membership.get_role_display(),
                "depuis": membership.created_at.isoformat(),
            }
            for membership in user.memberships.select_related("organisation")
        ],
        # The newsletter knows addresses, not accounts: the one of this account.
        "lettre_d_information": [
            export_subscriber(subscriber)
            for subscriber in Subscriber.objects.with_email(user.email).order_by("pk")
        ],
        "candidatures": _export_applications(user),
        "evaluations_de_candidatures": _export_reviews(user),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_applications(user: User) -> list[dict]:
    """The user's own applications with their answers; files by their name (the
    files themselves are downloaded from each application's page). The jury's
    decision is left out: it reaches the applicant when the team announces it,
    never earlier through an export."""
    applications = (
        user.applications.select_related("call", "organisation")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__position", "question__pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "appel": application.call.title,
            "reference": application.reference,
            "titre": application.title,
            "organisation": application.organisation.name
            if application.organisation
            else None,
            "statut": application.get_status_display(),
            "creee_le": _iso(application.created_at),
            "modifiee_le": _iso(application.updated_at),
            "deposee_le": _iso(application.submitted_at),
            "retiree_le": _iso(application.withdrawn_at),
            "accepte_d_etre_cite": application.publication_consent,
            "reponses": [
                {
                    "question": answer.question.label,
                    "reponse": answer.display_value(),
                    **(
                        {"fichier": answer.file_name}
                        if answer.question.kind == QuestionKind.FILE
                        else {}
                    ),
                }
                for answer in application.answers.all()
            ],
        }
        for application in applications
    ]


def delete_account(user: User) -> None:
    """Erases the account, unless it would leave an organisation without an editor."""
    with transaction.atomic():
        lock_organisations(user.memberships.values_list("organisation", flat=True))
        orphans = organisations_left_without_editor(user)
        if orphans:
            raise AccountDeletionRefused(
                "Vous êtes le seul éditeur de : "
                + ", ".join(org.name for org in orphans)
                + ". Nommez un autre éditeur avant de supprimer votre compte."
            )
        # The memberships' history records their deletion, possibly naming this
        # user as the one who acted: deleting them first lets the account's own
        # deletion clear those names instead of leaving them dangling.
        revoke_invitations_sent_by(user)
        user.memberships.all().delete()
        # Their applications go with the account (as the account page says),
        # their files from storage too.
        erase_applications(user.applications.all())
        Subscriber.objects.with_email(user.email).delete()
        user.delete()


def purge_personal_data(*, now=None) -> dict[str, int]:
    """Erases personal data that has served its purpose.

    - authors of proposals decided more than CAMPUS_PROPOSAL_RETENTION_DAYS ago;
    - failed login attempts older than a day (the lock lasts 15 minutes);
    - event registrants, REGISTRATION_RETENTION_DAYS after the event.
    - newsletter addresses never confirmed once their link expired
      (CAMPUS_NEWSLETTER_CONFIRMATION_DAYS), and unsubscribed ones after
      CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS;
    - accounts created at /compte/creer/ and never confirmed, after
      UNCONFIRMED_ACCOUNT_DAYS;
    - applications to calls closed more than APPLICATION_RETENTION_DAYS ago
      (campus.talent.retention);
    - learners' names and certificates of European mobilities, five years after
      their return (campus.talent.mobility);
    - who was asked, opened and answered a needs survey, with its links,
      CAMPUS_SURVEY_RETENTION_DAYS after its closing day (campus.surveys).
    """
    now = now or timezone.now()
    decided_before = now - timedelta(days=settings.CAMPUS_PROPOSAL_RETENTION_DAYS)
    with transaction.atomic():
        proposals = (
            Proposal.objects.exclude(status=ProposalStatus.PENDING)
            .filter(decided_at__lt=decided_before)
            .exclude(submitter_email="")
            .update(submitter_name="(effacé)", submitter_email="")
        )
        attempts, _ = AccessAttempt.objects.filter(
            attempt_time__lt=now - timedelta(days=1)
        ).delete()
        registrations = erase_past_registrations(now=now)
        newsletter = purge_subscribers(now=now)
        _, deleted = User.objects.filter(
            awaiting_confirmation=True,
            is_active=False,
            date_joined__lt=now - timedelta(days=UNCONFIRMED_ACCOUNT_DAYS),
        ).delete()
        applications = purge_expired_applications(now)
        mobilities = anonymise_old_mobilities(now)
        surveys = purge_closed_surveys(now=now)
    return {
        "proposals": proposals,
        "login_attempts": attempts,
        "registrations": registrations["registrations_erased"]
        + registrations["unconfirmed_deleted"],
        "newsletter_unconfirmed": newsletter["unconfirmed"],
        "newsletter_unsubscribed": newsletter["unsubscribed"],
        "unconfirmed_accounts": deleted.get(User._meta.label, 0),
        "applications": applications["applications"],
        "application_files": applications["files"],
        "mobilities": mobilities,
        "survey_invitations": surveys,
    }


def _export_reviews(user: User) -> dict:
    """What the user wrote as a reviewer: their scores and comments, and the
    conflicts of interest they declared. Applications are named by reference
    only: their content is the applicant's data, not the reviewer's."""
    reviews = (
        Review.objects.filter(assignment__reviewer__user=user)
        .select_related("assignment__application__call")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
        .order_by("assignment__application__call__pk", "pk")
    )
    conflicts = (
        ConflictOfInterest.objects.filter(reviewer__user=user)
        .select_related("application__call")
        .order_by("declared_at", "pk")
    )
    return {
        "evaluations": [
            {
                "appel": review.assignment.application.call.title,
                "candidature": review.assignment.application.reference,
                "commentaire": review.comment,
                "notes": [
                    {"critere": score.criterion.label, "note": score.value}
                    for score in review.scores.all()
                ],
                "transmise_le": _iso(review.submitted_at),
            }
            for review in reviews
        ],
        "conflits_d_interets": [
            {
                "appel": conflict.application.call.title,
                "candidature": conflict.application.reference,
                "note": conflict.note,
                "declare_le": _iso(conflict.declared_at),
            }
            for conflict in conflicts
        ],
    }
