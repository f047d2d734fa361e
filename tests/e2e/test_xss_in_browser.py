"""Stored and reflected XSS, proven in Chromium with a payload corpus.

Every payload of ``CORPUS`` would call ``window.__xss(n)`` if it ever ran, and
carries an element with a ``data-xss`` attribute, so that an injected element is
found even where nothing runs. ``n`` names the field and the payload (field
number × 100 + payload number), so a failure says what leaked where.

- Stored: every text a person controls (display names, idea title, text, photo
  text and place, update, comment, answer, template, execution, decision summary,
  report reason, hidden reason, the process's framing, partner, area people,
  agenda, task, works, coupling decision, budget project, a stadsdeel's name, the
  audit log's label, a failed mail's subject and error) holds payloads; every page
  of ``app.url_map``, and every page again as its htmx fragment, is opened logged
  out and per role. The htmx actions are clicked too (the support box, more
  comments, the next page of ideas), and a photo is uploaded with a payload as its
  file name.
- Mails: the mails that carry these texts (a new idea to facilitators, an answer
  and a comment to the author, a reply, a report to moderators, the digest) are
  plain text only, their headers one line each; their bodies are shown in
  Chromium as a browser mail client shows a text part.
- Exports: the CSV export neutralises cells that start with ``= + - @`` and is a
  download, never a page; the summary PDF holds the payloads as text.
- Reflected: every GET route with every query parameter the views read, and
  every string path parameter, given payloads.

The browser runs with the site's CSP bypassed: a payload that was not encoded
runs here, so the test checks the encoding itself, not only the CSP behind it.

That the checks catch a leak was shown by breaking a page on purpose (not
committed): with ``{{ idea.title|safe }}`` in the heading of
``templates/ideas/detail.html`` the stored walk fails on ``/ideeen/<id>`` and its
htmx fragments with the injected ``<script data-xss>`` and ``<img data-xss>``
elements and the ``__xss`` calls of the title's payloads, each named with its
field ("other idea title"). The walk's first run found a real leak: a partner's
website and an area person's web page stored as ``javascript:`` became links;
they are now links only when they are http(s) (the ``web_address`` filter).
``test_the_checks_find_a_payload_that_runs_or_is_injected`` keeps the checks
honest without breaking the app.
"""

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.e2e.conftest import log_in
from tests.test_route_matrix import _client
from tests.test_route_matrix import OVERRIDES
from tests.test_route_matrix import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

#: ``{n}`` is replaced by the payload's number. Each holds ``xss({n})`` as text.
CORPUS = (
    '<script data-xss="{n}">__xss({n})</script>',
    '<img src=x data-xss="{n}" onerror="__xss({n})">',
    '<svg data-xss="{n}" onload="__xss({n})"></svg>',
    '"><img src=x data-xss="{n}" onerror="__xss({n})">',
    "'><img src=x data-xss='{n}' onerror='__xss({n})'>",
    "' data-xss='{n}' autofocus onfocus='__xss({n})' x='",
    '" data-xss="{n}" autofocus onfocus="__xss({n})" x="',
    "javascript:__xss({n})//",
    "[x](javascript:__xss({n})) xss({n})",
    "{{7*7}}${7*7}{% print(7*7) %}<b data-xss={n}>xss({n})</b>",
    '</textarea><img src=x data-xss="{n}" onerror="__xss({n})">',
    '</title><img src=x data-xss="{n}" onerror="__xss({n})">',
    '<style data-xss="{n}">/*xss({n})*/*{display:none}</style>',
    '<iframe data-xss="{n}" srcdoc="<script>parent.__xss({n})</script>"></iframe>',
    '&lt;img src=x data-xss="{n}" onerror="__xss({n})"&gt;',
    "%3Cimg%20src%3Dx%20data-xss%3D{n}%20onerror%3D__xss({n})%3E",
    "\\u003cimg src=x data-xss={n} onerror=__xss({n})\\u003e",
    "\uff1cimg src=x data-xss={n} onerror=__xss({n})\uff1e",
    '<a href="jav&#x09;ascript:__xss({n})" data-xss="{n}">x</a>',
    '<math><style><img src=x data-xss="{n}" onerror="__xss({n})">',
    '<details open data-xss="{n}" ontoggle="__xss({n})">',
    "</script><script>__xss({n})</script>",
    '=HYPERLINK("http://x/?{n}") xss({n})',
)


def payload(index: int, number: int) -> str:
    return CORPUS[index].replace("{n}", str(number))


class Fields:
    """The stored texts of the world: a field number for each, and its payloads."""

    def __init__(self):
        self.numbers = {}

    def __call__(self, label: str, limit: int = 10_000) -> str:
        """Payloads for field ``label``, as many as fit ``limit``, starting at a
        different payload for each field so that short fields share the corpus."""
        field = len(self.numbers) + 1
        start = field % len(CORPUS)
        parts, numbers = [], []
        for step in range(len(CORPUS)):
            index = (start + step) % len(CORPUS)
            text = payload(index, field * 100 + index)
            if sum(len(p) + 1 for p in parts) + len(text) <= limit:
                parts.append(text)
                numbers.append(field * 100 + index)
        assert parts, label
        self.numbers[label] = numbers
        return " ".join(parts)

    def label_of(self, number: int) -> str:
        return next(label for label, numbers in self.numbers.items() if number in numbers)


# Set before any page script: ``__xss`` records a call (also from an iframe), and the
# dialogs record too.
INIT_SCRIPT = """
window.__xssRan = [];
window.__xss = function (n) {
    window.__xssRan.push(String(n));
    try { if (window.top !== window) { window.top.__xssRan.push(String(n)); } } catch (e) {}
};
window.alert = window.confirm = window.prompt = function (m) { window.__xss('dialog ' + m); };
"""

# What a page shows of the payloads: injected elements, script URLs in attributes,
# calls of ``__xss``, and its visible text.
INSPECT = """() => {
    const found = [];
    for (const el of document.querySelectorAll('[data-xss], [srcdoc]')) {
        found.push('element ' + el.outerHTML.slice(0, 100));
    }
    for (const el of document.querySelectorAll('[href], [src], [action], [formaction]')) {
        for (const name of ['href', 'src', 'action', 'formaction']) {
            const value = (el.getAttribute(name) || '').replace(/[\\x00-\\x20]/g, '').toLowerCase();
            if (/^(javascript|vbscript|data:text\\/html)/.test(value)) {
                found.push('script URL ' + el.outerHTML.slice(0, 100));
            }
        }
    }
    // Texts in attributes (alt, title, value) count as shown too.
    const attributes = [...document.querySelectorAll('[alt], [title], [value], [aria-label]')]
        .map(el => ['alt', 'title', 'value', 'aria-label'].map(a => el.getAttribute(a) || '').join(' '));
    const fields = [...document.querySelectorAll('textarea')].map(el => el.value);
    return {
        found: found,
        ran: window.__xssRan || ['no init script'],
        text: [document.title, document.body ? document.body.innerText : '', ...attributes, ...fields].join('\\n'),
    };
}"""

NUMBER = re.compile(r"xss\((\d+)\)")

#: Routes that are not pages: a redirect, the log-out, files and feeds (the
#: exports are checked on their own below).
NOT_PAGES = {
    "static",
    "pages.language",
    "pages.theme",
    "pages.favicon",
    "pages.favicon_ico",
    "pages.logo",
    "accounts.logout",
}
FILE_SUFFIXES = (".csv", ".pdf", ".json", ".geojson", ".pb", ".svg", ".ico", ".png", ".jpg")
VISITORS = ("anonymous", "resident", "facilitator", "councillor", "administrator")

#: Every query parameter the views read (``grep -rn request.args participatie``).
QUERY_NAMES = (
    "pagina",
    "page",
    "reacties",
    "sort",
    "thema",
    "theme",
    "buurt",
    "status",
    "q",
    "next",
    "idee",
    "action",
    "kind",
    "id",
    "year",
    "jaar",
    "code",
    "error",
    "state",
)


@pytest.fixture
def page(browser, live_server):
    """A page that records every payload that runs, with the CSP bypassed."""
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def problems_of(page, where: str, fields: Fields | None = None, seen=None) -> list[str]:
    """What the loaded page shows of the payloads; the numbers shown as text go to ``seen``."""
    result = page.evaluate(INSPECT)
    problems = [f"{where}: {item}" for item in result["found"]]
    problems += [f"{where}: ran __xss({n})" for n in result["ran"]]
    problems += [f"{where}: dialog {message}" for message in page.dialogs]
    page.dialogs.clear()
    if fields is not None:
        problems = [
            re.sub(r"(?<=data-xss=)([\"']?)(\d+)", lambda m: f"{m[0]} ({_label(fields, m[2])})", p)
            for p in problems
        ]
    if seen is not None:
        seen.update(int(n) for n in NUMBER.findall(result["text"]))
    return problems


def _label(fields: Fields, number: str) -> str:
    try:
        return fields.label_of(int(number))
    except StopIteration:
        return "?"


@pytest.fixture
def stored(app, world):  # noqa: F811
    """The route matrix's world with a payload in every text a person controls."""
    users, values = world
    fields = Fields()
    with app.app_context():
        ids = _fill_world(fields, users, values)
    return users, values, fields, ids


def _fill_world(fields, users, values) -> dict:
    from participatie.builtin.agenda.models import Agenda
    from participatie.builtin.agenda.models import AreaPerson
    from participatie.builtin.agenda.models import CouplingDecision
    from participatie.builtin.agenda.models import Partner
    from participatie.builtin.agenda.models import Task
    from participatie.builtin.agenda.models import Work
    from participatie.builtin.agenda.models import WorkStatusChange
    from participatie.builtin.budgets.models import Project
    from participatie.builtin.comments.models import Comment
    from participatie.builtin.feedback.models import Answer
    from participatie.builtin.feedback.models import AnswerTemplate
    from participatie.builtin.feedback.models import DecisionSummary
    from participatie.builtin.feedback.models import Execution
    from participatie.builtin.feedback.models import Milestone
    from participatie.builtin.ideas.models import Idea
    from participatie.builtin.ideas.models import IdeaUpdate
    from participatie.core.accounts.models import User
    from participatie.core.areas.models import Area
    from participatie.core.audit.models import AuditEvent
    from participatie.core.mail.models import OutboxMessage
    from participatie.core.moderation.models import Report
    from participatie.core.processes.models import Process

    for name, user in users.items():
        db.session.get(User, user.id).display_name = fields(f"display name of {name}", 80)
    process = db.session.scalar(sa.select(Process).where(Process.slug == values["slug"]))
    process.title = fields("process title", 160)
    process.summary = fields("process summary")
    process.horizontal_limits = fields("horizontal limits")
    process.decision_maker = fields("decision maker", 200)
    process.execution_owner = fields("execution owner of the process", 200)
    process.reasons[0].text = fields("reason")
    limit = process.fixed_limits[0]
    limit.title = fields("fixed limit title", 200)
    limit.source = fields("fixed limit source", 300)
    limit.description = fields("fixed limit description")
    for number, question in enumerate(process.open_questions):
        question.text = fields(f"open question {number}")
    process.themes[0].name = fields("theme", 80)
    for number, phase in enumerate(process.phases):
        phase.name = fields(f"phase {number}", 120)

    ideas = db.session.scalars(
        sa.select(Idea).where(Idea.process_id == process.id).order_by(Idea.id)
    ).all()
    own, other = ideas[0], ideas[-1]
    for label, idea in (("idea", own), ("other idea", other)):
        idea.title = fields(f"{label} title", 160)
        idea.text = fields(f"{label} text")
        idea.theme = process.themes[0]
    other.offline, other.gathered_on = True, utcnow().date()
    other.gathered_where = fields("idea gathered where", 200)
    # A photo file that is not there: the page still shows its text.
    own.photo_file, own.photo_type = "missing.jpg", "image/jpeg"
    own.photo_alt = fields("idea photo text", 300)
    # More ideas than one page, so that the list has a next page to fetch.
    for number in range(21):
        db.session.add(
            Idea(process_id=process.id, title=fields(f"idea {number} title", 160), text="")
        )
    db.session.add(IdeaUpdate(idea_id=own.id, text=fields("idea update")))
    resident = users["resident"]
    comments = [
        Comment(idea_id=own.id, author_id=resident.id, text=fields(f"comment {number}"))
        for number in range(21)
    ]
    db.session.add_all(comments)
    db.session.flush()
    db.session.add(
        Comment(
            idea_id=own.id,
            author_id=users["facilitator"].id,
            parent_id=comments[0].id,
            text=fields("reply"),
        )
    )
    db.session.add(
        Comment(
            idea_id=own.id,
            text="verborgen",
            hidden_at=utcnow(),
            hidden_reason=fields("hidden reason", 500),
        )
    )
    world_comment = db.session.get(Comment, values["comment_id"])
    world_comment.text = fields("comment on the other idea")
    own.status = "adopted"
    db.session.add(
        Answer(idea_id=own.id, status="adopted", explanation=fields("answer explanation"))
    )
    other.status = "not-adopted"
    db.session.add(
        Answer(
            idea_id=other.id,
            status="not-adopted",
            explanation=fields("answer explanation of the other idea"),
            reason_kind="other",
            reason_text=fields("answer reason"),
        )
    )
    template = db.session.get(AnswerTemplate, values["template_id"])
    template.title = fields("answer template title", 120)
    template.text = fields("answer template text")
    db.session.add(Execution(idea_id=own.id, owner=fields("execution owner of the idea", 200)))
    db.session.add(Milestone(idea_id=own.id, title=fields("milestone", 200), date=utcnow().date()))
    db.session.add(
        DecisionSummary(
            process_id=process.id, text=fields("decision summary"), published_at=utcnow()
        )
    )
    report = db.session.get(Report, values["report_id"])
    report.reason = fields("report reason")

    project = db.session.get(Project, values["project_id"])
    project.title = fields("project title", 160)
    project.description = fields("project description")
    project.direct_reason = fields("project reason")
    project.photo_file, project.photo_type = "missing.jpg", "image/jpeg"
    project.photo_alt = fields("project photo text", 300)

    partner = db.session.get(Partner, values["partner_id"])
    partner.name = fields("partner name", 160)
    partner.contact = fields("partner contact", 300)
    partner.website = "javascript:__xss(1)//https://example.org"
    person = db.session.get(AreaPerson, values["person_id"])
    person.name = fields("area person name", 160)
    person.role, person.role_text = "other", fields("area person role", 120)
    person.url = "javascript:__xss(2)//https://example.org"
    agenda = db.session.get(Agenda, values["agenda_id"])
    agenda.title = fields("agenda title", 200)
    agenda.adopted_on = utcnow().date()
    agenda.decision_reference = fields("agenda decision", 300)
    task = db.session.get(Task, values["task_id"])
    task.title = fields("task title", 200)
    task.change = fields("task change")
    for number, work_id in enumerate((values["first_id"], values["second_id"])):
        work = db.session.get(Work, work_id)
        work.title = fields(f"work {number} title", 200)
        work.description = fields(f"work {number} description")
        work.contact = fields(f"work {number} contact", 300)
        work.status_explanation = fields(f"work {number} status explanation")
    db.session.add(
        WorkStatusChange(
            work_id=values["first_id"],
            old_status="planned",
            new_status="in-execution",
            explanation=fields("work status change"),
        )
    )
    first, second = sorted((values["first_id"], values["second_id"]))
    db.session.add(
        CouplingDecision(
            first_id=first, second_id=second, decision="coordinated", text=fields("coupling")
        )
    )
    gemeente = db.session.scalar(sa.select(Area).where(Area.code == "GM0153"))
    db.session.add(
        Area(code="SD99", name=fields("stadsdeel name", 120), level="stadsdeel", parent=gemeente)
    )
    db.session.add(
        AuditEvent(
            action="idea.edit",
            object_type="idea",
            object_id=str(own.id),
            object_label=fields("audit label", 200),
            actor_email="beheer@example.org",
        )
    )
    db.session.add(
        OutboxMessage(
            recipient="someone@example.org",
            subject=fields("mail subject", 200),
            body_text="x",
            failed_at=utcnow(),
            attempts=8,
            last_error=fields("mail error", 500),
        )
    )
    db.session.commit()
    return {"own": own.id, "other": other.id, "process": process.id}


def page_urls(app, values) -> list[str]:
    """The URL of every GET page of ``app.url_map``, built with the world's values."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.endpoint.startswith("api"):
            continue
        arguments = {name: values[name] for name in rule.arguments}
        arguments.update(OVERRIDES.get(rule.endpoint, {}))
        url = rule.build(arguments, append_unknown=False)[1]
        if not url.endswith(FILE_SUFFIXES):
            urls.append(url)
    return sorted(set(urls))


def _visit(page, url: str, where: str, fields, seen) -> list[str]:
    """Open ``url`` as a page and as its htmx fragment; the problems of both."""
    response = page.goto(url)
    if response is None or "html" not in response.headers.get("content-type", ""):
        return []
    if response.status >= 500:
        return [f"{where}: {response.status}"]
    problems = problems_of(page, where, fields, seen)
    fragment = page.request.get(url, headers={"HX-Request": "true"}, max_redirects=0)
    if fragment.status >= 500:
        problems.append(f"{where} (htmx): {fragment.status}")
    body = fragment.text() if "html" in fragment.headers.get("content-type", "") else ""
    if body and "<html" not in body[:500].lower():
        page.set_content(body)
        problems += problems_of(page, f"{where} (htmx)", fields, seen)
    return problems


def test_stored_payloads_never_run_on_any_page_as_any_visitor(app, stored, browser, live_server):
    users, values, fields, ids = stored
    urls = page_urls(app, values) + [f"/ideeen/{ids['own']}/reacties?pagina=2"]
    problems, seen, looked = [], set(), 0
    for visitor in VISITORS:
        context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.dialogs = []
        page.on(
            "dialog", lambda dialog, p=page: (p.dialogs.append(dialog.message), dialog.dismiss())
        )
        if visitor != "anonymous":
            log_in(page, users[visitor].email)
        for url in urls:
            problems += _visit(page, url, f"{visitor} {url}", fields, seen)
            looked += 1
        context.close()
    assert looked > 300, looked
    assert problems == [], "\n".join(problems)
    # Every stored text is shown somewhere, as text.
    unseen = [label for label, numbers in fields.numbers.items() if not set(numbers) & seen]
    assert unseen == [], unseen


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", bypass_csp=True)
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def _png() -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 120, 60)).save(output, "PNG")
    return output.getvalue()


def test_stored_payloads_never_run_in_what_htmx_swaps_in_or_an_uploaded_file_name(stored, page):
    users, values, fields, ids = stored
    log_in(page, users["resident"].email)
    problems = []
    # The support box, swapped in by htmx.
    page.goto(f"/ideeen/{ids['other']}")
    page.locator(f"#vote-{ids['other']} button[type=submit]").click()
    page.locator(f"#vote-{ids['other']} button[aria-pressed=true]").wait_for()
    problems += problems_of(page, "support box", fields)
    # More comments.
    page.goto(f"/ideeen/{ids['own']}")
    before = page.locator(".comment, [id^=reactie-]").count()
    page.locator("a[hx-get*='/reacties']").first.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.comment, [id^=reactie-]').length > n", arg=before
    )
    problems += problems_of(page, "more comments", fields)
    # The next page of ideas.
    page.goto(f"/processen/{values['slug']}/ideeen")
    page.locator("#idea-list a[rel=next]").click()
    page.wait_for_url(re.compile(r"pagina=2"))
    page.locator("#idea-list a[rel=prev]").wait_for()
    problems += problems_of(page, "next page of ideas", fields)
    # A photo whose file name is a payload, and a file that is no photo.
    name = payload(3, 9903).replace("/", "") + ".png"
    for upload, where in (
        ({"name": name, "mimeType": "image/png", "buffer": _png()}, "photo"),
        (
            {"name": name, "mimeType": "image/png", "buffer": b"<svg onload=__xss(9904)>"},
            "no photo",
        ),
    ):
        page.goto(f"/processen/{values['slug']}/ideeen/nieuw")
        page.get_by_label("Titel").fill("Een idee met een foto")
        page.locator("input[type=file]").set_input_files(upload)
        page.locator("form button[type=submit]:not([name=preview])").last.click()
        page.wait_for_load_state()
        problems += problems_of(page, f"after sending a {where}", fields)
    assert problems == [], "\n".join(problems)


def _text_part(body: str):
    """A route handler that answers with ``body`` as a text part."""
    return lambda route: route.fulfill(body=body, content_type="text/plain; charset=utf-8")


def test_mails_with_payloads_are_plain_text_with_one_line_headers(app, stored, page, mailbox):
    from participatie.builtin.comments import service as comments
    from participatie.builtin.feedback.service import answer
    from participatie.builtin.feedback.service import AnswerInput
    from participatie.builtin.ideas import service as ideas
    from participatie.core.accounts.models import User
    from participatie.core.mail.sending import deliver
    from participatie.core.moderation import service as moderation
    from participatie.core.notifications.service import follow
    from participatie.core.notifications.service import send_digests
    from participatie.core.processes.models import Process

    users, values, fields, ids = stored
    with app.app_context():
        process = db.session.get(Process, ids["process"])
        resident = db.session.get(User, users["resident"].id)
        facilitator = db.session.get(User, users["facilitator"].id)
        councillor = db.session.get(User, users["councillor"].id)
        title = fields("mailed idea title", 120) + "\r\nBcc: evil@example.org"
        idea = ideas.submit(process, resident, title=title, text=fields("mailed idea text"))
        first = comments.add(idea, facilitator, fields("mailed comment"), None, None)
        comments.add(idea, resident, fields("mailed reply"), None, first)
        councillor.notify_mode = "daily"
        follow(councillor, "idea", idea.id)
        answer([AnswerInput(idea, "under-consideration", fields("mailed answer"))], by=facilitator)
        moderation.report(councillor, "idea", idea.id, fields("mailed report reason"))
        db.session.commit()
        send_digests()
        deliver()
    messages = list(mailbox.messages)
    subjects = " ".join(m["Subject"] for m in messages)
    # New idea, comment, reply, answer, report and the digest all went out.
    assert len(messages) >= 6, subjects
    problems = []
    allowed = {
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "content-type",
        "content-transfer-encoding",
        "mime-version",
    }
    for number, message in enumerate(messages):
        where = f"mail {number} ({message['Subject'][:40]})"
        assert not message.is_multipart() and message.get_content_type() == "text/plain", where
        extra = {name.lower() for name in message.keys()} - allowed
        if extra or message["Bcc"] is not None:
            problems.append(f"{where}: headers {extra}")
        for name, value in message.items():
            if "\r" in str(value) or "\n" in str(value).replace("\n ", ""):
                problems.append(f"{where}: header {name} is more than one line")
        body = message.get_content()
        if any(escaped in body for escaped in ("&#34;", "&#39;", "&amp;")):
            problems.append(f"{where}: the text part is HTML-escaped")
        # As a mail program in a browser shows a text part.
        page.route("**/mail-body", _text_part(body))
        page.goto("/mail-body")
        problems += problems_of(page, where, fields)
        shown = set(int(n) for n in NUMBER.findall(page.evaluate("document.body.innerText")))
        if not shown:
            problems.append(f"{where}: no payload shown as text")
        page.unroute("**/mail-body")
    mailed = {number for m in messages for number in map(int, NUMBER.findall(m.get_content()))}
    for label in (
        "mailed idea title",
        "mailed comment",
        "mailed reply",
        "mailed answer",
        "mailed report reason",
    ):
        if not set(fields.numbers[label]) & mailed:
            problems.append(f"{label}: in no mail")
    assert problems == [], "\n".join(problems)


def test_exports_carry_payloads_as_data(app, stored, page):
    from participatie.builtin.ideas.models import Idea
    from pypdf import PdfReader

    users, values, fields, ids = stored
    with app.app_context():
        ideas = db.session.scalars(sa.select(Idea).order_by(Idea.id.desc()).limit(4)).all()
        for idea, start in zip(ideas, ("=", "+", "-", "@"), strict=True):
            idea.title = f'{start}HYPERLINK("http://x") {payload(1, 9950)}'
        db.session.commit()
    slug = values["slug"]
    log_in(page, users["facilitator"].email)
    response = page.request.get(f"/processen/{slug}/export.csv")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for start in ("=", "+", "-", "@"):
        assert sum(c.startswith(f'\'{start}HYPERLINK("http://x")') for c in cells) == 1, start
    assert any("data-xss" in c for c in cells)
    # In Chromium the export is a download, never a page that could run anything.
    with page.expect_download() as download:
        try:
            page.goto(f"/processen/{slug}/export.csv")
        except Exception as error:  # noqa: BLE001 - Playwright says "Download is starting"
            assert "Download is starting" in str(error)
    assert download.value.suggested_filename.endswith(".csv")
    json_export = page.request.get(f"/processen/{slug}/export.json")
    assert json_export.headers["content-type"].startswith("application/json")
    for url, label in (
        (f"/processen/{slug}/samenvatting.pdf", "process title"),
        ("/gebieden/WK015306/voortgang.pdf", "work 0 title"),
    ):
        if label == "work 0 title":
            page.context.clear_cookies()
            log_in(page, users["councillor"].email)
        pdf = page.request.get(url)
        assert pdf.status == 200, url
        assert pdf.headers["content-type"] == "application/pdf"
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
        shown = {int(n) for n in NUMBER.findall(text)}
        assert set(fields.numbers[label]) & shown, (url, text[:400])
        assert "<img src=x data-xss" in text.replace("\n", " ") or "data-xss" in text, url


def _reflected_urls(app, values, value: str) -> list[list[str]]:
    """For every GET route: its URL, and its URL with ``value`` in each string path
    argument (where it has one)."""
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in ("accounts.logout", "static"):
            continue
        arguments = {name: values[name] for name in rule.arguments}
        arguments.update(OVERRIDES.get(rule.endpoint, {}))
        urls = [rule.build(arguments, append_unknown=False)[1]]
        strings = [n for n in rule.arguments if not isinstance(values[n], int)]
        if strings and rule.endpoint != "pages.info":
            marked = {**arguments, **{name: "PAYLOAD" for name in strings}}
            built = rule.build(marked, append_unknown=False)[1]
            urls.append(built.replace("PAYLOAD", quote(value, safe="")))
        routes.append(urls)
    return routes


#: The corpus in three parts, each of them one value: every query parameter gets each.
CHUNKS = [
    " ".join(payload(index, 9000 + index) for index in range(start, len(CORPUS), 3))
    for start in range(3)
]


def _query(value: str) -> str:
    return "&".join(f"{name}={quote(value, safe='')}" for name in QUERY_NAMES)


class _Injected(HTMLParser):
    """Finds, in an HTML text, elements a payload made: a ``data-xss`` attribute, an
    event handler or a script that calls ``__xss``."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "data-xss" or (name.startswith("on") and "__xss" in (value or "")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self.lasttag == "script" and "__xss" in data:
            self.found.append(f"<script>{data[:60]}")


def injected(html: str) -> list[str]:
    parser = _Injected()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("visitor", ["anonymous", "administrator"])
def test_reflected_payloads_in_queries_and_paths_never_run(
    app,
    world,  # noqa: F811
    browser,
    live_server,
    visitor,
):
    users, values = world
    problems = []
    # In Chromium: every route once, with one part of the corpus in every parameter
    # (the parts take turns over the routes).
    page = _new_page(browser, live_server)
    if visitor != "anonymous":
        log_in(page, users[visitor].email)
    looked = 0
    for number in range(len(_reflected_urls(app, values, ""))):
        value = CHUNKS[number % len(CHUNKS)]
        for target in _reflected_urls(app, values, value)[number]:
            if target.endswith(FILE_SUFFIXES) or target.startswith("/api/"):
                continue
            response = page.goto(f"{target}?{_query(value)}")
            looked += 1
            if response is not None and response.status >= 500:
                problems.append(f"{visitor} {target}: {response.status}")
            elif response is not None and "html" in response.headers.get("content-type", ""):
                problems += problems_of(page, f"{visitor} {target}")
    page.context.close()
    # With the test client: the whole corpus in every parameter of every route (files
    # once), each answer read as HTML for elements the payloads made.
    client, _token = _client(app, users, visitor)
    for number, value in enumerate(CHUNKS):
        for url in {url for urls in _reflected_urls(app, values, value) for url in urls}:
            if number and url.endswith(FILE_SUFFIXES):
                continue
            response = client.get(f"{url}?{_query(value)}")
            if response.status_code >= 500:
                problems.append(f"{url} with part {number}: {response.status_code}")
            elif "html" in response.content_type:
                found = injected(response.get_data(as_text=True))
                if found:
                    problems.append(f"{url} with part {number}: {found[:2]}")
    assert looked > 100, looked
    assert problems == [], "\n".join(problems)


def test_the_checks_find_a_payload_that_runs_or_is_injected(page):
    page.goto("/")
    page.set_content(
        '<main><img src=x data-xss=1 onerror="__xss(1)">'
        '<a href=" jav&#x09;ascript:void(0)">x</a></main>'
    )
    page.evaluate("() => alert('x')")
    problems = problems_of(page, "broken")
    assert any("element <img" in p for p in problems), problems
    assert any("script URL" in p for p in problems), problems
    assert any("ran __xss(1)" in p for p in problems), problems
    assert any("ran __xss(dialog x)" in p for p in problems), problems
    assert injected('<p>a</p><img src=x data-xss="9001">')
    assert injected("<script>__xss(1)</script>")
    assert not injected('<input value="&lt;img src=x data-xss=&#34;9001&#34;&gt;">')
