"""The framing check (product rule 10): no framing, no process.

``check_framing`` is a plain function over a process (saved or not) and
returns the blocking problems, which stop publication, and advice, which is
shown but does not. Each finding has a code, a message in the user's language
and the form field it concerns.
"""

from dataclasses import dataclass
from dataclasses import field

from flask_babel import lazy_gettext as _l

from participatie import plugins
from participatie.core.processes.models import Process

MAX_ANSWER_DAYS = 90
ADVISED_ANSWER_DAYS = 60


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    field: str


@dataclass
class FramingCheck:
    blocking: list[Finding] = field(default_factory=list)
    advice: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking

    def codes(self) -> set[str]:
        return {finding.code for finding in self.blocking + self.advice}


def check_framing(process: Process, stored_id: int | None = None) -> FramingCheck:
    """Check the framing and phases of ``process``; see the module docstring.

    ``process`` may be an unsaved copy of the stored process ``stored_id`` (a
    proposed save): the plugins' own checks read their settings by that id.
    """
    result = FramingCheck()
    block = lambda code, message, where: result.blocking.append(Finding(code, message, where))  # noqa: E731
    advise = lambda code, message, where: result.advice.append(Finding(code, message, where))  # noqa: E731

    reasons = list(process.reasons)
    kinds = {reason.kind for reason in reasons}
    limits = [limit for limit in process.fixed_limits if limit.lapsed_on is None]
    questions = [q for q in process.open_questions if (q.text or "").strip()]
    level = process.level
    participative = level is not None and level != "inform"
    high_rung = level in ("co-create", "co-decide")

    if not reasons:
        block(
            "no-reason",
            _l("Say why residents are asked: support, interests or knowledge."),
            "reasons",
        )
    if any(not (reason.text or "").strip() for reason in reasons):
        block(
            "reason-without-text", _l("Every reason needs a sentence that explains it."), "reasons"
        )
    if not level:
        block("no-level", _l("Choose the level of participation."), "level")
    if not (process.decision_maker or "").strip():
        block("no-decision-maker", _l("Name who takes the final decision."), "decision_maker")
    if not (process.horizontal_limits or "").strip():
        block(
            "no-horizontal-limits",
            _l("Say how differing views of residents will be weighed."),
            "horizontal_limits",
        )
    if not process.integrality:
        block(
            "no-integrality",
            _l("Choose which kind of integrality the process pursues."),
            "integrality",
        )
    if not (process.execution_owner or "").strip():
        block("no-execution-owner", _l("Name who carries out the result."), "execution_owner")
    if not process.participation_ends:
        block(
            "no-participation-end",
            _l("Say where participation ends: when the plan is ready, or after execution."),
            "participation_ends",
        )
    days = process.answer_within_days
    if days is None or days < 1:
        block(
            "no-answer-promise",
            _l("Promise within how many days every idea gets an answer."),
            "answer_within_days",
        )
    elif days > MAX_ANSWER_DAYS:
        block(
            "answer-promise-too-long",
            _l("Promise an answer within at most %(days)d days.", days=MAX_ANSWER_DAYS),
            "answer_within_days",
        )
    elif days > ADVISED_ANSWER_DAYS:
        advise(
            "answer-promise-long",
            _l(
                "An answer after more than %(days)d days is long for residents; consider a shorter promise.",
                days=ADVISED_ANSWER_DAYS,
            ),
            "answer_within_days",
        )
    if not limits:
        block(
            "no-fixed-limit",
            _l(
                "State at least one fixed limit, such as the budget or the council decision the process rests on."
            ),
            "fixed_limits",
        )
    if any(
        not (limit.title or "").strip() or not (limit.source or "").strip()
        for limit in process.fixed_limits
    ):
        block(
            "fixed-limit-incomplete",
            _l("Every fixed limit needs a title and a source."),
            "fixed_limits",
        )
    if participative and not questions:
        block(
            "no-open-question",
            _l("State at least one open question: what can residents still change?"),
            "open_questions",
        )
    if high_rung and len(questions) < 2:
        block(
            "too-few-open-questions",
            _l("Co-creating and co-deciding need at least two open questions."),
            "open_questions",
        )
    _check_phases(process, level, block)
    _check_participation(process, stored_id or process.id, block, advise)
    for finding, blocking in plugins.framing_findings(process, stored_id or process.id):
        (result.blocking if blocking else result.advice).append(finding)

    if high_rung and len(limits) > len(questions):
        advise(
            "consider-consult",
            _l(
                "There are more fixed limits than open questions. With so little room, consider consulting residents instead: a higher rung does not give better results."
            ),
            "level",
        )
    if high_rung and kinds == {"support"}:
        advise(
            "support-alone-at-high-rung",
            _l(
                "Seeking support alone rarely calls for co-creating or co-deciding; consider whether interests or knowledge are also sought, or choose consult."
            ),
            "reasons",
        )
    if level == "co-decide" and kinds == {"knowledge"}:
        advise(
            "knowledge-alone-at-co-decide",
            _l(
                "Gathering knowledge alone rarely calls for co-deciding; consider advise or co-create."
            ),
            "reasons",
        )
    if process.integrality == "policy":
        owner = (process.execution_owner or "").strip()
        advise(
            "policy-integrality",
            _l(
                "The Board asks for coordination of execution, not only policy integration. Who executes: %(owner)s.",
                owner=owner or _l("not named yet"),
            ),
            "integrality",
        )
    return result


def _check_phases(process, level, block) -> None:
    phases = list(process.phases)
    if level == "inform" and any(phase.allows_vote or phase.allows_budget for phase in phases):
        block("vote-in-inform", _l("An inform process has no voting phase."), "phases")
    if level and level != "inform" and not any(p.allows_submit or p.allows_comment for p in phases):
        block(
            "no-input-phase",
            _l("Add a phase in which residents can submit ideas or comment."),
            "phases",
        )
    previous_end = None
    for phase in phases:
        if phase.starts_at is None or phase.ends_at is None or phase.starts_at >= phase.ends_at:
            block("phase-order", _l("Every phase must end after it starts."), "phases")
            return
        if previous_end is not None and phase.starts_at < previous_end:
            block(
                "phase-overlap",
                _l("Phases must follow each other in order without overlapping."),
                "phases",
            )
            return
        previous_end = phase.ends_at


def _check_participation(process, stored_id, block, advise) -> None:
    """Rules of who may take part that cannot work (see ``core/accounts/verification``)."""
    from participatie.core.accounts import codes
    from participatie.core.accounts import register

    rules = list(process.participation_rules)
    if any(
        rule.min_age is not None and rule.max_age is not None and rule.min_age > rule.max_age
        for rule in rules
    ):
        block(
            "age-range-empty",
            _l("The minimum age is above the maximum age: nobody could take part."),
            "participation_rules",
        )
    with_code = [rule for rule in rules if "code" in (rule.who or "").split()]
    if with_code:
        first = codes.first_made_at(stored_id) if stored_id else None
        if first is None:
            block(
                "code-rule-without-codes",
                _l(
                    "Only voting code holders may take part, but no codes are generated yet. Generate and print them (Voting codes) before the phase opens."
                ),
                "participation_rules",
            )
        else:
            opens = [
                phase.starts_at
                for phase in process.phases
                if phase.starts_at is not None
                and any(rule.action is None or rule.action in phase.actions for rule in with_code)
            ]
            if opens and first >= min(opens):
                advise(
                    "codes-after-opening",
                    _l(
                        "The voting codes were generated after the phase opened: residents who read the framing first could not take part from the start."
                    ),
                    "participation_rules",
                )
        if any(
            "account" in (rule.who or "").split() and rule.action in (None, "vote", "budget")
            for rule in with_code
        ):
            advise(
                "code-and-account",
                _l(
                    "Votes count with a code or with an account: someone with both can vote twice. Choose one way for voting if each person may vote once."
                ),
                "participation_rules",
            )
    if any("area-resident" in (rule.who or "").split() for rule in rules):
        if process.area is None or not register.covers(process.area):
            block(
                "resident-rule-without-register",
                _l(
                    "Only residents of the area may take part, but the address register has no addresses in this area. An administrator imports it first."
                ),
                "participation_rules",
            )
