"""An external plugin that uses every extension point of the plugin contract.

A greeting tab on every process, a greeting on each idea's page and card, a
page of its own, a field of every idea in the API (and in its OpenAPI
document), a flask command, and demo content. It adds no tables.
"""

import click
from flask import Blueprint
from markupsafe import escape
from markupsafe import Markup
from participatie.core.processes.queries import process_by_slug
from participatie.core.roles.guards import require_read
from participatie.plugins import Plugin

bp = Blueprint("hello", __name__)

#: What load_demo was given, for the tests.
DEMO = []


@bp.get("/hallo/<slug>")
def page(slug):
    process = require_read(process_by_slug(slug), "hello")
    return f"Hallo van {escape(process.title)}"


def process_tab(process):
    return Markup('<section class="hello-tab"><p>Hallo, {}!</p></section>').format(process.title)


# The slots below take exactly the context SLOTS documents, without **context.


def idea_section(process, idea):
    return Markup('<p class="hello-idea">Hallo, {}!</p>').format(idea.title)


def idea_card_footer(process, idea, ideas):
    return Markup('<span class="hello-card">{} van {}</span>').format(
        [i.id for i in ideas or [idea]].index(idea.id) + 1, len(ideas or [idea])
    )


def framing_panel(process):
    return Markup('<p class="hello-framing">Hallo bij de kaders van {}!</p>').format(process.title)


def framing(process, process_id):
    # Advice only: a greeting never blocks a process.
    from participatie.core.processes.framing import Finding

    return [(Finding("hello-greeting", "Zeg hallo tegen de bewoners.", "summary"), False)]


def api_greetings(ideas) -> dict:
    return {idea.id: {"greeting": f"Hallo, {idea.title}!"} for idea in ideas}


def openapi(doc: dict) -> None:
    from participatie.core.api.openapi import add_fields

    add_fields(doc, "IdeaItem", {"greeting": {"type": "string"}})


def has_greeted(idea) -> bool:
    # A greeting is no reaction: the author may still edit the idea.
    return False


def init_app(app) -> None:
    @app.cli.command("hello")
    @click.argument("name")
    def hello(name):
        """Greet NAME."""
        click.echo(f"Hallo, {name}!")


def personal_data(user) -> dict:
    # Stores nothing of its own: says whom it would greet, for the data export.
    return {"greeted_as": user.display_name}


def load_demo(processes) -> None:
    DEMO.extend(process.slug for process in processes)


plugin = Plugin(
    name="hello",
    label="Hallo",
    blueprints=(bp,),
    actions=("greet",),
    slots={
        "process_tab": process_tab,
        "idea_section": idea_section,
        "idea_card_footer": idea_card_footer,
        "framing_panel": framing_panel,
    },
    api_fields={"idea": api_greetings},
    api_defaults={"idea": {"greeting": ""}},
    openapi=openapi,
    reactions=has_greeted,
    framing=framing,
    init_app=init_app,
    load_demo=load_demo,
    personal_data=personal_data,
)
