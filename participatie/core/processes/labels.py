"""Words residents read for the codes of a process, in their language."""

from flask_babel import lazy_gettext as _l

STATUS = {"draft": _l("Draft"), "published": _l("Open"), "closed": _l("Closed")}
REASON = {
    "support": _l("Support for choices"),
    "interests": _l("Your interests and values"),
    "knowledge": _l("Your knowledge and ideas"),
}
LEVEL = {
    "inform": _l("Inform"),
    "consult": _l("Consult"),
    "advise": _l("Advise"),
    "co-create": _l("Co-create"),
    "co-decide": _l("Co-decide"),
}
LEVEL_MEANS = {
    "inform": _l(
        "We tell you what is going to happen. You cannot change the plan, but you can ask questions."
    ),
    "consult": _l(
        "We ask your opinion. The decision-maker weighs it with other views and then decides."
    ),
    "advise": _l(
        "You give advice. The decision-maker decides, and says what was done with your advice and why."
    ),
    "co-create": _l("You work out the plan together with the municipality, within what is fixed."),
    "co-decide": _l("You decide together on what is open, within what is fixed."),
}
INTEGRALITY = {
    "balance": _l(
        "We look for a balance: no single goal may go at the cost of other important matters."
    ),
    "policy": _l("We tune several policy fields to each other, for example social and physical."),
    "execution": _l(
        "We coordinate the work in the area, so that things are done together and once."
    ),
}
ENDS = {
    "plan": _l("Your participation ends when the plan is ready."),
    "execution": _l("Your participation goes on during the execution, until the work is done."),
}
ACTION = {
    "submit": _l("submit ideas"),
    "comment": _l("comment"),
    "vote": _l("vote"),
    "budget": _l("vote on the budget"),
}
AREA_LEVEL = {
    "gemeente": _l("Municipality"),
    "stadsdeel": _l("District"),
    "wijk": _l("Wijk"),
    "buurt": _l("Buurt"),
}

REVISION_KIND = {
    "publish": _l("Published"),
    "edit": _l("Framing changed"),
    "close-phase": _l("Phase closed early"),
    "close": _l("Process closed"),
    "reopen": _l("Process reopened"),
}
FRAMING_FIELD = {
    "reasons": _l("Why residents are asked"),
    "level": _l("Level of participation"),
    "fixed_limits": _l("What is fixed"),
    "open_questions": _l("What residents can change"),
    "horizontal_limits": _l("How differing views are weighed"),
    "decision_maker": _l("Who decides"),
    "integrality": _l("Integrality"),
    "execution_owner": _l("Who carries out the result"),
    "participation_ends": _l("Where participation ends"),
    "answer_within_days": _l("Answer within (days)"),
    "phases": _l("Phases"),
    "participation_rules": _l("Who may take part"),
    "status": _l("Status"),
}
_VALUE_LABELS = {"level": LEVEL, "status": STATUS, "participation_ends": ENDS}


def framing_value_label(field: str, value):
    """A changed value as residents read it: codes in words, other values as they are."""
    labels = _VALUE_LABELS.get(field)
    if field == "integrality":
        return INTEGRALITY.get(value, value)
    return labels.get(value, value) if labels else value


def init_app(app) -> None:
    app.jinja_env.globals.update(
        status_label=lambda code: STATUS.get(code, code),
        reason_label=lambda code: REASON.get(code, code),
        level_label=lambda code: LEVEL.get(code, code),
        level_means=lambda code: LEVEL_MEANS.get(code, ""),
        integrality_label=lambda code: INTEGRALITY.get(code, ""),
        ends_label=lambda code: ENDS.get(code, ""),
        action_label=lambda code: ACTION.get(code, code),
        area_level_label=lambda code: AREA_LEVEL.get(code, code),
        participation_levels=tuple(LEVEL),
        revision_kind_label=lambda code: REVISION_KIND.get(code, code),
        framing_field_label=lambda code: FRAMING_FIELD.get(code, code),
        framing_value_label=framing_value_label,
    )
