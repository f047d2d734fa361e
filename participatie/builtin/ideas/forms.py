"""Idea forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from participatie.builtin.ideas import photos
from participatie.core.accounts.forms import strip
from participatie.forms import Form


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class IdeaForm(Form):
    title = StringField(
        _l("Title"),
        description=_l("Your idea in a few words."),
        filters=[strip],
        validators=[
            DataRequired(_l("Give your idea a title.")),
            Length(max=160, message=_l("A title has at most 160 characters.")),
        ],
    )
    text = TextAreaField(
        _l("Description"),
        description=_l(
            "What do you propose, and why? Write as in an email: an empty line starts a new"
            " paragraph, a line that starts with a dash (-) becomes a list. “See a preview” shows"
            " how it will look."
        ),
        filters=[strip],
        validators=[Length(max=10000, message=_l("A description has at most 10,000 characters."))],
        render_kw={"rows": 8},
    )
    theme = SelectField(_l("Theme"), coerce=optional_int, validate_choice=True)
    buurt = SelectField(_l("Buurt"), coerce=optional_int, validate_choice=True)
    photo = FileField(
        _l("Photo (JPEG or PNG, at most 5 MB)"),
        description=_l("We remove hidden data such as the place where it was taken."),
    )
    photo_alt = StringField(
        _l("What is in the photo"),
        description=_l("For people who cannot see the photo. Needed when you add one."),
        filters=[strip],
        validators=[Length(max=300)],
    )

    def set_choices(self, process, buurten):
        self.theme.choices = [SelectChoice("", _l("(no theme)"))] + [
            SelectChoice(theme.id, theme.name) for theme in process.themes
        ]
        self.buurt.choices = [SelectChoice("", _l("(no buurt)"))] + [
            SelectChoice(buurt.id, buurt.name) for buurt in buurten
        ]

    def has_photo(self) -> bool:
        upload = self.photo.data
        return upload is not None and bool(getattr(upload, "filename", ""))

    def validate_photo_alt(self, field):
        if self.has_photo() and not field.data:
            raise ValidationError(_l("Describe what is in the photo."))

    def store_photo(self) -> tuple[str, str] | None:
        """Store the uploaded photo: its ``(file name, type)``, or None without an upload.

        A refused file raises ``photos.PhotoRefused``, its message on the photo field.
        """
        if not self.has_photo():
            return None
        try:
            return photos.store(self.photo.data.read())
        except photos.PhotoRefused as refused:
            self.photo.errors = [str(refused)]
            raise


class UpdateForm(Form):
    text = TextAreaField(
        _l("Update"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write your update.")),
            Length(max=5000, message=_l("An update has at most 5,000 characters.")),
        ],
        render_kw={"rows": 4},
    )


class FilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip])
    theme = SelectField(_l("Theme"), validate_choice=False)
    buurt = SelectField(_l("Buurt"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    sort = SelectField(
        _l("Order"),
        choices=[
            SelectChoice("newest", _l("Newest first")),
            SelectChoice("supports", _l("Most supported first")),
            SelectChoice("random", _l("Random order")),
        ],
        validate_choice=False,
    )
