"""Account forms. Every message is in the user's language."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import StringField
from wtforms import ValidationError
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import Length

from participatie.core.accounts.passwords import is_breached
from participatie.core.accounts.passwords import MAX_LENGTH
from participatie.core.accounts.passwords import MIN_LENGTH
from participatie.forms import Form


def strip(value):
    return value.strip() if isinstance(value, str) else value


#: Words that make a display name look like the municipality or its staff speaking.
RESERVED_NAME_WORDS = (
    "admin",
    "beheer",
    "moderator",
    "moderatie",
    "gemeente",
    "municipality",
    "begeleider",
    "facilitator",
    "raadslid",
    "councillor",
    "wethouder",
    "burgemeester",
    "participatie",
)


def not_impersonating(form, field):
    """Refuse a display name that passes for staff ("Moderator", "Gemeente Enschede")."""
    folded = "".join(char for char in (field.data or "").casefold() if char.isalnum())
    if any(word in folded for word in RESERVED_NAME_WORDS):
        raise ValidationError(
            _l(
                "Choose another name: names with words such as moderator, beheer or gemeente are "
                "kept for the municipality's own people."
            )
        )


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Fill in your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(
                _l("This is not a valid email address, for example name@example.org."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        description=_l("At least 12 characters. A sentence of a few words is easy to remember."),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l(
                    "A password has at least %(min)d and at most %(max)d characters.",
                    min=MIN_LENGTH,
                    max=MAX_LENGTH,
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    def validate_password(self, field):
        if field.data and is_breached(field.data):
            raise ValidationError(
                _l("This password appears in lists of leaked passwords. Choose another one.")
            )


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Fill in your password.")),
            # Longer than any password we accept: refused before it is hashed.
            Length(max=MAX_LENGTH, message=_l("This is not your password: it is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(NewPasswordMixin, Form):
    email = email_field()
    display_name = StringField(
        _l("Display name"),
        description=_l("Shown with your ideas and comments. It may be your first name."),
        filters=[strip],
        validators=[
            DataRequired(_l("Fill in a display name.")),
            Length(max=80, message=_l("A display name has at most 80 characters.")),
            not_impersonating,
        ],
        render_kw={"autocomplete": "nickname"},
    )
    password = new_password_field()
    password_repeat = PasswordField(
        _l("Repeat password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )
    house_rules = BooleanField(
        _l("I accept the house rules"),
        validators=[DataRequired(_l("You can only take part when you accept the house rules."))],
    )


class ResetRequestForm(Form):
    email = email_field()


class ResetPasswordForm(NewPasswordMixin, Form):
    password = new_password_field(_l("New password"))
    password_repeat = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Fill in your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    password_repeat = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(Form):
    display_name = RegisterForm.display_name


class ResendConfirmationForm(Form):
    """An empty form: only its CSRF token matters."""


class ConfirmPasswordForm(Form):
    """The password again, before a sensitive step (export, deletion, new e-mail address).

    An account without a password (a log-in service only) leaves it empty; a
    recent log-in stands in for it (``privacy.confirms_identity``).
    """

    password = PasswordField(
        _l("Your password"),
        validators=[
            Length(max=MAX_LENGTH, message=_l("This is not your password: it is too long."))
        ],
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(ConfirmPasswordForm):
    understood = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(_l("Tick the box to confirm that you want this."))],
    )


class ChangeEmailForm(ConfirmPasswordForm):
    email = email_field(_l("New email address"))


def code_field(label, description):
    return StringField(
        label,
        description=description,
        validators=[
            DataRequired(_l("Type the code.")),
            Length(max=40, message=_l("This code is not right: it is too long.")),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
            "autofocus": True,
        },
    )


class TwoFactorSetupForm(Form):
    """The first code of a new authenticator app: the secret is stored only once it is right."""

    code = code_field(
        _l("Code from your app"), _l("The 6 digits your app shows for this site now.")
    )


class TwoFactorLoginForm(Form):
    """The second step of the log-in: a code from the app or a recovery code."""

    code = code_field(
        _l("Code"),
        _l("The 6 digits your authenticator app shows now, or one of your recovery codes."),
    )
