"""The forms of the area cycle: partners, people, agendas, tasks, works, decisions."""

from decimal import Decimal
from decimal import InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField
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
from wtforms.validators import Email
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import URL

from participatie.builtin.agenda import labels
from participatie.builtin.agenda.models import DOMAINS
from participatie.builtin.agenda.models import PARTNER_KINDS
from participatie.builtin.agenda.models import PERSON_ROLES
from participatie.builtin.agenda.models import TASK_STATUSES
from participatie.builtin.agenda.models import WORK_STATUSES
from participatie.builtin.agenda.service import parse_month
from participatie.forms import Form

MAX_EUROS = 1_000_000_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def web_address(form, field):
    """Only http(s) addresses become links: no ``javascript:`` or other schemes."""
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Fill in a web address that starts with https://."))


def _choices(codes, names):
    return [SelectChoice(code, names[code]) for code in codes]


class PartnerForm(Form):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in the name.")), Length(max=160)],
    )
    kind = SelectField(
        _l("Kind of organisation"), choices=_choices(PARTNER_KINDS, labels.PARTNER_KIND)
    )
    website = StringField(
        _l("Website"),
        filters=[strip],
        validators=[
            Optional(),
            web_address,
            URL(message=_l("Fill in a web address that starts with https://.")),
            Length(max=300),
        ],
    )
    contact = StringField(
        _l("How to reach them"),
        description=_l(
            "An e-mail address, a phone number or an address, as the partner wants it shown."
        ),
        filters=[strip],
        validators=[Length(max=300)],
    )
    areas = MultiCheckboxField(
        _l("Areas they work in"), choices=[], coerce=int, validate_choice=False
    )


class PersonForm(Form):
    role = SelectField(_l("Role"), choices=_choices(PERSON_ROLES, labels.PERSON_ROLE))
    role_text = StringField(
        _l("What they do"),
        description=_l("Needed for the role Other."),
        filters=[strip],
        validators=[Length(max=120)],
    )
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in the name.")), Length(max=160)],
    )
    email = StringField(
        _l("E-mail address"),
        filters=[strip],
        validators=[Optional(), Email(_l("Fill in a valid e-mail address.")), Length(max=254)],
    )
    phone = StringField(_l("Phone number"), filters=[strip], validators=[Length(max=40)])
    url = StringField(
        _l("Web page"),
        filters=[strip],
        validators=[
            Optional(),
            web_address,
            URL(message=_l("Fill in a web address that starts with https://.")),
            Length(max=300),
        ],
    )

    def validate_role_text(self, field):
        if self.role.data == "other" and not field.data:
            raise ValidationError(_l("Say what this person does."))

    def validate_url(self, field):
        if not (self.email.data or self.phone.data or field.data):
            raise ValidationError(_l("Give at least one way to reach them."))


class AgendaForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the agenda a title.")), Length(max=200)],
    )
    period_start = IntegerField(
        _l("First year"),
        validators=[
            InputRequired(_l("Fill in the first year.")),
            NumberRange(min=2000, max=2100, message=_l("Fill in a year from 2000 to 2100.")),
        ],
    )
    period_end = IntegerField(
        _l("Last year"),
        validators=[
            InputRequired(_l("Fill in the last year.")),
            NumberRange(min=2000, max=2100, message=_l("Fill in a year from 2000 to 2100.")),
        ],
    )
    adopted_on = DateField(
        _l("Adopted by the council on"),
        validators=[Optional()],
        description=_l("Leave empty while the council has not decided."),
    )
    decision_reference = StringField(
        _l("Reference of the council decision"),
        description=_l("For example the number of the raadsvoorstel (the kaderbesluit)."),
        filters=[strip],
        validators=[Length(max=300)],
    )
    focuswijken = MultiCheckboxField(
        _l("Focuswijken"), choices=[], coerce=int, validate_choice=False
    )

    def validate_period_end(self, field):
        start = self.period_start.data
        if field.data is not None and start is not None and field.data < start:
            raise ValidationError(_l("The last year cannot be before the first year."))

    def validate_decision_reference(self, field):
        if self.adopted_on.data and not field.data:
            raise ValidationError(_l("Give the reference of the council decision."))


class TaskForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the task a title.")), Length(max=200)],
    )
    domain = RadioField(
        _l("Domain"),
        choices=_choices(DOMAINS, labels.DOMAIN),
        validators=[InputRequired(_l("Choose the domain."))],
    )
    change = TextAreaField(
        _l("What should change"),
        filters=[strip],
        validators=[DataRequired(_l("Say what should change.")), Length(max=4000)],
    )
    status = SelectField(_l("Status"), choices=_choices(TASK_STATUSES, labels.TASK_STATUS))
    indicators = TextAreaField(
        _l("Indicators"),
        description=_l(
            "One a line: the key of an area figure, the baseline, the target and the year of the"
            " baseline, separated by semicolons; for example population; 29000; 30000; 2024."
            " Leave a value empty where none is stated."
        ),
        filters=[strip],
        validators=[Length(max=4000)],
    )

    def validate_indicators(self, field):
        self.parsed_indicators = parse_indicators(field.data or "")


def _number(text: str, line: int) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _l("Line %(line)d: %(value)s is not a number.", line=line, value=text)
        ) from None


def parse_indicators(text: str) -> list[tuple[str, Decimal | None, Decimal | None, int | None]]:
    """The indicator lines of the task form, checked; raises ValidationError."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) > 4 or not parts[0]:
            raise ValidationError(
                _l("Line %(line)d: give a key, then up to three values.", line=number)
            )
        parts += [""] * (4 - len(parts))
        key = parts[0]
        if len(key) > 64 or not all(c.isalnum() or c in "_-" for c in key):
            raise ValidationError(
                _l("Line %(line)d: a key has letters, digits and _ only.", line=number)
            )
        year = parts[3]
        if year and not ((year.isascii() and year.isdigit()) and 1900 <= int(year) <= 2100):
            raise ValidationError(
                _l("Line %(line)d: %(value)s is not a year.", line=number, value=year)
            )
        rows.append(
            (key, _number(parts[1], number), _number(parts[2], number), int(year) if year else None)
        )
    return rows


class MonthField(StringField):
    """A month as ``YYYY-MM`` (``<input type="month">``, typed by hand without support)."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("render_kw", {"type": "month", "placeholder": "2026-03"})
        super().__init__(label, filters=[strip], **kwargs)

    def pre_validate(self, form):
        if self.data and parse_month(self.data) is None:
            raise ValidationError(_l("Fill in a month as year-month, for example 2026-03."))

    @property
    def month(self):
        return parse_month(self.data or "")


class WorkForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the work a title.")), Length(max=200)],
    )
    description = TextAreaField(_l("What is done"), filters=[strip], validators=[Length(max=4000)])
    year = IntegerField(
        _l("Year of the execution plan"),
        validators=[
            InputRequired(_l("Fill in the year.")),
            NumberRange(min=2000, max=2100, message=_l("Fill in a year from 2000 to 2100.")),
        ],
    )
    task = SelectField(_l("Task of the agenda"), choices=[], validate_choice=False)
    starts = MonthField(
        _l("Starts in (month)"), validators=[InputRequired(_l("Fill in the month it starts."))]
    )
    ends = MonthField(
        _l("Ends in (month)"), validators=[InputRequired(_l("Fill in the month it ends."))]
    )
    owner = SelectField(_l("Carried out by"), choices=[], validate_choice=False)
    contact = StringField(
        _l("Contact for residents"), filters=[strip], validators=[Length(max=300)]
    )
    budget = IntegerField(
        _l("Budget in euros, where it is public"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_EUROS, message=_l("Fill in a whole number of euros.")),
        ],
    )
    buurten = MultiCheckboxField(_l("Buurten"), choices=[], coerce=int, validate_choice=False)

    def validate_ends(self, field):
        starts, ends = self.starts.month, field.month
        if starts and ends and ends < starts:
            raise ValidationError(_l("The end month cannot be before the start month."))

    def validate_task(self, field):
        allowed = {choice.value for choice in field.choices}
        if field.data and field.data not in allowed:
            raise ValidationError(_l("Choose a task from the list."))

    def validate_owner(self, field):
        allowed = {choice.value for choice in field.choices}
        if field.data not in allowed:
            raise ValidationError(_l("Choose who carries it out from the list."))

    def validate_buurten(self, field):
        allowed = {choice.value for choice in field.choices}
        if set(field.data or []) - allowed:
            raise ValidationError(_l("Choose buurten from the list."))


class StatusForm(Form):
    status = RadioField(
        _l("New status"),
        choices=_choices(WORK_STATUSES, labels.WORK_STATUS),
        validators=[InputRequired(_l("Choose the new status."))],
    )
    explanation = TextAreaField(
        _l("Explanation for residents"),
        description=_l("Residents read this on the work and on the ideas it came from."),
        filters=[strip],
        validators=[
            DataRequired(_l("Explain the change of status: residents read why.")),
            Length(max=2000),
        ],
    )


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("coordinated", _l("Coordinated: say what was agreed")),
            SelectChoice("not-applicable", _l("Not applicable: say why")),
        ],
        validators=[InputRequired(_l("Choose coordinated or not applicable."))],
    )
    text = TextAreaField(
        _l("What was agreed, or why it does not apply"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say what was agreed, or why it does not apply.")),
            Length(max=2000),
        ],
    )


class ProcessLinkForm(Form):
    task = SelectField(_l("Task this process serves"), choices=[], validate_choice=False)
    partner = SelectField(
        _l("Partner that carries out the outcome"),
        description=_l("Beside the free text of the framing; shown on the process page."),
        choices=[],
        validate_choice=False,
    )

    def validate_task(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a task from the list."))

    def validate_partner(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose a partner from the list."))


class LimitForm(Form):
    explanation = TextAreaField(
        _l("Why the framing changes"),
        description=_l("Needed once the process is published: residents read it in the history."),
        filters=[strip],
        validators=[Length(max=2000)],
    )


class ImportForm(Form):
    year = IntegerField(
        _l("Year of the execution plan"),
        validators=[
            InputRequired(_l("Fill in the year.")),
            NumberRange(min=2000, max=2100, message=_l("Fill in a year from 2000 to 2100.")),
        ],
    )
    file = FileField(_l("CSV file of the execution plan"))
