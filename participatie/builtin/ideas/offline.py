"""Input gathered offline (product rule 9): one idea at a time, or many from a CSV.

A facilitator enters what residents said at a meeting, on paper or at the
door. Such an idea counts as an idea everywhere and is shown as offline input;
it has no author account, so it counts as offline input, not as a participant.
The routes are the ideas blueprint's (``ideas.create_offline``, ``ideas.import_csv``,
``ideas.import_confirm``).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from wtforms import DateField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from participatie import csvtext
from participatie.builtin.ideas.forms import IdeaForm
from participatie.builtin.ideas.models import Idea
from participatie.builtin.ideas.service import tell_facilitators
from participatie.builtin.ideas.views import bp
from participatie.builtin.ideas.views import buurten
from participatie.caching import stale
from participatie.core import audit
from participatie.core.accounts.forms import strip
from participatie.core.processes.phases import answer_deadline
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_manage
from participatie.core.roles.permissions import facilitates
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.forms import Form
from participatie.forms import text_problem

COLUMNS = ("title", "description", "theme", "buurt", "where", "when")
#: Ideas added per flush: one multi-row INSERT each, so that a city's file of
#: thousands of rows is imported in seconds, well inside a worker's time-out.
BATCH = 500
#: The most rows the web import takes; larger files go through
#: ``flask ideas import-offline``, which prints its progress.
MAX_WEB_ROWS = 10_000
#: Rows a preview lists; rows with errors are always listed.
PREVIEW_ROWS = 100


class OfflineForm(IdeaForm):
    gathered_where = StringField(
        _l("Where it was gathered"),
        description=_l("For example: bewonersavond, Wijkcentrum; paper form; at the door."),
        filters=[strip],
        validators=[DataRequired(_l("Say where it was gathered.")), Length(max=200)],
    )
    gathered_on = DateField(_l("When"), validators=[DataRequired(_l("Fill in the date."))])


def _managed(slug):
    return require_manage(process_by_slug(slug), "ideas")


def add_offline(process, entered_by, **fields) -> Idea:
    idea = Idea(process_id=process.id, offline=True, entered_by_id=entered_by.id, **fields)
    db.session.add(idea)
    db.session.flush()
    audit.record("idea.offline_create", idea, actor=entered_by, where=idea.gathered_where)
    tell_facilitators(idea)
    return idea


@bp.route("/processen/<slug>/ideeen/offline", methods=["GET", "POST"], endpoint="create_offline")
def create(slug):
    process = _managed(slug)
    form = OfflineForm()
    form.set_choices(process, buurten(process))
    if form.validate_on_submit():
        idea = add_offline(
            process,
            current_user,
            title=form.title.data,
            text=form.text.data or "",
            theme_id=form.theme.data,
            buurt_id=form.buurt.data,
            gathered_where=form.gathered_where.data,
            gathered_on=form.gathered_on.data,
        )
        db.session.commit()
        flash(_("The idea gathered offline is added."), "success")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    status = 400 if form.errors else 200
    return render_template("ideas/offline.html", process=process, form=form), status


@dataclass
class Row:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    theme_id: int | None = None
    buurt_id: int | None = None
    gathered_on: date | None = None


def check_rows(process, text: str, limit: int | None = MAX_WEB_ROWS) -> tuple[list[Row], list[str]]:
    """Every row of the CSV with its errors; file-level problems apart.

    A file of more than ``limit`` rows is refused as a whole (read no further).
    """
    reader = csvtext.dict_reader(text)
    missing = [c for c in ("title", "where", "when") if c not in (reader.fieldnames or [])]
    if missing:
        return [], [_("Columns missing: %(columns)s", columns=", ".join(missing))]
    themes = {t.code: t.id for t in process.themes}
    areas = {}
    for area in buurten(process):
        areas[area.code.lower()] = areas[area.name.lower()] = area.id
    rows = []
    try:
        for values in csvtext.rows(reader):
            if limit is not None and len(rows) == limit:
                return [], [too_many_rows(limit)]
            rows.append(_checked_row(reader.line_num, values, themes, areas))
    except csvtext.CsvBroken as broken:
        return [], [_("Line %(line)d: the file is not valid CSV.", line=broken.line)]
    if not rows:
        return [], [_("The file has no rows.")]
    return rows, []


def too_many_rows(limit: int) -> str:
    return _(
        "The file has more than %(count)s rows. Split it into smaller files, or ask an "
        "administrator to import it with the command flask ideas import-offline.",
        count=format_decimal(limit),
    )


def _checked_row(line: int, values: dict, themes: dict, areas: dict) -> Row:
    row = Row(line, {c: (values.get(c) or "").strip() for c in COLUMNS})
    title = row.values["title"]
    if not title:
        row.errors.append(_("The title is empty."))
    elif len(title) > 160:
        row.errors.append(_("The title is longer than 160 characters."))
    elif text_problem(title, multiline=False):
        row.errors.append(_("The title holds a line break or another control character."))
    if "\x00" in row.values["description"]:
        row.errors.append(_("The text holds a NUL byte."))
    if row.values["theme"]:
        row.theme_id = themes.get(row.values["theme"])
        if row.theme_id is None:
            row.errors.append(_("Unknown theme: %(theme)s", theme=row.values["theme"]))
    if row.values["buurt"]:
        row.buurt_id = areas.get(row.values["buurt"].lower())
        if row.buurt_id is None:
            row.errors.append(_("Unknown buurt: %(buurt)s", buurt=row.values["buurt"]))
    if not row.values["where"]:
        row.errors.append(_("Where it was gathered is empty."))
    try:
        row.gathered_on = date.fromisoformat(row.values["when"])
    except ValueError:
        row.errors.append(_("The date is not like 2026-03-12."))
    return row


class UploadForm(Form):
    file = FileField(_l("CSV file"))


def _signer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="offline-import")


@bp.route("/processen/<slug>/ideeen/import", methods=["GET", "POST"])
def import_csv(slug):
    """Step 1: upload, then a preview of every row with its errors."""
    process = _managed(slug)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors.append(_("Choose a file."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors.append(_("The file is not UTF-8 text."))
            else:
                rows, problems = check_rows(process, text)
                form.file.errors.extend(problems)
                if not problems:
                    return render_template(
                        "ideas/import_preview.html",
                        process=process,
                        rows=rows,
                        shown=_preview(rows),
                        payload=_signer().dumps(text),
                        ok=not any(r.errors for r in rows),
                    )
    status = 400 if form.file.errors else 200
    return render_template("ideas/import.html", process=process, form=form), status


def _preview(rows: list[Row]) -> list[Row]:
    """The rows a preview lists: those with errors, or else the first ones."""
    wrong = [row for row in rows if row.errors]
    return wrong or rows[:PREVIEW_ROWS]


@bp.post("/processen/<slug>/ideeen/import/bevestigen")
def import_confirm(slug):
    """Step 2: import every previewed row in one transaction, or none."""
    process = _managed(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        text = _signer().loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    rows, problems = check_rows(process, text)
    if problems or any(row.errors for row in rows):
        flash(_("Nothing was imported: the file has errors."), "error")
        return redirect(url_for("ideas.import_csv", slug=slug))
    import_rows(process, current_user, rows)
    db.session.commit()
    flash(_("%(count)d ideas gathered offline are imported.", count=len(rows)), "success")
    return redirect(url_for("ideas.index", slug=slug))


def import_rows(process, entered_by, rows: list[Row], progress=None) -> int:
    """Add every checked row as an offline idea, in batches; the caller commits.

    The import is one audit record and one mail to each other facilitator
    (not one per idea). ``progress(done, total)`` is called after each batch.
    """
    # One bulk INSERT per batch (the ORM would insert ideas one by one: they
    # refer to each other through ``merged_into``). Every row comes in at the
    # same moment, so it gets the same deadline, fixed as in ``deadlines``.
    now = utcnow()
    due = answer_deadline(process, now)
    ids = []
    for start in range(0, len(rows), BATCH):
        values = [
            {
                "process_id": process.id,
                "offline": True,
                "entered_by_id": entered_by.id,
                "title": row.values["title"],
                "text": row.values["description"],
                "theme_id": row.theme_id,
                "buurt_id": row.buurt_id,
                "gathered_where": row.values["where"],
                "gathered_on": row.gathered_on,
                "created_at": now,
                "updated_at": now,
                "answer_due_at": due,
            }
            for row in rows[start : start + BATCH]
        ]
        ids += db.session.scalars(sa.insert(Idea).returning(Idea.id), values).all()
        # A Core insert: the cached figures of the process do not see it by themselves.
        stale(process.id)
        if progress is not None:
            progress(len(ids), len(rows))
    if ids:
        audit.record(
            "idea.offline_import", process, actor=entered_by, rows=len(ids), first_id=min(ids)
        )
        _tell_facilitators_of_import(process, entered_by, len(ids), due)
    return len(ids)


def _tell_facilitators_of_import(process, entered_by, count: int, due) -> None:
    from participatie.core.mail.sending import external_url
    from participatie.core.notifications.service import facilitators_of
    from participatie.core.notifications.service import notify

    url = external_url("ideas.index", slug=process.slug)
    for user in facilitators_of(process):
        if user.id != entered_by.id:
            notify(
                user,
                "ideas/mail/offline_import",
                process=process,
                count=count,
                entered_by=entered_by,
                due=due,
                url=url,
            )


def facilitator_menu(process, **context):
    if not facilitates(current_user, process):
        return ""
    return render_template("ideas/_facilitator_menu.html", process=process)
