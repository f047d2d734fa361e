"""The agenda plugin: the area cycle of a municipality that works per area.

An area (stadsdeel or wijk) has partners and people, agendas adopted by the
council with a few tasks and focuswijken, and a yearly execution plan of
works; the area team coordinates works that meet in a buurt (coupling
chances). Processes link to the task they serve; adopted ideas and chosen
budget projects become works, whose progress residents read on the idea.
"""

import sys

import click
import sqlalchemy as sa
from flask import render_template
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participatie.builtin.agenda import labels
from participatie.builtin.agenda import service
from participatie.builtin.agenda.api import bp as api_bp
from participatie.builtin.agenda.api import document
from participatie.builtin.agenda.models import AreaPerson
from participatie.builtin.agenda.models import Partner
from participatie.builtin.agenda.models import partner_area
from participatie.builtin.agenda.models import PERSON_ROLES
from participatie.builtin.agenda.models import ProcessPartner
from participatie.builtin.agenda.models import ProcessTask
from participatie.builtin.agenda.views import bp
from participatie.core.roles.permissions import facilitates
from participatie.core.roles.permissions import facilitates_area
from participatie.core.roles.permissions import is_staff
from participatie.core.roles.permissions import reads_council_pages
from participatie.extensions import db
from participatie.plugins import Plugin


def process_tab(process, **context):
    """ "This process belongs to task … of the agenda", and the partner that carries it out."""
    link = db.session.get(ProcessTask, process.id)
    partner = db.session.get(ProcessPartner, process.id)
    if link is None and partner is None:
        return ""
    return render_template(
        "agenda/_process_tab.html",
        process=process,
        task=link.task if link else None,
        partner=partner.partner if partner else None,
        labels=labels,
    )


def facilitator_menu(process, **context):
    if not facilitates(current_user, process):
        return ""
    return render_template("agenda/_facilitator_menu.html", process=process)


def idea_section(process, idea, **context):
    """The work an idea became, with its status and history; for facilitators, make one."""
    work = service.work_of_idea(idea.id)
    may_make = (
        work is None
        and idea.status in service.ADOPTED
        and current_user.is_authenticated
        and facilitates_area(current_user, process.area)
    )
    if work is None and not may_make:
        return ""
    return render_template(
        "agenda/_idea_section.html",
        process=process,
        idea=idea,
        work=work,
        may_make=may_make,
        labels=labels,
        month=service.month_label,
    )


def area_section(area, **context):
    """The area's partners and its people by role, and what happens there."""
    ids = [area.id] + [a.id for a in area.ancestors()]
    people = db.session.scalars(
        sa.select(AreaPerson).where(AreaPerson.area_id.in_(ids)).order_by(AreaPerson.id)
    ).all()
    order = {role: index for index, role in enumerate(PERSON_ROLES)}
    people = sorted(people, key=lambda p: (order.get(p.role, 99), p.id))
    partners = db.session.scalars(
        sa.select(Partner)
        .join(partner_area, partner_area.c.partner_id == Partner.id)
        .where(partner_area.c.area_id.in_(ids))
        .distinct()
        .order_by(Partner.name)
    ).all()
    return render_template(
        "agenda/_area_section.html",
        area=area,
        people=people,
        partners=partners,
        labels=labels,
        manages=current_user.is_authenticated and facilitates_area(current_user, area),
        council=current_user.is_authenticated and reads_council_pages(current_user),
    )


def home_section(**context):
    return render_template("agenda/_home_section.html")


def staff_overview(user, **context):
    """On the facilitator's overview: open coupling chances in the areas they facilitate."""
    if not is_staff(user):
        return ""
    from participatie.core.areas.models import Area

    if any(role.role == "administrator" for role in user.roles):
        areas = db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None))).all()
    else:
        areas = [r.area for r in user.roles if r.role == "facilitator" and r.area is not None]
    counts = []
    for area in areas:
        open_count = sum(1 for c in service.chances_in(area) if c.decision is None)
        counts.append((area, open_count))
    return render_template("agenda/_staff_overview.html", counts=counts)


def api_task(processes) -> dict:
    links = service.task_links([p.id for p in processes])
    result = {}
    for process in processes:
        task = links.get(process.id)
        result[process.id] = {
            "task": None
            if task is None
            else {
                "agenda_id": task.agenda_id,
                "task_id": task.id,
                "title": task.title,
                "area_code": task.agenda.area.code,
            }
        }
    return result


def init_app(app) -> None:
    app.cli.add_command(agenda_cli)


@click.group("agenda", cls=AppGroup, help="The area cycle: a year's execution plan from CSV.")
def agenda_cli():
    pass


@agenda_cli.command("import-plan")
@click.argument("code")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_plan(code, year, path):
    """Import the works of PATH into the execution plan of area CODE for YEAR (all or nothing)."""
    from participatie.builtin.agenda import transfer
    from participatie.core.areas.queries import area_by_code

    area = area_by_code(code)
    if area is None:
        raise click.ClickException(f"No area {code!r}.")
    with open(path, encoding="utf-8-sig") as file:
        text = file.read()
    try:
        count = transfer.import_plan(area, year, text)
    except transfer.ImportRefused as refused:
        db.session.rollback()
        for line, message in refused.problems:
            click.echo(f"{path}:{line}: {message}" if line else f"{path}: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported {count} works into {area.code} {year}.", err=True)


def load_demo(processes) -> None:
    from participatie.builtin.agenda import demo

    demo.load_demo(processes)


plugin = Plugin(
    name="agenda",
    label=_l("Area agenda and execution"),
    blueprints=(bp, api_bp),
    slots={
        "process_tab": process_tab,
        "facilitator_menu": facilitator_menu,
        "idea_section": idea_section,
        "area_section": area_section,
        "home_section": home_section,
        "staff_overview": staff_overview,
    },
    api_fields={"process_detail": api_task},
    api_defaults={"process_detail": {"task": None}},
    openapi=document,
    init_app=init_app,
    load_demo=load_demo,
)
