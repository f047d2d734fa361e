"""The life of a process: saving its framing, publishing, phases, closing, reopening.

Product rule 10 holds for the whole life of a process, not only at
publication: a public process is saved only when the framing check passes,
every change to its framing carries a public explanation and becomes a
revision, and the people it concerns hear of the changes that matter most.
Each function adds to the current transaction; callers commit.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from participatie import plugins
from participatie.core import audit
from participatie.core.mail.sending import external_url
from participatie.core.notifications.service import followers
from participatie.core.notifications.service import notify
from participatie.core.processes import revisions
from participatie.core.processes import service
from participatie.core.processes.forms import kept_rows
from participatie.core.processes.forms import ProcessForm
from participatie.core.processes.framing import check_framing
from participatie.core.processes.framing import FramingCheck
from participatie.core.processes.models import FramingRevision
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.phases import close_current_phase
from participatie.core.processes.phases import current_phase
from participatie.dbutil import referenced_ids
from participatie.extensions import db
from participatie.extensions import utcnow
from participatie.signals import framing_changed


@dataclass
class Saved:
    """What became of a save: ``refused`` keeps the form as typed, with its messages."""

    process: Process | None
    check: FramingCheck | None = None
    refused: bool = False
    revision: FramingRevision | None = None


def save_from_form(form: ProcessForm, process: Process | None, area, actor, publish=False):
    """Save the form onto ``process`` (None: a new draft), publishing it when asked."""
    if process is None or process.status == "draft":
        return _save_draft(form, process, area, actor, publish)
    return _save_public(form, process, area, actor)


def _save_draft(form, process, area, actor, publish) -> Saved:
    created = process is None
    if created:
        process = service.new_process(area, actor)
    before = {} if created else _audit_snapshot(process)
    service.apply_form(form, process, area)
    service.save(process)
    changes = revisions.differences(before, _audit_snapshot(process), _AUDITED)
    audit.record("process.create" if created else "process.update", process, changes=changes)
    check = publish_process(process, actor) if publish else None
    return Saved(process, check)


def _save_public(form, process, area, actor) -> Saved:
    # The form is first applied to a throw-away copy: a refused save must
    # leave the stored process exactly as residents know it.
    proposed = Process(status=process.status)
    service.apply_form(form, proposed, area)
    check = check_framing(proposed, stored_id=process.id)
    if not check.ok:
        return Saved(process, check, refused=True)
    removed = _removed_limits(form, process)
    cited = referenced_ids("process_fixed_limit", [limit.id for limit in removed])
    if cited:
        _mark_cited(form, cited)
        return Saved(process, check, refused=True)
    changes = revisions.differences(revisions.snapshot(process), revisions.snapshot(proposed))
    explanation = (form.change_explanation.data or "").strip()
    if changes and not explanation:
        form.change_explanation.errors = [
            _l("Explain to residents why the framing changes; they read it on the process page.")
        ]
        return Saved(process, check, refused=True)
    before = _audit_snapshot(process)
    service.apply_form(form, process, area)
    audit.record(
        "process.update",
        process,
        changes=revisions.differences(before, _audit_snapshot(process), _AUDITED),
    )
    revision = None
    if changes:
        revision = revisions.add_revision(process, changes, explanation, actor)
        audit.record("process.framing_revised", process, number=revision.number)
        framing_changed.send(current_app._get_current_object(), process=process)
        if revisions.is_major(changes, len(removed)):
            tell_everyone(process, revision)
    return Saved(process, check, revision=revision)


def publish_process(process: Process, actor=None) -> FramingCheck:
    """Publish a draft when the framing check passes; return the check either way."""
    result = check_framing(process)
    if process.status != "draft":
        return result
    if not result.ok:
        audit.record(
            "process.publish_refused", process, problems=sorted(f.code for f in result.blocking)
        )
        return result
    process.status = "published"
    process.published_at = utcnow()
    db.session.flush()
    revisions.add_revision(process, [], "", actor, kind="publish")
    audit.record("process.publish", process)
    framing_changed.send(current_app._get_current_object(), process=process)
    return result


def close_phase(process: Process, now: datetime, explanation: str = "", actor=None):
    """End the current phase now; return ``(closed, started)``, or None when none is current.

    The next phase starts at once. Its followers hear of it, and the change of
    the phases is a revision like any other change of the framing.
    """
    closed = current_phase(process, now)
    if closed is None or process.status != "published":
        return None
    before = revisions.snapshot(process)
    started = close_current_phase(process, now)
    revision = revisions.add_revision(
        process,
        revisions.differences(before, revisions.snapshot(process)),
        explanation,
        actor,
        kind="close-phase",
    )
    audit.record(
        "process.close_phase",
        process,
        phase=closed.name,
        next_phase=started.name if started else None,
        revision=revision.number,
    )
    framing_changed.send(current_app._get_current_object(), process=process)
    url = external_url("processes.detail", slug=process.slug)
    for follower in followers("process", process.id):
        notify(follower, "phase_started", process=process, phase=started, url=url)
    return closed, started


def close(process: Process, explanation: str = "", actor=None) -> bool:
    """Close a published process: every action stops and no phase is current."""
    if process.status != "published":
        return False
    process.status = "closed"
    process.closed_at = utcnow()
    change = [{"field": "status", "old": "published", "new": "closed"}]
    revision = revisions.add_revision(process, change, explanation, actor, kind="close")
    audit.record("process.close", process, revision=revision.number)
    framing_changed.send(current_app._get_current_object(), process=process)
    url = external_url("processes.detail", slug=process.slug)
    for follower in followers("process", process.id):
        notify(follower, "process_closed", process=process, explanation=explanation, url=url)
    return True


def reopen(process: Process, explanation: str, actor=None) -> bool:
    """Reopen a closed process, with a public explanation; everyone concerned hears of it."""
    if process.status != "closed" or not explanation.strip():
        return False
    process.status = "published"
    process.closed_at = None
    change = [{"field": "status", "old": "closed", "new": "published"}]
    revision = revisions.add_revision(process, change, explanation.strip(), actor, kind="reopen")
    audit.record("process.reopen", process, revision=revision.number)
    framing_changed.send(current_app._get_current_object(), process=process)
    tell_everyone(process, revision)
    return True


def tell_everyone(process: Process, revision: FramingRevision) -> int:
    """Notify each follower and participant of ``process`` of ``revision``, once each."""
    from participatie.core.accounts.models import User

    people = {user.id: user for user in followers("process", process.id)}
    ids = plugins.participant_ids(process) - set(people)
    if ids:
        people.update(
            {user.id: user for user in db.session.scalars(db.select(User).where(User.id.in_(ids)))}
        )
    url = external_url("processes.history", slug=process.slug)
    for user in people.values():
        notify(user, "framing_changed", process=process, revision=revision, url=url)
    return len(people)


def phase_actions_stopping(process: Process, phase: Phase | None) -> list[str]:
    """The actions residents can do now that stop when ``phase`` ends."""
    return plugins.enabled_actions(process, phase)


def _removed_limits(form, process) -> list:
    kept = {str(row.get("id") or "") for row in kept_rows(form, "fixed_limits")}
    return [limit for limit in process.fixed_limits if str(limit.id) not in kept]


def _mark_cited(form, cited: set[int]) -> None:
    message = _l(
        "An answer cites this fixed limit, so it cannot be removed. Fill in since when it no longer applies instead."
    )
    for entry in form.fixed_limits:
        if str(entry.form.id.data or "") in {str(value) for value in cited}:
            target = entry.form.remove if entry.form.remove.data else entry.form.title
            target.errors = [*target.errors, message]


_AUDITED = ("title", "summary", "area", "themes", "plugins", *revisions.FIELDS)


def _audit_snapshot(process: Process) -> dict:
    values = revisions.snapshot(process)
    values.update(
        title=process.title,
        summary=process.summary,
        area=process.area.code if process.area else None,
        themes=[f"{theme.code}: {theme.name}" for theme in process.themes],
        plugins=sorted(plugins.enabled_names(process)),
    )
    return values
