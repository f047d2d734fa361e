"""The facilitator's process form: one form, a fieldset per part of the framing.

Reasons, fixed limits, open questions, themes and phases are repeatable rows.
Rows left empty are ignored, so the form can always offer an empty row to
fill in; a row is removed by ticking its "remove" box and saving.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError
from wtforms.fields import DateField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from participatie.core.accounts.forms import strip
from participatie.core.processes.framing import MAX_ANSWER_DAYS
from participatie.forms import Form as CheckedForm

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

REASON_CHOICES = [
    SelectChoice("support", _l("Support (draagvlak): support for choices that are made")),
    SelectChoice("interests", _l("Interests (belangen): gather everyone's interests and values")),
    SelectChoice("knowledge", _l("Knowledge (kennis): gather extra knowledge and ideas")),
]
LEVEL_CHOICES = [
    SelectChoice("inform", _l("Inform: residents hear what is planned")),
    SelectChoice("consult", _l("Consult: residents give their opinion; the municipality decides")),
    SelectChoice("advise", _l("Advise: residents give advice the municipality must respond to")),
    SelectChoice(
        "co-create", _l("Co-create: residents and municipality work out the plan together")
    ),
    SelectChoice("co-decide", _l("Co-decide: residents decide on what is open, within the limits")),
]
INTEGRALITY_CHOICES = [
    SelectChoice(
        "balance", _l("Balance: no single policy goes at the cost of other important matters")
    ),
    SelectChoice(
        "policy", _l("Policy integration: social, physical and other policy tuned to each other")
    ),
    SelectChoice(
        "execution", _l("Coordination of execution: work in the area is done together, once")
    ),
]
FIXED_LIMIT_KIND_CHOICES = [
    SelectChoice("policy", _l("Policy")),
    SelectChoice("council-decision", _l("Council decision")),
    SelectChoice("budget", _l("Budget")),
    SelectChoice("law", _l("Law or regulation")),
    SelectChoice("planning", _l("Planning")),
    SelectChoice("other", _l("Other")),
]
ENDS_CHOICES = [
    SelectChoice("plan", _l("When the plan is ready")),
    SelectChoice("execution", _l("After the execution")),
]


def _blank(data: dict, ignore=("remove",)) -> bool:
    return all(
        value in (None, "", False) or value == []
        for key, value in data.items()
        if key not in ignore
    )


class ReasonRow(Form):
    kind = SelectField(_l("Reason"), choices=REASON_CHOICES, validate_choice=True)
    text = TextAreaField(
        _l("Explain in one sentence"),
        filters=[strip],
        validators=[Length(max=1000)],
        render_kw={"rows": 2},
    )
    remove = BooleanField(_l("Remove this reason"))


class FixedLimitRow(Form):
    # Fixed limits keep their id across edits: answers to ideas refer to them.
    id = HiddenField()
    title = StringField(_l("What is fixed"), filters=[strip], validators=[Length(max=200)])
    source = StringField(
        _l("Source"),
        description=_l(
            "For example: council decision of 12 March 2025, Omgevingsvisie, budget 2026."
        ),
        filters=[strip],
        validators=[Length(max=300)],
    )
    description = TextAreaField(
        _l("Explanation"), filters=[strip], validators=[Length(max=2000)], render_kw={"rows": 2}
    )
    kind = SelectField(
        _l("Kind"), choices=FIXED_LIMIT_KIND_CHOICES, default="other", validate_choice=True
    )
    amount = IntegerField(
        _l("Amount in euros"),
        description=_l("For a budget: the amount that may be spent, in whole euros."),
        validators=[
            Optional(),
            NumberRange(min=0, max=10**12, message=_l("Fill in an amount of 0 euros or more.")),
        ],
    )
    lapsed_on = DateField(
        _l("No longer applies since"),
        description=_l(
            "Fill in a date when this limit no longer applies. It stays visible, marked as lapsed."
        ),
        validators=[Optional()],
    )
    remove = BooleanField(_l("Remove this fixed limit"))

    def _filled_in(self) -> bool:
        return not self.data.get("remove") and not _blank(self.data, ("remove", "id", "kind"))

    def validate_title(self, field):
        if self._filled_in() and not field.data:
            raise ValidationError(_l("Say what is fixed."))

    def validate_source(self, field):
        if self._filled_in() and not field.data:
            raise ValidationError(_l("Name the source of this fixed limit."))


class OpenQuestionRow(Form):
    text = TextAreaField(
        _l("What residents can change"),
        filters=[strip],
        validators=[Length(max=1000)],
        render_kw={"rows": 2},
    )
    remove = BooleanField(_l("Remove this question"))


class ThemeRow(Form):
    code = StringField(
        _l("Code"),
        description=_l("Lowercase letters, digits and hyphens; shown in the open data."),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use lowercase letters, digits and hyphens only.")),
        ],
    )
    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=80)])
    remove = BooleanField(_l("Remove this theme"))


class PhaseRow(Form):
    name = StringField(_l("Phase name"), filters=[strip], validators=[Length(max=120)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(
        _l("Ends (not included)"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    allows_submit = BooleanField(_l("Residents can submit ideas"))
    allows_comment = BooleanField(_l("Residents can comment"))
    allows_vote = BooleanField(_l("Residents can vote"))
    allows_budget = BooleanField(_l("Residents vote on the budget"))
    remove = BooleanField(_l("Remove this phase"))

    def validate_name(self, field):
        if _blank(self.data):
            return
        if not field.data:
            raise ValidationError(_l("Give the phase a name."))

    def validate_starts_at(self, field):
        if not _blank(self.data) and field.data is None and not field.errors:
            raise ValidationError(_l("Fill in when the phase starts."))

    def validate_ends_at(self, field):
        if not _blank(self.data) and field.data is None and not field.errors:
            raise ValidationError(_l("Fill in when the phase ends."))


RULE_ACTION_CHOICES = [
    SelectChoice("", _l("Every action")),
    SelectChoice("submit", _l("Submitting ideas")),
    SelectChoice("comment", _l("Commenting")),
    SelectChoice("vote", _l("Supporting ideas")),
    SelectChoice("budget", _l("Voting on the budget")),
]
WHO_CHOICES = [
    SelectChoice("account", _l("Anyone with a confirmed account")),
    SelectChoice(
        "area-resident", _l("Residents of the area, checked against the address register")
    ),
    SelectChoice("code", _l("Holders of a voting code for this process (letter)")),
    SelectChoice("oidc", _l("People logged in through the municipality's log-in service")),
]


class ParticipationRow(Form):
    action = SelectField(_l("For"), choices=RULE_ACTION_CHOICES, validate_choice=True)
    who = SelectMultipleField(
        _l("Who may take part (any one suffices)"),
        choices=WHO_CHOICES,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    min_age = IntegerField(
        _l("Minimum age"),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Fill in an age from 0 to 120.")),
        ],
    )
    max_age = IntegerField(
        _l("Maximum age"),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Fill in an age from 0 to 120.")),
        ],
    )
    remove = BooleanField(_l("Remove this rule"))

    def validate_who(self, field):
        if not self.data.get("remove") and not _blank(self.data) and not field.data:
            raise ValidationError(_l("Choose at least one way to take part."))


class ProcessForm(CheckedForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the process a title.")), Length(max=160)],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("In plain language: what is this process about?"),
        filters=[strip],
        validators=[Length(max=5000)],
        render_kw={"rows": 4},
    )
    area = SelectField(_l("Area"), coerce=int, validate_choice=True)
    reasons = FieldList(FormField(ReasonRow), min_entries=1)
    level = RadioField(_l("Level of participation"), choices=LEVEL_CHOICES, validators=[Optional()])
    fixed_limits = FieldList(FormField(FixedLimitRow), min_entries=1)
    open_questions = FieldList(FormField(OpenQuestionRow), min_entries=1)
    horizontal_limits = TextAreaField(
        _l("How differing views are weighed"),
        description=_l("Residents will disagree. Say how their views are weighed, and by whom."),
        filters=[strip],
        validators=[Length(max=3000)],
        render_kw={"rows": 3},
    )
    decision_maker = StringField(
        _l("Who decides"),
        description=_l(
            "For example: the municipal council, the mayor and aldermen, the wijk team."
        ),
        filters=[strip],
        validators=[Length(max=200)],
    )
    integrality = RadioField(
        _l("Which integrality"), choices=INTEGRALITY_CHOICES, validators=[Optional()]
    )
    execution_owner = StringField(
        _l("Who carries out the result"), filters=[strip], validators=[Length(max=200)]
    )
    participation_ends = RadioField(
        _l("Where participation ends"), choices=ENDS_CHOICES, validators=[Optional()]
    )
    answer_within_days = IntegerField(
        _l("Every idea gets an answer within (days)"),
        description=_l("Counted from the end of the phase in which the idea was submitted."),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_ANSWER_DAYS,
                message=_l("Fill in a number of days from 1 to %(days)d.", days=MAX_ANSWER_DAYS),
            ),
        ],
    )
    themes = FieldList(FormField(ThemeRow), min_entries=1)
    phases = FieldList(FormField(PhaseRow), min_entries=1)
    participation_rules = FieldList(FormField(ParticipationRow), min_entries=1)
    plugins = SelectMultipleField(
        _l("Parts that are on"),
        description=_l(
            "Switch off what this process does not use; its actions then disappear from the phases."
        ),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )

    change_explanation = TextAreaField(
        _l("Why the framing changes"),
        description=_l(
            "Residents read this on the process page and in the history of changes. Required when you change the framing of a published process."
        ),
        filters=[strip],
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
    )

    LISTS = ("reasons", "fixed_limits", "open_questions", "themes", "phases", "participation_rules")

    def validate_participation_rules(self, field):
        actions = [row["action"] or None for row in kept_rows(self, "participation_rules")]
        if len(actions) != len(set(actions)):
            # A plain string: a list's own errors are shown only when they are text.
            raise ValidationError(str(_l("Give each action at most one rule.")))

    def validate_themes(self, field):
        codes = [row["code"] or row["name"] for row in kept_rows(self, "themes")]
        if len(codes) != len(set(codes)):
            raise ValidationError(_l("Two themes have the same code."))


def to_utc(local: datetime | None) -> datetime | None:
    """A date-time typed in Amsterdam time, as aware UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=AMSTERDAM).astimezone(ZoneInfo("UTC"))


def to_local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None)


# Fields that always have a value (or are hidden) and so do not make a row "filled in".
ALWAYS_SET = {"reasons": ("remove", "kind"), "fixed_limits": ("remove", "id", "kind")}


def kept_rows(form: ProcessForm, name: str) -> list[dict]:
    """The rows of a repeatable part that are neither empty nor marked for removal."""
    ignore = ALWAYS_SET.get(name, ("remove",))
    return [
        entry.data
        for entry in getattr(form, name)
        if not entry.data.get("remove") and not _blank(entry.data, ignore)
    ]
