"""Pages of who may take part: voting codes (making and using them) and the year of birth."""

import io
import zipfile

from flask import abort
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import Response
from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from participatie.core import audit
from participatie.core.accounts import codes
from participatie.core.accounts import letters
from participatie.core.accounts import register
from participatie.core.accounts import verification
from participatie.core.accounts.forms import strip
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.guards import require_read
from participatie.extensions import db
from participatie.extensions import login_manager
from participatie.extensions import utcnow
from participatie.forms import Form

bp = Blueprint("codes", __name__)

MAX_COUNT = 100_000


class GenerateForm(Form):
    source = RadioField(
        _l("How many codes"),
        choices=[
            SelectChoice("count", _l("A number of codes")),
            SelectChoice("addresses", _l("One code per address, from an address list")),
        ],
        default="count",
        validators=[DataRequired(_l("Choose how many codes to make."))],
    )
    count = IntegerField(
        _l("Number of codes"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_COUNT, message=_l("Fill in a number from 1 to 100,000.")),
        ],
    )
    addresses = FileField(
        _l("Address list (CSV)"),
        description=_l(
            "UTF-8, separated by ;, with the header row postcode;huisnummer;toevoeging;buurtcode (the buurt code may be empty). The list is used for the letters and then deleted."
        ),
    )


class RedeemForm(Form):
    code = StringField(
        _l("Your voting code"),
        description=_l("It is on the letter: three groups of four letters and digits."),
        filters=[strip],
        validators=[DataRequired(_l("Fill in the voting code from your letter.")), Length(max=40)],
    )


def birth_year_form():
    year = utcnow().year

    class BirthYearForm(Form):
        birth_year = IntegerField(
            _l("Your year of birth"),
            description=_l(
                "We keep only the year, with your voluntary details, not with your name."
            ),
            validators=[
                DataRequired(_l("Fill in your year of birth, for example 2010.")),
                NumberRange(
                    min=year - 120,
                    max=year,
                    message=_l(
                        "Fill in a year from %(low)d to %(high)d.", low=year - 120, high=year
                    ),
                ),
            ],
        )

    return BirthYearForm()


class AddressForm(Form):
    postcode = StringField(_l("Postcode"), filters=[strip], validators=[Optional(), Length(max=7)])
    house_number = StringField(
        _l("House number"), filters=[strip], validators=[Optional(), Length(max=6)]
    )
    addition = StringField(
        _l("Addition"),
        description=_l("For example A or 2; leave empty when there is none."),
        filters=[strip],
        validators=[Optional(), Length(max=8)],
    )
    use_buurt = BooleanField(_l("Also use the buurt of this address as my buurt"), default=True)


def address_form(formdata=None):
    profile = (
        db.session.get(ParticipantProfile, current_user.id)
        if current_user.is_authenticated
        else None
    )
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = AddressForm(**kwargs)
    if formdata is None and profile is not None and profile.postcode:
        form.postcode.data = profile.postcode
        form.house_number.data = str(profile.house_number or "")
        form.addition.data = profile.addition
    return form, profile


@bp.post("/account/adres")
@login_required
def update_address():
    """State (or remove) the address that the address register checks."""
    form, _profile = address_form(formdata=...)
    if not form.validate_on_submit():
        flash(_("Fill in a postcode and a house number."), "error")
        return redirect(url_for("accounts.account") + "#address-heading")
    if request.form.get("action") == "remove" or not (form.postcode.data or form.house_number.data):
        register.forget_address(current_user.id)
        db.session.commit()
        flash(_("Your address is removed."), "success")
        return redirect(url_for("accounts.account") + "#address-heading")
    parsed = register.parse_address(
        form.postcode.data or "", form.house_number.data or "", form.addition.data or ""
    )
    if not isinstance(parsed, tuple):
        flash(str(parsed), "error")
        return redirect(url_for("accounts.account") + "#address-heading")
    try:
        register.check_address(current_user.id, *parsed, use_buurt=form.use_buurt.data)
    except register.AddressRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(url_for("accounts.account") + "#address-heading")
    db.session.commit()
    flash(_("Your address is checked against the address register."), "success")
    return redirect(url_for("accounts.account") + "#address-heading")


# --- Facilitators: making codes ---------------------------------------------------------


@bp.route("/processen/<slug>/stemcodes", methods=["GET", "POST"])
def manage(slug):
    """Generate codes and download, in the same answer, the letters and the mailing list."""
    process = require_manage(process_by_slug(slug))
    form = GenerateForm()
    problems = []
    if request.method == "POST" and form.validate_on_submit():
        addresses = None
        if form.source.data == "addresses":
            upload = form.addresses.data
            if upload is None or not getattr(upload, "filename", ""):
                form.addresses.errors = [_("Choose the address list (a CSV file).")]
            else:
                try:
                    text = upload.read(30 * 1024 * 1024).decode("utf-8-sig")
                except UnicodeDecodeError:
                    form.addresses.errors = [_("The file is not UTF-8 text.")]
                else:
                    read = letters.read_addresses(text, process)
                    problems = read.problems
                    addresses = read.addresses
        elif form.count.data is None:
            form.count.errors = [_("Fill in a number from 1 to 100,000.")]
        if not form.errors and not problems:
            count = len(addresses) if addresses else form.count.data
            return _generated(process, count, addresses)
    made, used = codes.counts(process.id)
    status = 400 if form.errors or problems else 200
    return render_template(
        "codes/manage.html",
        process=process,
        form=form,
        problems=problems,
        made=made,
        used=used,
        closes=letters.closing(process),
    ), status


def _generated(process, count, addresses):
    made = codes.generate(process, count)
    pdf = letters.letters_pdf(process, made, addresses)
    csv = letters.mailing_csv(made, addresses)
    audit.record("codes.generate", process, count=len(made), from_addresses=bool(addresses))
    db.session.commit()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("brieven.pdf", pdf)
        zipped.writestr("stemcodes.csv", csv)
    name = f"stemcodes-{process.slug}-{utcnow():%Y%m%d-%H%M}.zip"
    return Response(
        archive.getvalue(),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


# --- Residents: using a code ---------------------------------------------------------------


def _after_code(process):
    """Where a new code holder goes: the year of birth when asked for, else the process."""
    person = verification.participant(process)
    if person is not None and verification.birth_year_of(person) is None:
        if any(rule.has_age_limit for rule in verification.rules_of(process)):
            return redirect(url_for("codes.birth_year", slug=process.slug))
    return redirect(url_for("processes.detail", slug=process.slug))


@bp.route("/processen/<slug>/stemcode", methods=["GET", "POST"])
def redeem(slug):
    process = require_read(process_by_slug(slug))
    form = RedeemForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:40]
    holder = (
        codes.is_holder(process.id, current_user.id)
        if current_user.is_authenticated
        else codes.session_holder(process) is not None
    )
    message = None
    if request.method == "POST" and form.validate_on_submit():
        if process.status != "published":
            message = _("This process is not open.")
            form.code.errors = [message]
        elif holder:
            flash(_("You have used a voting code for this process already."), "info")
            return _after_code(process)
        else:
            user = current_user._get_current_object() if current_user.is_authenticated else None
            result = codes.redeem(process, form.code.data, request.remote_addr or "?", user)
            if result.ok:
                if user is None:
                    codes.remember_in_session(process, result.user_id)
                audit.record("codes.used", process)
                db.session.commit()
                flash(_("Your voting code is accepted. You can take part now."), "success")
                return _after_code(process)
            db.session.commit()
            if result.reason == "already":
                flash(_("You have used a voting code for this process already."), "info")
                return _after_code(process)
            if result.reason == "locked":
                message = _(
                    "Too many wrong codes were tried. Try again after %(time)s.",
                    time=format_datetime(result.locked_until, "HH:mm"),
                )
            else:
                message = _(
                    "This code is not right, or it was used already. Check the code on your letter."
                )
            form.code.errors = [message]
    status = 400 if form.errors else 200
    return render_template(
        "codes/redeem.html", process=process, form=form, holder=holder, message=message
    ), status


@bp.route("/processen/<slug>/geboortejaar", methods=["GET", "POST"])
def birth_year(slug):
    """The year of birth, asked once, for a process with an age limit."""
    process = require_read(process_by_slug(slug))
    person = verification.participant(process)
    if person is None:
        abort(login_manager.unauthorized())
    known = verification.birth_year_of(person)
    form = birth_year_form()
    if known is None and request.method == "POST" and form.validate_on_submit():
        profile = db.session.get(ParticipantProfile, person.id)
        if profile is None:
            profile = ParticipantProfile(user_id=person.id)
            db.session.add(profile)
        profile.birth_year = form.birth_year.data
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("processes.detail", slug=slug))
    if request.method == "POST" and known is not None:
        abort(409)
    status = 400 if form.errors else 200
    return render_template(
        "codes/birth_year.html",
        process=process,
        form=form,
        known=known,
        sentences=verification.described(process),
    ), status
