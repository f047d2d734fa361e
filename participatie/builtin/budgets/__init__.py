"""The budgets plugin: a wijkbudget vote on projects made from ideas, counted exactly.

Residents choose projects within the ballot's rules (phase action
``budget``); the outcome is computed by the counting rule chosen beforehand
(``counting``) and published unchanged; Pabulib files go in and out
(``transfer``).
"""

import sys

import click
from flask import render_template
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participatie.builtin.budgets import labels
from participatie.builtin.budgets import personal
from participatie.builtin.budgets import service
from participatie.builtin.budgets.api import bp as api_bp
from participatie.builtin.budgets.api import document
from participatie.builtin.budgets.views import bp
from participatie.core.processes.framing import Finding
from participatie.core.roles.permissions import facilitates
from participatie.plugins import Plugin


def process_tab(process, **context):
    vote = service.vote_of(process.id)
    if vote is None:
        return ""
    current = service.status(vote, process)
    ballot = None
    if current_user.is_authenticated:
        ballot = service.ballot_of(vote, current_user.id)
    return render_template(
        "budgets/_process_tab.html",
        process=process,
        vote=vote,
        status=current,
        ballot=ballot,
        labels=labels,
        euros=service.euros,
        projects=len(vote.projects),
    )


def framing_panel(process, **context):
    """The budget vote in the framing: what residents choose, within what, how it is counted."""
    vote = service.vote_of(process.id)
    if vote is None:
        return ""
    return render_template(
        "budgets/_framing_panel.html",
        process=process,
        vote=vote,
        labels=labels,
        euros=service.euros,
    )


def idea_section(process, idea, **context):
    """For facilitators, while the ballot is being prepared: make a project of this idea."""
    if not (current_user.is_authenticated and facilitates(current_user, process)):
        return ""
    vote = service.vote_of(process.id)
    if vote is None or service.frozen(vote, process):
        return ""
    return render_template("budgets/_idea_section.html", process=process, idea=idea)


def facilitator_menu(process, **context):
    if not facilitates(current_user, process):
        return ""
    return render_template("budgets/_facilitator_menu.html", process=process)


def my_page(user, **context):
    import sqlalchemy as sa

    from participatie.builtin.budgets.models import Ballot
    from participatie.builtin.budgets.models import BudgetVote
    from participatie.extensions import db

    rows = db.session.execute(
        sa.select(Ballot, BudgetVote)
        .join(BudgetVote, BudgetVote.id == Ballot.vote_id)
        .where(Ballot.user_id == user.id, Ballot.cast_at.is_not(None))
        .order_by(Ballot.cast_at.desc())
        .limit(20)
    ).all()
    return render_template("budgets/_my_page.html", rows=rows)


def framing(process, process_id):
    """A budget phase needs a budget vote whose budget equals a fixed limit of kind budget."""
    if not any(phase.allows_budget for phase in process.phases):
        return []
    vote = service.vote_of(process_id)
    if vote is None:
        return [
            (
                Finding(
                    "budget-without-vote",
                    _l(
                        "A phase lets residents vote on the budget: set the budget vote first (budget, ballot rules and how it is counted)."
                    ),
                    "phases",
                ),
                True,
            )
        ]
    findings = []
    amounts = {
        limit.amount
        for limit in process.fixed_limits
        if limit.kind == "budget" and limit.lapsed_on is None
    }
    if vote.budget not in amounts:
        findings.append(
            (
                Finding(
                    "budget-limit-mismatch",
                    _l(
                        "The framing needs a fixed limit of kind budget with the ballot's amount, %(amount)s.",
                        amount=service.euros(vote.budget),
                    ),
                    "fixed_limits",
                ),
                True,
            )
        )
    if vote.rule not in labels.RULE:
        findings.append(
            (
                Finding("budget-without-rule", _l("Choose how the votes are counted."), "phases"),
                True,
            )
        )
    if not vote.projects:
        findings.append(
            (
                Finding(
                    "budget-without-projects",
                    _l("The ballot has no projects yet; add them before the vote opens."),
                    "phases",
                ),
                False,
            )
        )
    return findings


def init_app(app) -> None:
    app.cli.add_command(budgets_cli)


@click.group("budgets", cls=AppGroup, help="Budget votes: Pabulib files in, the outcome counted.")
def budgets_cli():
    pass


@budgets_cli.command("import-pb")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_pb(slug, path):
    """Import the Pabulib file PATH into the process SLUG (all or nothing)."""
    from participatie.builtin.budgets import transfer
    from participatie.core.processes.queries import process_by_slug
    from participatie.extensions import db

    process = process_by_slug(slug)
    if process is None:
        raise click.ClickException(f"No process {slug!r}.")
    with open(path, encoding="utf-8-sig") as file:
        text = file.read()
    try:
        report = transfer.import_text(process, text)
    except transfer.ImportRefused as refused:
        db.session.rollback()
        for line, message in refused.problems:
            click.echo(f"{path}:{line}: {message}" if line else f"{path}: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    if report.unchanged:
        click.echo("Imported before: nothing changed.", err=True)
    else:
        click.echo(f"Imported {report.projects} projects and {report.ballots} ballots.", err=True)


@budgets_cli.command("count")
@click.argument("slug")
@click.option("--rule", type=click.Choice(["greedy", "greedy-stop", "equal-shares"]))
def count(slug, rule):
    """Print the outcome of the process SLUG's ballots: one chosen project a line.

    Each line: external id (or id), a tab, the title, a tab, the amount
    granted. Nothing is published or stored.
    """
    from participatie.core.processes.queries import process_by_slug

    process = process_by_slug(slug)
    vote = service.vote_of(process.id) if process is not None else None
    if vote is None:
        raise click.ClickException(f"No budget vote in process {slug!r}.")
    result = service.outcome(vote, rule)
    projects = {project.id: project for project in vote.projects}
    for project_id, amount in result.funded.items():
        project = projects[project_id]
        click.echo(f"{project.external_id or project.id}\t{project.title}\t{amount}")
    click.echo(
        f"{len(result.funded)} chosen, {result.spent} spent, {result.leftover} left.", err=True
    )


def load_demo(processes) -> None:
    from participatie.builtin.budgets import demo

    demo.load_demo(processes)


plugin = Plugin(
    name="budgets",
    label=_l("Budget vote"),
    blueprints=(bp, api_bp),
    actions=("budget",),
    slots={
        "process_tab": process_tab,
        "framing_panel": framing_panel,
        "idea_section": idea_section,
        "facilitator_menu": facilitator_menu,
        "my_page": my_page,
    },
    openapi=document,
    init_app=init_app,
    participants=service.participants,
    framing=framing,
    personal_data=personal.personal_data,
    load_demo=load_demo,
)
