from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string

from campus.accounts.models import User
from campus.formfields import FieldPurposeMixin
from campus.mail import send_campus_email
from campus.public_forms import HoneypotMixin


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Les deux champs tiennent compte des majuscules."
        ),
        "inactive": "Ce compte est désactivé.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class AccountCreationForm(forms.ModelForm):
    """Creates the account of an invited person: the e-mail comes from the invitation."""

    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["full_name"]
        labels = {"full_name": "Nom complet"}
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.email = email
        self.fields["full_name"].required = True

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", "Les deux mots de passe ne sont pas identiques."
            )
        elif password1:
            try:
                password_validation.validate_password(password1, self.instance)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class SignupForm(FieldPurposeMixin, HoneypotMixin, forms.Form):
    """Anyone creates an account, inactive until the e-mail link is followed."""

    email = forms.EmailField(label="Adresse e-mail", max_length=254)
    full_name = forms.CharField(label="Nom complet", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(),
    )
    consent = forms.BooleanField(
        label=(
            "J'accepte que le campus conserve ces informations pour gérer mon "
            "compte, comme l'explique la page « Données personnelles »."
        ),
        error_messages={
            "required": "Cochez la case pour accepter la conservation de vos données."
        },
    )
    autocomplete = {
        "email": "email",
        "full_name": "name",
        "password1": "new-password",
        "password2": "new-password",
    }

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Indiquez votre nom.")
        return name

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", "Les deux mots de passe ne sont pas identiques."
            )
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignupConfirmationForm(forms.Form):
    password = forms.CharField(
        label="Mot de passe choisi en créant le compte",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AccountDeletionForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme vouloir supprimer mon compte et mes données personnelles.",
        required=True,
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )


class CampusPasswordResetForm(HoneypotMixin, PasswordResetForm):
    """Django's reset form, whose e-mail leaves through the task queue like the others.

    Sending it during the request would make the answer slower for an existing
    account than for an unknown one, and a slow mail server would hold the page.
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        transaction.on_commit(
            lambda: send_campus_email.enqueue(
                subject=subject, body=body, recipients=[to_email]
            )
        )
