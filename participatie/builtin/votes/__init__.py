"""The votes plugin: support votes on ideas, with an optional maximum per person."""

from flask import g
from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participatie.builtin.votes import personal
from participatie.builtin.votes import service
from participatie.builtin.votes.views import bp
from participatie.core.accounts.verification import participant
from participatie.core.processes.phases import action_open
from participatie.core.roles.permissions import facilitates
from participatie.plugins import Plugin
from participatie.signals import ideas_merged
from participatie.signals import polis_imported


def _voted(ideas, idea) -> bool:
    """Whether the visitor supports ``idea``; one query for the whole page of ideas."""
    cache = g.setdefault("my_votes", {})
    wanted = [i.id for i in (ideas or [idea])]
    missing = [i for i in wanted if i not in cache]
    if missing:
        mine = service.my_votes(participant(idea.process), missing)
        cache.update({i: i in mine for i in missing})
    return cache.get(idea.id, False)


def card_footer(process, idea, ideas=None, **context):
    if "vote_open" not in g:
        g.vote_open = {}
    if process.id not in g.vote_open:
        g.vote_open[process.id] = action_open(process, "vote")
    return render_template(
        "votes/_button.html",
        idea=idea,
        voted=_voted(ideas, idea),
        message=None,
        can_vote=g.vote_open[process.id],
        person=participant(process),
    )


def idea_section(process, idea, **context):
    limit = service.maximum(process.id)
    left = None
    person = participant(process)
    if limit is not None and person is not None:
        left = max(limit - service.used(person.id, process.id), 0)
    return render_template(
        "votes/_section.html",
        process=process,
        idea=idea,
        voted=_voted(None, idea),
        can_vote=action_open(process, "vote"),
        person=person,
        limit=limit,
        left=left,
        message=None,
    )


def facilitator_menu(process, **context):
    if not facilitates(current_user, process):
        return ""
    return render_template("votes/_facilitator_menu.html", process=process)


def api_supports(ideas) -> dict:
    return {idea.id: {"supports": idea.supports} for idea in ideas}


def openapi(doc: dict) -> None:
    """The ``supports`` of every idea in the API."""
    from participatie.core.api.openapi import add_fields

    add_fields(doc, "IdeaItem", {"supports": {"type": "integer", "minimum": 0}})


def init_app(app) -> None:
    from participatie.builtin.votes.polis import import_supports

    ideas_merged.connect(service.on_merge, weak=False)
    polis_imported.connect(import_supports, weak=False)


def load_demo(processes) -> None:
    from participatie.builtin.votes import demo

    demo.load_demo(processes)


def my_page(user, **context):
    import sqlalchemy as sa

    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.votes.models import Vote
    from participatie.extensions import db

    ideas = db.session.scalars(
        sa.select(Idea)
        .join(Vote, Vote.idea_id == Idea.id)
        .where(Vote.user_id == user.id)
        .order_by(Vote.created_at.desc())
        .limit(50)
    ).all()
    return render_template("votes/_my_page.html", ideas=ideas)


plugin = Plugin(
    name="votes",
    label=_l("Support votes"),
    blueprints=(bp,),
    actions=("vote",),
    slots={
        "idea_card_footer": card_footer,
        "idea_section": idea_section,
        "facilitator_menu": facilitator_menu,
        "my_page": my_page,
    },
    api_fields={"idea": api_supports},
    api_defaults={"idea": {"supports": 0}},
    openapi=openapi,
    init_app=init_app,
    participants=service.participants,
    personal_data=personal.personal_data,
    load_demo=load_demo,
)
