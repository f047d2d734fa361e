"""The comments plugin: comments and arguments for and against, one level of replies.

When ideas are merged, comments stay where they are: they remain readable
under the merged idea, which links to the idea it was merged into.
"""

from flask import g
from flask import render_template
from flask_babel import lazy_gettext as _l

from participatie.builtin.comments import personal
from participatie.builtin.comments import service
from participatie.builtin.comments.views import bp
from participatie.builtin.comments.views import CommentForm
from participatie.core.paging import page_arg
from participatie.core.processes.phases import action_open
from participatie.plugins import Plugin


def card_footer(process, idea, ideas=None, **context):
    cache = g.setdefault("comment_counts", {})
    wanted = [i.id for i in (ideas or [idea])]
    missing = [i for i in wanted if i not in cache]
    if missing:
        found = service.counts(missing)
        cache.update({i: found.get(i, 0) for i in missing})
    return render_template("comments/_count.html", idea=idea, count=cache.get(idea.id, 0))


def idea_section(process, idea, **context):
    pages = page_arg("reacties", most=50)
    # Without JavaScript "show more" reloads the page with more pages of comments.
    tops, replies, has_next = [], {}, False
    for number in range(1, pages + 1):
        page_tops, page_replies, has_next = service.thread(idea.id, number)
        tops += page_tops
        replies.update(page_replies)
    return render_template(
        "comments/_section.html",
        process=process,
        idea=idea,
        tops=tops,
        replies=replies,
        has_next=has_next,
        number=pages,
        can_comment=action_open(process, "comment"),
        form=CommentForm(formdata=None),
    )


def api_comments(ideas) -> dict:
    found = service.counts([idea.id for idea in ideas])
    return {idea.id: {"comments": found.get(idea.id, 0)} for idea in ideas}


def openapi(doc: dict) -> None:
    """The number of ``comments`` of every idea in the API."""
    from participatie.core.api.openapi import add_fields

    add_fields(doc, "IdeaItem", {"comments": {"type": "integer", "minimum": 0}})


def init_app(app) -> None:
    app.jinja_env.globals["comment_may_edit"] = service.may_edit
    from participatie.builtin.comments import moderation as _moderation

    _moderation.init_app(app)
    from participatie.core.mail import about

    about.register(app, "comment", service.still_shown)


def load_demo(processes) -> None:
    from participatie.builtin.comments import demo

    demo.load_demo(processes)


def my_page(user, **context):
    import sqlalchemy as sa
    from sqlalchemy.orm import selectinload

    from participatie.builtin.comments.models import Comment
    from participatie.extensions import db

    rows = db.session.scalars(
        sa.select(Comment)
        .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
        .options(selectinload(Comment.idea))
        .order_by(Comment.created_at.desc())
        .limit(20)
    ).all()
    return render_template("comments/_my_page.html", comments=rows)


plugin = Plugin(
    name="comments",
    label=_l("Comments"),
    blueprints=(bp,),
    actions=("comment",),
    slots={
        "idea_card_footer": card_footer,
        "idea_section": idea_section,
        "my_page": my_page,
    },
    api_fields={"idea": api_comments},
    api_defaults={"idea": {"comments": 0}},
    openapi=openapi,
    reactions=service.has_comments,
    init_app=init_app,
    participants=service.participants,
    personal_data=personal.personal_data,
    load_demo=load_demo,
)
