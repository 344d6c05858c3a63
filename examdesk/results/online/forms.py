"""Forms of Results Online (candidates)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from examdesk.accounts.generated_logins import looks_like_username
from examdesk.accounts.models import User, normalize_email
from examdesk.accounts.sign_in_page import SignInPasswordInput, SignInTextInput
from examdesk.results import keys

# Plain English constants (tests compare them), translated where they are shown.
ID_NUMBER_HINT = gettext_noop("9 digits, on your registration letter. You can type it with or without spaces.")
ID_NUMBER_LENGTH = gettext_noop("Enter the ID number as printed on your letter: it has 9 digits.")
ID_NUMBER_TYPO = gettext_noop(
    "This ID number is not right: one of its digits is mistyped, or two are swapped. "
    "Check each digit against your letter."
)
ENTER_ID_OR_EMAIL = gettext_noop("Enter your ID number or your e-mail address.")


def clean_id_number(value: str, *, required: str) -> str:
    """The typed ID number without spaces or dashes; a typing mistake is caught here by its check digit."""
    number = keys.clean_typed_number(value)
    if not number:
        raise ValidationError(gettext(required))
    if len(number) != 9 or not number.isdigit():
        raise ValidationError(gettext(ID_NUMBER_LENGTH))
    if not keys.id_number_is_well_formed(number):
        raise ValidationError(gettext(ID_NUMBER_TYPO))
    return number


def _text(label: Any, *, required: Any, hint: Any = "", autocomplete: str = "off", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=64,
        error_messages={"required": required},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false", **attrs}),
    )


class SecretForm(forms.Form):
    """Registration, step 1: the two numbers on the candidate's letter."""

    id_number = _text(_("ID number"), required=_("Enter your ID number."), hint=_(ID_NUMBER_HINT), inputmode="numeric")
    secret = _text(
        _("Secret Number"),
        required=_("Enter your Secret Number."),
        hint=_("10 digits, under your ID number on the same letter. Spaces do not matter."),
        inputmode="numeric",
    )

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data["id_number"], required=gettext_noop("Enter your ID number."))

    def clean_secret(self) -> str:
        secret = keys.clean_typed_number(self.cleaned_data["secret"])
        if len(secret) != keys.SECRET_DIGITS or not secret.isdigit():
            raise ValidationError(gettext("Enter the Secret Number as printed on your letter: it has 10 digits."))
        return secret


class AccountForm(forms.Form):
    """Registration, step 2: the e-mail address to sign in with and a password, under the account rules."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We will send a link to this address to finish your registration. Use one you will keep."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    # Never stripped or truncated: every character counts, spaces included.
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        error_messages={"required": _("Create a password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        error_messages={"required": _("Type the password again.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, full_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full_name = full_name
        self.fields["password1"].help_text = gettext(
            "At least %(count)s characters. A few unrelated words make a strong "
            "password that is easy to remember. Spaces and any characters are allowed."
        ) % {"count": settings.EXAMDESK_PASSWORD_MIN_LENGTH}

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("The two passwords are not the same. Type the same password twice."))
        elif first:
            someone = User(email=cleaned.get("email") or "", full_name=self.full_name)
            try:
                password_validation.validate_password(first, user=someone)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("ID number or e-mail address"),
        max_length=254,
        help_text=_(
            "Your 9-digit ID number from your letter, the e-mail address you registered with, "
            "or the username on the login letter from your centre."
        ),
        error_messages={"required": _(ENTER_ID_OR_EMAIL)},
        widget=SignInTextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )
    # Never stripped or truncated: every character counts, spaces included.
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=SignInPasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_identifier(self) -> str:
        return clean_identifier(self.cleaned_data["identifier"])


def clean_identifier(value: str) -> str:
    """An e-mail address, or an ID number checked by its check digit before anything is looked up."""
    value = value.strip()
    if "@" in value or looks_like_username(value):
        return value
    return clean_id_number(value, required=ENTER_ID_OR_EMAIL)


class ForgottenPasswordForm(forms.Form):
    identifier = forms.CharField(
        label=_("ID number or e-mail address"),
        max_length=254,
        help_text=_("Your 9-digit ID number from your letter, or the e-mail address you registered with."),
        error_messages={"required": _(ENTER_ID_OR_EMAIL)},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_identifier(self) -> str:
        return clean_identifier(self.cleaned_data["identifier"])
