"""Template helpers shared by every page."""


def input_attributes(field, classes: str, described_by: list[str]) -> dict:
    """HTML attributes for a form control: its classes, and its errors tied to it."""
    attributes = {"class": classes}
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


def init_app(app) -> None:
    from flask_babel import format_date
    from flask_babel import format_datetime
    from flask_babel import format_decimal
    from flask_babel import format_percent

    app.jinja_env.globals.update(
        input_attributes=input_attributes,
        format_datetime=format_datetime,
        format_date=format_date,
        format_decimal=format_decimal,
        format_percent=format_percent,
    )
