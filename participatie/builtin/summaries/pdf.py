"""The summary as a PDF, fit to attach to a raadsinformatiebrief.

Written with fpdf2 (pure Python) in DejaVu Sans, embedded, so that every
character of Dutch text prints. The figures are those of ``figures.summary``,
the same the page and the API show.
"""

from flask import current_app
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from participatie.builtin.feedback.rules import REASON_LABELS
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.core.accounts.profile import AGE_BANDS
from participatie.core.processes.labels import ENDS
from participatie.core.processes.labels import LEVEL
from participatie.core.processes.labels import REASON
from participatie.extensions import utcnow
from participatie.pdfdoc import Document
from participatie.pdfdoc import FONT


def _number(value) -> str:
    return "–" if value is None else format_decimal(value)


def render(
    process,
    data,
    decision_text: str | None,
    most_supported,
    arguments,
    budget=None,
    verified=None,
) -> bytes:
    """The PDF of a process's summary."""
    municipality = current_app.config.get("MUNICIPALITY_NAME") or process.area.name
    made = format_datetime(utcnow(), "d MMMM y HH:mm")
    pdf = Document(_("%(title)s · summary of %(date)s", title=process.title, date=made))
    pdf.set_title(_("Summary: %(title)s", title=process.title))
    pdf.set_author(municipality)
    pdf.set_creator("Participatie")
    pdf.add_page()

    pdf.heading(_("Summary: %(title)s", title=process.title), size=16)
    pdf.paragraph(
        f"{process.area.display_name} · {LEVEL.get(process.level, process.level)} · "
        + _("made on %(date)s", date=made)
    )

    pdf.heading(_("What the process was for"))
    for reason in process.reasons:
        pdf.paragraph(f"{REASON.get(reason.kind, reason.kind)}: {reason.text}")
    limits = "; ".join(
        f"{limit.title} ({limit.source})" if limit.source else limit.title
        for limit in process.fixed_limits
    )
    pdf.paragraph(_("Fixed limits:") + " " + (limits or "–"))
    if process.horizontal_limits:
        pdf.paragraph(_("Where residents disagree:") + " " + process.horizontal_limits)
    pdf.paragraph(
        _("The final decision is taken by: %(who)s.", who=process.decision_maker)
        + " "
        + str(ENDS.get(process.participation_ends, ""))
    )

    if verified is not None:
        rules, counts = verified
        pdf.heading(_("How participation was verified"))
        for sentence in rules:
            pdf.paragraph(str(sentence))
        labels = {
            "code": _("A voting code from the letter"),
            "oidc": _("The municipality's log-in service"),
            "area-resident": _("An address checked against the address register"),
            "account": _("An account with a confirmed email address"),
            "imported": _("Imported from another tool"),
        }
        pdf.grid(
            [_("Verified by"), _("Persons")],
            [
                [label, counts[way] if counts[way] is not None else _("fewer than 5")]
                for way, label in labels.items()
            ],
        )

    pdf.heading(_("Who took part"))
    pdf.paragraph(
        _(
            "%(participants)s participants, %(ideas)s ideas (of which %(offline)s gathered "
            "offline), %(comments)s comments, %(votes)s supports.",
            participants=data.participants,
            ideas=data.ideas,
            offline=data.ideas_offline,
            comments=data.comments,
            votes=data.votes,
        )
    )
    pdf.grid(
        [_("Area"), _("Participants"), _("Inhabitants"), _("Per 1,000")],
        [
            [
                row.area.display_name,
                _("fewer than 5") if row.participants is None else row.participants,
                _("figure missing") if row.population is None else _number(row.population),
                _number(row.per_1000),
            ]
            for row in data.representativeness
        ],
        widths=(70, 35, 35, 30),
    )
    if any(row.participants for row in data.ages):
        pdf.grid(
            [_("Age"), _("Participants"), _("Share"), _("Share of inhabitants")],
            [
                [
                    str(AGE_BANDS[row.band]),
                    _("fewer than 5") if row.participants is None else row.participants,
                    _number(row.participants_share),
                    _number(row.inhabitants_share),
                ]
                for row in data.ages
            ],
            widths=(60, 35, 35, 40),
        )
    pdf.grid(
        [_("Phase"), _("Ideas"), _("Comments"), _("Supports")],
        [
            [row.name or _("Outside the phases"), row.ideas, row.comments, row.votes]
            for row in data.phases
        ],
        widths=(70, 33, 33, 34),
    )

    pdf.heading(_("What was said"))
    if data.by_theme:
        pdf.grid(
            [_("Theme"), _("Ideas")],
            [[name or _("(no theme)"), count] for name, count in data.by_theme],
            widths=(130, 40),
        )
    if most_supported:
        pdf.grid(
            [_("Most supported ideas"), _("Supports")],
            [[idea.title, idea.supports] for idea in most_supported],
            widths=(130, 40),
        )
    for label, items in arguments:
        if items:
            pdf.set_font(FONT, "B", 10)
            pdf.cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
            for comment, title in items:
                pdf.paragraph(f"{title}: {comment.text[:300]}")

    if budget is not None:
        _budget(pdf, budget)

    pdf.heading(_("What was done"))
    if decision_text:
        pdf.paragraph(decision_text)
    pdf.grid(
        [_("Status"), _("Ideas")],
        [[str(STATUS_LABELS.get(code, code)), count] for code, count in data.by_status.items()],
        widths=(130, 40),
    )
    pdf.grid(
        [_("Answers"), _("Ideas")],
        [
            [_("Answered on time"), data.answers_on_time],
            [_("Answered late"), data.answers_late],
            [_("Overdue"), data.answers_overdue],
            [_("Not yet due"), data.answers_open],
        ],
        widths=(130, 40),
    )
    reasons = [(code, n) for code, n in data.by_reason.items() if n]
    if reasons:
        pdf.grid(
            [_("Reason for not or partly adopting"), _("Ideas")],
            [[str(REASON_LABELS.get(code, code)), n] for code, n in reasons]
            + [
                [f"  {limit.title}", data.by_fixed_limit[limit.id]]
                for limit in process.fixed_limits
                if limit.id in data.by_fixed_limit
            ],
            widths=(130, 40),
        )
    if data.milestones:
        pdf.grid(
            [_("Milestone"), _("Date"), _("Done")],
            [
                [
                    f"{title}: {milestone.title}",
                    format_date(milestone.date, "d MMM y"),
                    _("yes") if milestone.done else _("no"),
                ]
                for milestone, title in data.milestones
            ],
            widths=(110, 35, 25),
        )
    return bytes(pdf.output())


def _budget(pdf, budget) -> None:
    from participatie.builtin.budgets.service import euros

    pdf.heading(_("The budget vote"))
    pdf.paragraph(
        _(
            "Budget %(budget)s, counted by: %(rule)s.",
            budget=euros(budget.budget),
            rule=budget.rule_label,
        )
        + " "
        + ngettext("%(num)d voter cast a ballot.", "%(num)d voters cast a ballot.", budget.voters)
    )
    pdf.grid(
        [_("Area"), _("Voters"), _("Per 1,000")],
        [
            [area.name, _number(voters) if voters is not None else _("fewer than 5"), _number(per)]
            for area, voters, _population, per in budget.per_area
        ],
        widths=(90, 40, 40),
    )
    if budget.status != "published":
        pdf.paragraph(_("The outcome appears here once it is published."))
        return
    pdf.paragraph(
        _(
            "Spent %(spent)s; %(left)s left over.",
            spent=euros(budget.spent),
            left=euros(budget.leftover),
        )
    )
    pdf.grid(
        [_("Project"), _("Votes"), _("Granted"), _("Outcome")],
        [
            [project.title, approvals, euros(funded) if funded else "-", str(reason)]
            for project, approvals, funded, reason in budget.projects
        ],
        widths=(60, 20, 30, 60),
    )
    pdf.paragraph(
        _("Comparison, not the outcome:")
        + " "
        + _(
            "counted by %(rule)s, the same ballots would have chosen: %(projects)s.",
            rule=budget.other_label,
            projects=", ".join(budget.other_chosen) or "-",
        )
    )
