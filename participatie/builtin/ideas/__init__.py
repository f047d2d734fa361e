"""The ideas plugin: residents (and facilitators, for offline input) submit ideas."""

from flask import render_template
from flask_babel import lazy_gettext as _l

from participatie.builtin.ideas import api
from participatie.builtin.ideas import deadlines
from participatie.builtin.ideas import merge  # noqa: F401 - routes on the ideas blueprint
from participatie.builtin.ideas import offline  # noqa: F401 - routes on the ideas blueprint
from participatie.builtin.ideas import personal
from participatie.builtin.ideas import service
from participatie.builtin.ideas import views
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.builtin.ideas.text import plain
from participatie.builtin.ideas.text import render
from participatie.caching import remember
from participatie.caching import track
from participatie.core.processes.phases import action_open
from participatie.extensions import db
from participatie.plugins import Plugin


def process_tab(process, **context):
    query = service.visible(process.id)
    ideas = list(db.session.scalars(query.order_by(service.Idea.created_at.desc()).limit(6)))
    from sqlalchemy import func
    from sqlalchemy import select

    # Counting 20,000 ideas is most of the page's cost: kept per process in the
    # shared cache, renewed by any write to an idea of the process.
    total = remember(
        "idea-count",
        [process.id],
        lambda: db.session.scalar(select(func.count()).select_from(query.subquery())),
    )
    from participatie.builtin.ideas.polis import CREDIT
    from participatie.builtin.ideas.polis import has_polis_ideas

    return render_template(
        "ideas/_process_tab.html",
        process=process,
        ideas=ideas,
        total=total,
        can_submit=action_open(process, "submit"),
        polis_credit=CREDIT if has_polis_ideas(process) else None,
    )


def init_app(app) -> None:
    app.jinja_env.filters["idea_markdown"] = render
    app.jinja_env.filters["idea_plain"] = plain
    app.jinja_env.globals["idea_status_label"] = lambda code: STATUS_LABELS.get(code, code)
    _register_commands(app)
    from participatie.builtin.ideas import moderation as _moderation

    _moderation.init_app(app)
    deadlines.init_app(app)
    track(service.Idea, lambda idea, session: idea.process_id)
    from participatie.core.mail import about

    about.register(app, "idea", service.still_shown)


def load_demo(processes) -> None:
    from participatie.builtin.ideas import demo

    demo.load_demo(processes)


def my_page(user, **context):
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from participatie.builtin.ideas.models import Idea

    ideas = db.session.scalars(
        select(Idea)
        .where(Idea.author_id == user.id, Idea.withdrawn_at.is_(None))
        .options(selectinload(Idea.process))
        .order_by(Idea.created_at.desc())
        .limit(50)
    ).all()
    return render_template("ideas/_my_page.html", ideas=ideas)


def _register_commands(app) -> None:
    import click
    from flask.cli import AppGroup

    from participatie.builtin.ideas import polis
    from participatie.core.processes.queries import process_by_slug

    ideas_cli = AppGroup("ideas", help="Ideas: imports.")

    @ideas_cli.command("import-polis")
    @click.argument("slug")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False))
    def import_polis(slug, folder):
        """Import a Polis conversation export (FOLDER) into process SLUG, whatever its phase."""
        process = process_by_slug(slug, full=False)
        if process is None:
            raise click.ClickException(f"No process with slug {slug!r}.")
        report = polis.import_folder(process, folder)
        db.session.commit()
        click.echo(
            f"{report.ideas_created} ideas created ({report.hidden} hidden by the Polis moderator), "
            f"{report.ideas_unchanged} already there; {report.participants} imported participants, "
            f"{report.votes_created} new supports. Imported participants cannot log in and their "
            "supports bypass the per-person maximum."
        )

    @ideas_cli.command("import-offline")
    @click.argument("slug")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--by", "email", required=True, help="The account the ideas are entered by.")
    def import_offline(slug, file, email):
        """Import ideas gathered offline from a CSV FILE of any size into process SLUG.

        The columns are those of the web import. Every row is checked first;
        with any error nothing is imported. All rows go in one transaction.
        """
        from sqlalchemy import func
        from sqlalchemy import select

        from participatie.core.accounts.models import User

        process = process_by_slug(slug, full=False)
        if process is None:
            raise click.ClickException(f"No process with slug {slug!r}.")
        user = db.session.scalar(
            select(User).where(func.lower(User.email) == email.strip().lower())
        )
        if user is None:
            raise click.ClickException(f"No account with email {email!r}.")
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError:
            raise click.ClickException("The file is not UTF-8 text.") from None
        rows, problems = offline.check_rows(process, text, limit=None)
        wrong = [row for row in rows if row.errors]
        for problem in problems:
            click.echo(problem, err=True)
        for row in wrong:
            click.echo(f"line {row.line}: {' '.join(row.errors)}", err=True)
        if problems or wrong:
            raise click.ClickException("Nothing was imported: the file has errors.")
        offline.import_rows(
            process,
            user,
            rows,
            progress=lambda done, total: click.echo(f"{done} of {total} ideas added"),
        )
        db.session.commit()
        click.echo(f"{len(rows)} ideas gathered offline are imported into {process.slug}.")

    app.cli.add_command(ideas_cli)


def _facilitator_menu(process, **context):
    from participatie.builtin.ideas.offline import facilitator_menu

    return facilitator_menu(process, **context)


plugin = Plugin(
    name="ideas",
    label=_l("Ideas"),
    blueprints=(views.bp, api.bp),
    actions=("submit",),
    openapi=api.document,
    slots={
        "process_tab": process_tab,
        "my_page": my_page,
        "facilitator_menu": _facilitator_menu,
    },
    init_app=init_app,
    participants=deadlines.participants,
    personal_data=personal.personal_data,
    load_demo=load_demo,
)
