"""Administration pages; every one of them is for administrators only."""

import sqlalchemy as sa
from flask import abort
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from participatie.core import audit
from participatie.core.accounts import register
from participatie.core.accounts.models import User
from participatie.core.admin.forms import ImportForm
from participatie.core.admin.forms import PlacementForm
from participatie.core.admin.forms import RegisterForm
from participatie.core.admin.forms import RoleForm
from participatie.core.admin.forms import SearchForm
from participatie.core.admin.forms import StadsdeelForm
from participatie.core.areas.importer import import_areas
from participatie.core.areas.models import Area
from participatie.core.areas.queries import municipality
from participatie.core.audit.models import AuditEvent
from participatie.core.mail.about import WITHHELD
from participatie.core.mail.models import OutboxMessage
from participatie.core.mail.sending import MAX_ATTEMPTS
from participatie.core.mail.sending import outbox_counts
from participatie.core.mail.sending import retry_failed
from participatie.core.paging import page_arg
from participatie.core.processes.labels import AREA_LEVEL
from participatie.core.processes.models import Process
from participatie.core.roles.models import RoleAssignment
from participatie.core.roles.permissions import is_admin
from participatie.extensions import db
from participatie.extensions import login_manager
from participatie.extensions import utcnow
from participatie.forms import Form

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PAGE_SIZE = 50


@bp.before_request
def administrators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_admin(current_user):
        abort(403)
    return None


def _page() -> int:
    return page_arg("page")


@bp.get("/")
def index():
    counts = {
        "accounts": db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        "areas": db.session.scalar(sa.select(sa.func.count()).select_from(Area)),
        "processes": db.session.scalar(sa.select(sa.func.count()).select_from(Process)),
        "events": db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
    }
    return render_template("admin/index.html", counts=counts, mail=outbox_counts())


@bp.get("/mail")
def mail():
    """The outbox: what waits, what failed and why, with a button to try the failed again."""
    unsent = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.failed_at.is_(None), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)
    )
    return render_template(
        "admin/mail.html",
        counts=outbox_counts(),
        messages=db.session.scalars(unsent).all(),
        form=Form(),
        max_attempts=MAX_ATTEMPTS,
        withheld=WITHHELD,
    )


@bp.post("/mail/opnieuw")
def retry_mail():
    if not Form().validate_on_submit():
        abort(400)
    count = retry_failed()
    audit.record("mail.retry", OutboxMessage, label="outbox", count=count)
    db.session.commit()
    flash(
        ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count),
        "success",
    )
    return redirect(url_for("admin.mail"))


@bp.get("/accounts")
def accounts():
    form = SearchForm(request.args)
    query = sa.select(User).options(selectinload(User.roles)).order_by(User.email)
    if form.q.data:
        pattern = f"%{form.q.data.lower()}%"
        query = query.where(
            sa.or_(User.email.like(pattern), sa.func.lower(User.display_name).like(pattern))
        )
    page = _page()
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    return render_template(
        "admin/accounts.html",
        form=form,
        users=rows[:PAGE_SIZE],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
    )


def _role_form(formdata=None) -> RoleForm:
    form = RoleForm(formdata=formdata) if formdata is not None else RoleForm()
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    order = {"gemeente": 0, "stadsdeel": 1, "wijk": 2, "buurt": 3}
    form.area_id.choices = [SelectChoice("", _("(none)"))] + [
        SelectChoice(a.id, f"{AREA_LEVEL[a.level]}: {a.display_name} ({a.code})")
        for a in sorted(areas, key=lambda a: (order[a.level], a.code))
    ]
    processes = db.session.scalars(sa.select(Process).order_by(Process.title)).all()
    form.process_id.choices = [SelectChoice("", _("(none)"))] + [
        SelectChoice(p.id, p.title) for p in processes
    ]
    return form


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/accounts/<int:user_id>")
def account(user_id):
    return _account_page(_account(user_id), _role_form())


def _account_page(user, form, status=200, **forms):
    from participatie.core.admin.owner_requests import owner_request_forms

    return (
        render_template(
            "admin/account.html",
            user=user,
            form=form,
            action_form=FlaskForm(),
            **(forms or owner_request_forms()),
        ),
        status,
    )


@bp.post("/accounts/<int:user_id>/rollen")
def add_role(user_id):
    user = _account(user_id)
    form = _role_form(request.form)
    if not form.validate_on_submit():
        return _account_page(user, form, 400)
    area = db.session.get(Area, form.area_id.data) if form.area_id.data else None
    process = db.session.get(Process, form.process_id.data) if form.process_id.data else None
    duplicate = any(
        r.role == form.role.data
        and r.area_id == (area.id if area else None)
        and r.process_id == (process.id if process else None)
        for r in user.roles
    )
    if duplicate:
        form.role.errors.append(_("The account already has this role."))
        return _account_page(user, form, 400)
    role = RoleAssignment(user=user, role=form.role.data, area=area, process=process)
    db.session.add(role)
    audit.record(
        "role.assign",
        user,
        role=role.role,
        area=area.code if area else None,
        process=process.slug if process else None,
    )
    db.session.commit()
    flash(_("The role is added."), "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/rollen/<int:role_id>/verwijderen")
def remove_role(user_id, role_id):
    user = _account(user_id)
    role = db.session.get(RoleAssignment, role_id)
    form = FlaskForm()
    if role is None or role.user_id != user.id:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    if role.role == "administrator" and user.id == current_user.id:
        flash(_("You cannot remove your own administrator role."), "error")
        return redirect(url_for("admin.account", user_id=user.id))
    audit.record(
        "role.remove",
        user,
        role=role.role,
        area=role.area.code if role.area else None,
        process=role.process.slug if role.process else None,
    )
    db.session.delete(role)
    db.session.commit()
    flash(_("The role is removed."), "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/blokkeren")
def block(user_id):
    user = _account(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot block your own account."), "error")
    elif user.blocked_at is None:
        user.blocked_at = utcnow()
        # Blocking ends every session of the account at once.
        user.rotate_session_token()
        audit.record("account.block", user)
        db.session.commit()
        flash(_("The account is blocked."), "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.post("/accounts/<int:user_id>/deblokkeren")
def unblock(user_id):
    user = _account(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if user.blocked_at is not None:
        user.blocked_at = None
        audit.record("account.unblock", user)
        db.session.commit()
        flash(_("The account is no longer blocked."), "success")
    return redirect(url_for("admin.account", user_id=user.id))


def _areas_page(stadsdeel_form=None, placement_form=None, import_form=None, errors=(), status=200):
    gemeente = municipality()
    stadsdelen = [a for a in gemeente.children if a.level == "stadsdeel"] if gemeente else []
    wijken = db.session.scalars(
        sa.select(Area).where(Area.level == "wijk").order_by(Area.code)
    ).all()
    placement_form = placement_form or PlacementForm(formdata=None)
    _placement_choices(placement_form, wijken, gemeente, stadsdelen)
    return (
        render_template(
            "admin/areas.html",
            gemeente=gemeente,
            stadsdelen=stadsdelen,
            wijken=wijken,
            stadsdeel_form=stadsdeel_form or StadsdeelForm(formdata=None),
            placement_form=placement_form,
            import_form=import_form or ImportForm(formdata=None),
            errors=errors,
        ),
        status,
    )


def _placement_choices(form, wijken, gemeente, stadsdelen):
    form.wijk.choices = [SelectChoice(w.id, f"{w.display_name} ({w.code})") for w in wijken]
    parents = ([gemeente] if gemeente else []) + list(stadsdelen)
    form.parent.choices = [SelectChoice(p.id, f"{p.display_name} ({p.code})") for p in parents]


@bp.get("/gebieden")
def areas():
    return _areas_page()


@bp.post("/gebieden/stadsdelen")
def add_stadsdeel():
    form = StadsdeelForm()
    gemeente = municipality()
    if gemeente is None:
        abort(404)
    if not form.validate_on_submit():
        return _areas_page(stadsdeel_form=form, status=400)
    if db.session.scalar(sa.select(Area).where(Area.code == form.code.data)):
        form.code.errors.append(_("An area with this code exists already."))
        return _areas_page(stadsdeel_form=form, status=400)
    area = Area(code=form.code.data, name=form.name.data, level="stadsdeel", parent=gemeente)
    db.session.add(area)
    audit.record("area.create", area, level="stadsdeel")
    db.session.commit()
    flash(_("The district is added."), "success")
    return redirect(url_for("admin.areas"))


@bp.post("/gebieden/indeling")
def place_wijk():
    form = PlacementForm()
    gemeente = municipality()
    if gemeente is None:
        abort(404)
    stadsdelen = [a for a in gemeente.children if a.level == "stadsdeel"]
    wijken = db.session.scalars(sa.select(Area).where(Area.level == "wijk")).all()
    _placement_choices(form, wijken, gemeente, stadsdelen)
    if not form.validate_on_submit():
        return _areas_page(placement_form=form, status=400)
    wijk = db.session.get(Area, form.wijk.data)
    parent = db.session.get(Area, form.parent.data)
    before = wijk.parent.code if wijk.parent else None
    wijk.parent = parent
    audit.record("area.place", wijk, parent_before=before, parent_after=parent.code)
    db.session.commit()
    flash(
        _("%(wijk)s now lies in %(parent)s.", wijk=wijk.display_name, parent=parent.display_name),
        "success",
    )
    return redirect(url_for("admin.areas"))


@bp.post("/gebieden/import")
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        return _areas_page(import_form=form, status=400)
    raw = form.file.data.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.file.errors.append(_("The file is not UTF-8 text."))
        return _areas_page(import_form=form, status=400)
    report = import_areas(text, current_app.config["MUNICIPALITY"])
    if not report.ok:
        db.session.rollback()
        return _areas_page(import_form=form, errors=report.errors, status=400)
    gemeente = municipality()
    audit.record(
        "area.import",
        gemeente,
        label=form.file.data.filename or "",
        created=report.created,
        updated=report.updated,
    )
    db.session.commit()
    flash(
        _(
            "Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        ),
        "success",
    )
    return redirect(url_for("admin.areas"))


@bp.route("/adresregister", methods=["GET", "POST"])
def address_register():
    """Import the address register (all or nothing) and set the most accounts per address."""
    current = register.settings()
    form = RegisterForm(max_per_address=current.max_per_address)
    problems = []
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        imported = None
        if upload is not None and getattr(upload, "filename", ""):
            result = register.import_csv(upload.stream)
            if result.problems:
                db.session.rollback()
                problems = result.problems
            else:
                imported = result.addresses
        if not problems:
            current = register.settings()
            current.max_per_address = form.max_per_address.data
            audit.record(
                "register.update",
                current,
                addresses=imported,
                max_per_address=current.max_per_address,
            )
            db.session.commit()
            if imported is not None:
                flash(
                    ngettext(
                        "Imported: %(num)d address.", "Imported: %(num)d addresses.", imported
                    ),
                    "success",
                )
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("admin.address_register"))
    status = 400 if form.errors or problems else 200
    return render_template(
        "admin/address_register.html", form=form, settings=current, problems=problems
    ), status


@bp.get("/audit")
def audit_log():
    page = _page()
    query = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action == action)
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    actions = db.session.scalars(
        sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    return render_template(
        "admin/audit.html",
        events=rows[:PAGE_SIZE],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        action=action,
        actions=actions,
    )
