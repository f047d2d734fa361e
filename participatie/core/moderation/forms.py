"""Forms to report content and to hide it."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from participatie.core.moderation.service import PUBLIC_REASON_MAX
from participatie.core.moderation.service import REASON_MAX
from participatie.forms import Form


def strip(value):
    return value.strip() if isinstance(value, str) else value


class ReportForm(Form):
    kind = HiddenField()
    object_id = HiddenField()
    reason = TextAreaField(
        _l("Why should a moderator look at this?"),
        description=_l("For example: which house rule does it break? At most 1,000 characters."),
        filters=[strip],
        validators=[
            DataRequired(_l("Write why you report this.")),
            Length(max=REASON_MAX, message=_l("Write at most 1,000 characters.")),
        ],
    )


class HideForm(Form):
    public_reason = TextAreaField(
        _l("Public reason"),
        description=_l('Everyone sees: "hidden by the moderator: <your reason>".'),
        filters=[strip],
        validators=[
            DataRequired(_l("Write why you hide this; everyone will see the reason.")),
            Length(max=PUBLIC_REASON_MAX, message=_l("Write at most 500 characters.")),
        ],
    )
