"""The forms of a budget vote: its settings, a project, a deviation, an import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from participatie.builtin.budgets.models import RULES
from participatie.forms import Form

MAX_EUROS = 1_000_000_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


RULE_LABELS = {
    "greedy": _l(
        "Most votes first: projects by number of votes, each one that still fits the budget"
    ),
    "greedy-stop": _l(
        "Most votes first, stopping at the first project that no longer fits the budget"
    ),
    "equal-shares": _l(
        "Method of Equal Shares: every voter gets an equal share of the budget to spend"
    ),
}


class SettingsForm(Form):
    budget = IntegerField(
        _l("Budget in euros"),
        description=_l("The same amount as the fixed limit of kind budget in the framing."),
        validators=[
            InputRequired(_l("Fill in the budget.")),
            NumberRange(min=1, max=MAX_EUROS, message=_l("Fill in a whole number of euros.")),
        ],
    )
    rule = RadioField(
        _l("How the votes are counted"),
        choices=[SelectChoice(code, label) for code, label in RULE_LABELS.items()],
        validators=[InputRequired(_l("Choose how the votes are counted."))],
    )
    partial_funding = BooleanField(
        _l("Fund the first project that does not fit partly, with what is left"),
        description=_l("Only with the rule that stops at the first project that does not fit."),
    )
    ballot_kind = RadioField(
        _l("What residents choose"),
        choices=[
            SelectChoice("approval", _l("Several projects")),
            SelectChoice("choose-1", _l("Exactly one project")),
        ],
        default="approval",
        validators=[InputRequired()],
    )
    min_projects = IntegerField(
        _l("At least this many projects"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("Fill in 1 to 500."))],
    )
    max_projects = IntegerField(
        _l("At most this many projects"),
        validators=[Optional(), NumberRange(min=1, max=500, message=_l("Fill in 1 to 500."))],
    )
    max_total_cost = IntegerField(
        _l("The chosen projects cost at most (euros)"),
        description=_l("Leave empty: at most the budget."),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_EUROS, message=_l("Fill in a whole number of euros.")),
        ],
    )
    show_counts = BooleanField(_l("Show the number of votes per project while the vote runs"))

    def validate_rule(self, field):
        if field.data not in RULES:
            raise ValidationError(_l("Choose how the votes are counted."))

    def validate_max_projects(self, field):
        low = self.min_projects.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_l("The maximum must not be below the minimum."))

    def validate_partial_funding(self, field):
        if field.data and self.rule.data != "greedy-stop":
            raise ValidationError(
                _l("Partial funding goes with the rule that stops at the first that does not fit.")
            )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ProjectForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the project a title.")), Length(max=160)],
    )
    description = TextAreaField(
        _l("Short description"), filters=[strip], validators=[Length(max=2000)]
    )
    cost = IntegerField(
        _l("Cost estimate in euros"),
        validators=[
            InputRequired(_l("Fill in the cost estimate.")),
            NumberRange(min=1, max=MAX_EUROS, message=_l("Fill in a whole number of euros.")),
        ],
    )
    theme = SelectField(_l("Theme"), choices=[], validate_choice=False)
    buurten = MultiCheckboxField(_l("Buurten"), choices=[], validate_choice=False)
    ideas = MultiCheckboxField(_l("From the ideas"), choices=[], coerce=int, validate_choice=False)
    direct_reason = TextAreaField(
        _l("Why this project is on the ballot without an idea behind it"),
        description=_l("Needed when the project comes from no idea."),
        filters=[strip],
        validators=[Length(max=2000)],
    )
    photo = FileField(_l("Photo (JPEG or PNG, at most 5 MB)"))
    photo_alt = StringField(
        _l("What is in the photo"), filters=[strip], validators=[Length(max=300)]
    )

    def validate_direct_reason(self, field):
        if not self.ideas.data and not field.data:
            raise ValidationError(
                _l("Choose the ideas the project comes from, or say why it is added directly.")
            )

    def validate_photo_alt(self, field):
        upload = self.photo.data
        if upload is not None and getattr(upload, "filename", "") and not field.data:
            raise ValidationError(_l("Describe what is in the photo."))


class DeviationForm(Form):
    decided = RadioField(
        _l("The decision"),
        choices=[SelectChoice("1", _l("Carried out")), SelectChoice("0", _l("Not carried out"))],
        validators=[InputRequired()],
    )
    explanation = TextAreaField(
        _l("Why the decision differs from the outcome"),
        filters=[strip],
        validators=[Length(max=2000)],
    )


class ImportForm(Form):
    file = FileField(_l("Pabulib file (.pb)"))
    confirm = BooleanField(_l("Import it"))
