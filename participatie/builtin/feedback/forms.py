"""Forms for answering ideas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import DateField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from participatie.builtin.feedback.rules import REASON_LABELS
from participatie.builtin.feedback.rules import STATUS_LABELS
from participatie.core.accounts.forms import strip
from participatie.forms import Form


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class AnswerForm(Form):
    status = SelectField(_l("New status"))
    template = SelectField(_l("Start from a template"), coerce=optional_int, validate_choice=False)
    explanation = TextAreaField(
        _l("Public explanation"),
        description=_l("The resident reads this. Say what was decided and why, in plain language."),
        filters=[strip],
        validators=[Length(max=5000)],
        render_kw={"rows": 6},
    )
    reason_kind = RadioField(
        _l("Why not (fully) adopted"),
        choices=[SelectChoice(code, label) for code, label in REASON_LABELS.items()],
        validators=[Optional()],
    )
    fixed_limit = SelectField(_l("Which fixed limit"), coerce=optional_int, validate_choice=False)
    reason_text = TextAreaField(
        _l("The other reason"),
        filters=[strip],
        validators=[Length(max=2000)],
        render_kw={"rows": 2},
    )

    def set_choices(self, idea, templates, next_statuses):
        self.status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in next_statuses]
        self.template.choices = [SelectChoice("", _l("(no template)"))] + [
            SelectChoice(t.id, t.title) for t in templates
        ]
        self.fixed_limit.choices = [SelectChoice("", _l("(choose)"))] + [
            SelectChoice(limit.id, limit.title) for limit in idea.process.fixed_limits
        ]


class BulkStartForm(Form):
    status = SelectField(
        _l("Status for the chosen ideas"),
        choices=[SelectChoice(s, STATUS_LABELS[s]) for s in STATUS_LABELS if s != "submitted"],
    )
    template = SelectField(_l("Start from a template"), coerce=optional_int, validate_choice=False)


class TemplateForm(Form):
    title = StringField(
        _l("Name of the template"),
        filters=[strip],
        validators=[DataRequired(_l("Give the template a name.")), Length(max=120)],
    )
    text = TextAreaField(
        _l("Text"),
        filters=[strip],
        validators=[DataRequired(_l("Write the text of the template.")), Length(max=5000)],
        render_kw={"rows": 5},
    )


class MilestoneForm(Form):
    title = StringField(
        _l("Milestone"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the milestone.")), Length(max=200)],
    )
    date = DateField(_l("Date"), validators=[DataRequired(_l("Fill in a date."))])
    done = BooleanField(_l("Done"))


class ExecutionForm(Form):
    owner = StringField(
        _l("Who carries it out"),
        filters=[strip],
        validators=[DataRequired(_l("Name who carries it out.")), Length(max=200)],
    )


class SummaryForm(Form):
    text = TextAreaField(
        _l("What was decided and why"),
        description=_l("The decision-maker's summary, shown at the top of “You said, we did”."),
        filters=[strip],
        validators=[Length(max=10000)],
        render_kw={"rows": 8},
    )
    publish = BooleanField(_l("Publish this summary"))
