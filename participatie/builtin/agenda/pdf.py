"""The councillor's page as a PDF, in the style of the summary's PDF (fpdf2, DejaVu Sans)."""

from flask import current_app
from flask import Response
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import format_decimal
from flask_babel import gettext as _

from participatie.builtin.agenda import labels
from participatie.extensions import utcnow
from participatie.pdfdoc import Document


def _owner(work) -> str:
    return work.owner.name if work.owner is not None else _("The municipality")


def _works(pdf, works, data) -> None:
    if not works:
        return
    rows = []
    for work in works:
        status = str(labels.WORK_STATUS[work.status])
        if data["is_late"](work, data["today"]):
            status += " · " + _("Late")
        rows.append(
            [
                work.title,
                f"{data['month'](work.starts_on)} – {data['month'](work.ends_on)}",
                _owner(work),
                status,
            ]
        )
    pdf.grid([_("Work"), _("When"), _("Carried out by"), _("Status")], rows, (70, 30, 40, 34))
    for work in works:
        if work.status == "postponed" and work.status_explanation:
            pdf.paragraph(
                _(
                    "%(title)s is postponed: %(text)s",
                    title=work.title,
                    text=work.status_explanation,
                )
            )


def render(area, data) -> bytes:
    made = format_datetime(utcnow(), "d MMMM y HH:mm")
    title = _("Progress on the agenda of %(name)s", name=area.display_name)
    pdf = Document(f"{title} · {made}")
    pdf.set_title(title)
    pdf.set_author(current_app.config.get("MUNICIPALITY_NAME") or area.name)
    pdf.set_creator("Participatie")
    pdf.add_page()
    pdf.heading(title, size=16)
    pdf.paragraph(_("made on %(date)s", date=made))
    for agenda in data["agendas"]:
        line = f"{agenda.title} {agenda.period}"
        if agenda.adopted_on:
            line += " · " + _(
                "Adopted by the council on %(date)s (%(reference)s).",
                date=format_date(agenda.adopted_on, "d MMMM y"),
                reference=agenda.decision_reference,
            )
        pdf.paragraph(line)
    for row in data["rows"]:
        task = row.task
        pdf.heading(task.title)
        pdf.paragraph(
            f"{labels.DOMAIN[task.domain]} · {labels.TASK_STATUS[task.status]}. {task.change}"
        )
        if row.processes:
            pdf.grid(
                [_("Process"), _("Took part"), _("Ideas adopted")],
                [[p.title, row.participants[p.id], row.adopted[p.id]] for p in row.processes],
                (110, 32, 32),
            )
        else:
            pdf.paragraph(_("No process serves this task yet."))
        _works(pdf, row.works, data)
        if row.indicators:
            pdf.grid(
                [_("Figure"), _("Baseline"), _("Latest figure"), _("Target"), _("By year")],
                [
                    [
                        str(labels.FIGURE.get(item["indicator"].key, item["indicator"].key)),
                        _number(item["indicator"].baseline, item["indicator"].year),
                        _number(item["figure"].number, item["figure"].year)
                        if item["figure"]
                        else None,
                        _number(item["indicator"].target, None),
                        " · ".join(f"{f.year}: {format_decimal(f.number)}" for f in item["years"])
                        or None,
                    ]
                    for item in row.indicators
                ],
                (44, 30, 30, 24, 46),
            )
    if data["loose"]:
        pdf.heading(_("Works without a task"))
        _works(pdf, data["loose"], data)
    return bytes(pdf.output())


def _number(value, year) -> str | None:
    if value is None:
        return None
    text = format_decimal(value)
    return f"{text} ({year})" if year else text


def response(area, data) -> Response:
    result = Response(render(area, data), mimetype="application/pdf")
    result.headers["Content-Disposition"] = f'attachment; filename="{area.code}-voortgang.pdf"'
    return result
