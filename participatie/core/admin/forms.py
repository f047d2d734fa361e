"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import Regexp

from participatie.core.accounts.forms import ConfirmPasswordForm
from participatie.core.accounts.forms import strip
from participatie.forms import Form

ROLE_CHOICES = [
    SelectChoice("facilitator", _l("Facilitator")),
    SelectChoice("councillor", _l("Councillor")),
    SelectChoice("administrator", _l("Administrator")),
]


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    area_id = SelectField(
        _l("Area"),
        coerce=optional_int,
        description=_l("For a facilitator or councillor: the area (and everything in it)."),
    )
    # Not "process": that name is taken by the form's own method.
    process_id = SelectField(
        _l("Process"),
        coerce=optional_int,
        description=_l("Or, for a facilitator: one process only."),
    )

    def validate_role(self, field):
        area, process = self.area_id.data, self.process_id.data
        if field.data == "administrator" and (area or process):
            raise ValidationError(_l("An administrator has no area or process."))
        if field.data == "councillor" and (not area or process):
            raise ValidationError(_l("A councillor needs an area, and no process."))
        if field.data == "facilitator" and bool(area) == bool(process):
            raise ValidationError(_l("A facilitator needs either an area or one process."))


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Find an account by email or name"), filters=[strip])


class StadsdeelForm(Form):
    code = StringField(
        _l("Code"),
        description=_l("The municipality's own code, for example SD-ZUID."),
        filters=[strip, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Fill in a code.")),
            Length(max=20),
            Regexp(r"^[A-Z0-9][A-Z0-9_-]{1,19}$", message=_l("Use capitals, digits, - and _.")),
        ],
    )
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in a name.")), Length(max=120)],
    )


class PlacementForm(Form):
    wijk = SelectField(_l("Wijk"), coerce=int)
    parent = SelectField(_l("Lies in"), coerce=int)


class ImportForm(Form):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "In the layout of the shipped CBS file: code, name, level, parent_code, gemeente_code, …"
        ),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv"], _l("Choose a .csv file.")),
        ],
    )


class RegisterForm(Form):
    file = FileField(
        _l("Address register (CSV)"),
        description=_l(
            "From the municipality's BAG extract: UTF-8, the header row postcode;huisnummer;toevoeging;buurtcode. It replaces the register as a whole; with any wrong row nothing changes."
        ),
    )
    max_per_address = IntegerField(
        _l("At most this many accounts per address"),
        description=_l("Leave empty for no limit."),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Fill in a number from 1 to 1000.")),
        ],
    )


class TurnOffTwoStepForm(ConfirmPasswordForm):
    """Two-step verification off for someone who lost both app and recovery codes."""

    checked = BooleanField(
        _l("I have checked, outside this site, that the owner of this account asks for this"),
        validators=[DataRequired(_l("Tick the box once you have checked who is asking."))],
    )
