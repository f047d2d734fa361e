"""The answer rules: statuses, what may follow what, what an answer needs.

Plain functions without a request, so the rules can be tested one by one.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from participatie.builtin.ideas.labels import STATUS_LABELS

ANSWERS = ("adopted", "partly-adopted", "not-adopted", "already-planned")
NEEDS_REASON = ("not-adopted", "partly-adopted")

#: status -> the statuses a facilitator may move an idea to from there.
#: Answers may be revised among themselves (with a new public explanation).
NEXT = {
    "submitted": ("under-consideration", *ANSWERS),
    "under-consideration": ANSWERS,
    "adopted": ("in-execution", "partly-adopted", "not-adopted", "already-planned"),
    "partly-adopted": ("in-execution", "adopted", "not-adopted", "already-planned"),
    "already-planned": ("in-execution", "adopted", "partly-adopted", "not-adopted"),
    "not-adopted": ("under-consideration", "adopted", "partly-adopted", "already-planned"),
    "in-execution": ("done",),
    "done": ("in-execution",),
}

REASON_LABELS = {
    "fixed-limit": _l("A fixed limit of this process stood in the way"),
    "other-interests": _l("Other interests or ideas were weighed against it"),
    "other": _l("Another reason"),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def check_answer(
    current: str,
    status: str,
    explanation: str,
    reason_kind: str | None,
    fixed_limit_id: int | None,
    reason_text: str,
    fixed_limit_ids: set[int],
) -> list[Problem]:
    """The problems with answering an idea in ``current`` with these values; [] when fine."""
    problems = []
    if status not in NEXT.get(current, ()):
        problems.append(
            Problem(
                "status",
                _l(
                    "An idea that is “%(current)s” cannot become “%(status)s”.",
                    current=STATUS_LABELS.get(current, current),
                    status=STATUS_LABELS.get(status, status),
                ),
            )
        )
    if not (explanation or "").strip():
        problems.append(Problem("explanation", _l("Write a public explanation for the resident.")))
    if status in NEEDS_REASON:
        if reason_kind not in REASON_LABELS:
            problems.append(Problem("reason_kind", _l("Say why the idea is not (fully) adopted.")))
        elif reason_kind == "fixed-limit" and fixed_limit_id not in fixed_limit_ids:
            problems.append(
                Problem("fixed_limit", _l("Choose which fixed limit stood in the way."))
            )
        elif reason_kind == "other" and not (reason_text or "").strip():
            problems.append(Problem("reason_text", _l("Describe the other reason.")))
    return problems


def is_answer(status: str) -> bool:
    return status in ANSWERS
