from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def campus_team(self):
        """The active staff users: who runs the campus and hears of what awaits it."""
        return self.filter(is_staff=True, is_active=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by e-mail.

    The campus team are the staff users; partner members are linked to their
    organisations through `network.Membership`; everyone else is the public and
    needs no account.
    """

    email = models.EmailField("adresse e-mail", unique=True)
    full_name = models.CharField("nom complet", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "équipe du campus",
        default=False,
        help_text="Donne accès à la gestion du campus (back-office).",
    )
    is_active = models.BooleanField("actif", default=True)
    # An account created at /compte/creer/ stays inactive until its e-mail is
    # confirmed; unconfirmed ones are erased by purge_personal_data. The flag
    # keeps accounts the team deactivated out of that purge.
    awaiting_confirmation = models.BooleanField(
        "en attente de confirmation de l'adresse", default=False
    )
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_campus_team(self) -> bool:
        return self.is_active and self.is_staff

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email
