"""The ideas plugin: residents (and facilitators, for offline input) submit ideas."""

from flask import render_template
from flask_babel import lazy_gettext as _l

from participatie.builtin.ideas import service
from participatie.builtin.ideas.labels import STATUS_LABELS
from participatie.builtin.ideas.text import render
from participatie.builtin.ideas.views import bp
from participatie.extensions import db
from participatie.plugins import Plugin


def process_tab(process, **context):
    query = service.visible(process.id)
    ideas = list(db.session.scalars(query.order_by(service.Idea.created_at.desc()).limit(6)))
    from sqlalchemy import func
    from sqlalchemy import select

    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    return render_template(
        "ideas/_process_tab.html",
        process=process,
        ideas=ideas,
        total=total,
        can_submit=service.action_open(process, "submit"),
    )


def init_app(app) -> None:
    from participatie.builtin.ideas import api
    from participatie.core.api import openapi

    app.register_blueprint(api.bp)
    openapi.extend(api.document)
    app.jinja_env.filters["idea_markdown"] = render
    app.jinja_env.globals["idea_status_label"] = lambda code: STATUS_LABELS.get(code, code)


def load_demo(processes) -> None:
    from participatie.builtin.ideas import demo

    demo.load_demo(processes)


plugin = Plugin(
    name="ideas",
    label=_l("Ideas"),
    blueprint=bp,
    actions=("submit",),
    slots={"process_tab": process_tab},
    init_app=init_app,
    load_demo=load_demo,
)


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


plugin.slots["my_page"] = my_page
