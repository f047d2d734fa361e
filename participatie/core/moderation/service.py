"""Reporting content, and handling reports: plain functions, testable without a request.

Every function works in the caller's transaction and never commits.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from participatie.core import audit
from participatie.core.accounts.models import User
from participatie.core.accounts.service import external_url
from participatie.core.mail.sending import queue_mail
from participatie.core.moderation.models import Report
from participatie.core.moderation.registry import get_kind
from participatie.core.moderation.registry import Kind
from participatie.core.roles.models import RoleAssignment
from participatie.core.roles.permissions import can_read
from participatie.extensions import db
from participatie.extensions import utcnow

REASON_MAX = 1000
PUBLIC_REASON_MAX = 500
PAGE_SIZE = 25


class NotReportable(Exception):
    """The content does not exist, is not shown, or its process is not readable."""


class AlreadyReported(Exception):
    """This account has an open report about this content already."""


@dataclass
class Reportable:
    kind: Kind
    obj: object
    process: object


@dataclass
class ReportItem:
    """An open report with the content it is about (None when that was deleted)."""

    report: Report
    kind: Kind | None
    obj: object | None


def find_reportable(user, kind_name: str, object_id) -> Reportable:
    """The content ``user`` may report, or ``NotReportable``."""
    kind = get_kind(kind_name or "")
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise NotReportable from None
    obj = kind.load(object_id) if kind is not None else None
    if obj is None or not kind.visible(obj):
        raise NotReportable
    process = kind.process_of(obj)
    if process is None or not can_read(user, process):
        raise NotReportable
    return Reportable(kind, obj, process)


def has_open_report(user, kind_name: str, object_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(Report.id).where(
                Report.kind == kind_name,
                Report.object_id == object_id,
                Report.reporter_id == user.id,
                Report.resolved_at.is_(None),
            )
        )
        is not None
    )


def report(user, kind_name: str, object_id, reason: str) -> Report:
    """File a report and queue a mail to the people who moderate the process."""
    target = find_reportable(user, kind_name, object_id)
    if has_open_report(user, target.kind.name, target.obj.id):
        raise AlreadyReported
    row = Report(
        process_id=target.process.id,
        kind=target.kind.name,
        object_id=target.obj.id,
        reporter_id=user.id,
        reason=reason.strip()[:REASON_MAX],
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError:
        # The same report, sent at the same moment, was stored first.
        raise AlreadyReported from None
    for moderator in moderators_of(target.process, exclude=user):
        queue_mail(
            moderator.email,
            "new_report",
            moderator.locale,
            moderator=moderator,
            process=target.process,
            kind=target.kind,
            content=target.kind.describe(target.obj),
            reason=row.reason,
            url=external_url("moderation.reports", slug=target.process.slug),
        )
    return row


def moderators_of(process, exclude=None) -> list[User]:
    """Who is told of a new report: the facilitators of the process or of an area
    it lies in; when there are none, the administrators, so that no report goes
    unseen. Accounts that cannot log in are left out."""
    area_ids = [process.area.id] + [area.id for area in process.area.ancestors()]
    facilitator = sa.and_(
        RoleAssignment.role == "facilitator",
        sa.or_(RoleAssignment.process_id == process.id, RoleAssignment.area_id.in_(area_ids)),
    )
    people = _with_role(facilitator)
    if not people:
        people = _with_role(RoleAssignment.role == "administrator")
    excluded = getattr(exclude, "id", None)
    return [person for person in people if person.is_active and person.id != excluded]


def _with_role(condition) -> list[User]:
    ids = sa.select(RoleAssignment.user_id).where(condition)
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)))


def open_reports(process, page: int = 1) -> tuple[list[ReportItem], bool]:
    """The open reports of ``process``, oldest first, one page; and whether more follow."""
    rows = list(
        db.session.scalars(
            sa.select(Report)
            .where(Report.process_id == process.id, Report.resolved_at.is_(None))
            .options(sa.orm.joinedload(Report.reporter))
            .order_by(Report.created_at, Report.id)
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    items = []
    for row in rows[:PAGE_SIZE]:
        kind = get_kind(row.kind)
        items.append(ReportItem(row, kind, kind.load(row.object_id) if kind else None))
    return items, len(rows) > PAGE_SIZE


def open_report(process, report_id: int) -> Report | None:
    return db.session.scalar(
        sa.select(Report).where(
            Report.id == report_id,
            Report.process_id == process.id,
            Report.resolved_at.is_(None),
        )
    )


def open_report_counts(processes) -> dict[int, int]:
    """``{process id: number of open reports}`` in one query."""
    ids = [process.id for process in processes]
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Report.process_id, sa.func.count(Report.id))
        .where(Report.process_id.in_(ids), Report.resolved_at.is_(None))
        .group_by(Report.process_id)
    )
    return dict(rows.all())


def hide(row: Report, public_reason: str, actor) -> int:
    """Hide the reported content with a public reason; resolve every open report of it.

    Returns the number of reports resolved (0 when another moderator was first).
    """
    kind = get_kind(row.kind)
    obj = kind.load(row.object_id) if kind else None
    public_reason = public_reason.strip()[:PUBLIC_REASON_MAX]
    resolved = _resolve(
        sa.and_(Report.kind == row.kind, Report.object_id == row.object_id),
        "hidden",
        actor,
        public_reason,
    )
    if not resolved:
        return 0
    if obj is not None:
        kind.hide(obj, public_reason)
    # The audit event names the content (kept in full in the database) and the reason.
    audit.record(
        f"{row.kind}.hide",
        obj if obj is not None else row,
        label=kind.describe(obj)[:200] if obj is not None else f"{row.kind} {row.object_id}",
        actor=actor,
        reason=public_reason,
        reports=resolved,
    )
    return resolved


def dismiss(row: Report, actor) -> bool:
    """Close one report without changing the content."""
    resolved = _resolve(Report.id == row.id, "dismissed", actor, "")
    if resolved:
        audit.record(
            "report.dismiss", row, label=f"{row.kind} {row.object_id}", actor=actor, kind=row.kind
        )
    return bool(resolved)


def _resolve(condition, resolution: str, actor, public_reason: str) -> int:
    # One conditional UPDATE: two moderators acting at once resolve a report once.
    result = db.session.execute(
        sa.update(Report)
        .where(condition, Report.resolved_at.is_(None))
        .values(
            resolved_at=utcnow(),
            resolved_by_id=getattr(actor, "id", None),
            resolution=resolution,
            public_reason=public_reason,
        )
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount
