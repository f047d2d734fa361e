"""Who may take part: the one function the plugins ask, ``may_take_part``.

A process's participation rules (``ParticipationRule``) say per phase action
who may take part; a rule without an action holds for every action that has
no rule of its own, and a process without rules keeps the rule of old: a
confirmed account. Any one of a rule's ways suffices:

- ``account``: a confirmed e-mail account;
- ``area-resident``: an account whose address the address register knows in
  the process's area (the address stated on the account page, or the one an
  OpenID Connect provider gave);
- ``code``: whoever used a voting code for this process (with or without an
  account; see ``codes``);
- ``oidc``: an account linked to an OpenID Connect provider.

**Ages.** Only the year of birth is asked, so the age that counts is the age
a person reaches in the current calendar year: current year minus birth
year. ``min_age`` 12 admits birth year <= current year - 12 (so also someone
who turns 12 later this year); ``max_age`` 27 admits birth year >= current
year - 27 (someone who turns 28 this year is out). Both limits are
inclusive. A birth date from an OpenID Connect provider counts the same way,
by its year, so everyone is measured alike.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participatie.core.accounts import codes
from participatie.core.accounts import register
from participatie.core.accounts.identities import identities_of
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.core.areas.queries import descendant_ids
from participatie.extensions import db
from participatie.extensions import utcnow

DEFAULT_WAYS = ("account",)


@dataclass(frozen=True)
class Rule:
    action: str | None
    who: tuple[str, ...]
    min_age: int | None = None
    max_age: int | None = None

    @property
    def has_age_limit(self) -> bool:
        return self.min_age is not None or self.max_age is not None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    #: A message for the person, in their language, when not allowed.
    reason: str = ""
    #: What would help: ``login``, ``confirm``, ``code``, ``address``, ``birth-year``, or "".
    needs: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def rules_of(process) -> list[Rule]:
    """The process's rules as stored, or the rule of old when it has none."""
    stored = [
        Rule(rule.action, tuple(rule.ways) or DEFAULT_WAYS, rule.min_age, rule.max_age)
        for rule in process.participation_rules
    ]
    return stored or [Rule(None, DEFAULT_WAYS)]


def rule_for(process, action: str) -> Rule:
    rules = rules_of(process)
    for rule in rules:
        if rule.action == action:
            return rule
    for rule in rules:
        if rule.action is None:
            return rule
    return Rule(action, DEFAULT_WAYS)


def participant(process):
    """Who is taking part in ``process`` in this request: the account, or the code holder, or None."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    cache = g.setdefault("code_holders", {})
    if process.id not in cache:
        cache[process.id] = codes.session_holder(process)
    return cache[process.id]


def birth_year_of(user) -> int | None:
    for identity in identities_of(user.id):
        if identity.birth_date is not None:
            return identity.birth_date.year
    profile = db.session.get(ParticipantProfile, user.id)
    return profile.birth_year if profile else None


def age_allows(rule: Rule, birth_year: int, year: int | None = None) -> bool:
    """Whether someone born in ``birth_year`` meets the rule's ages (see the module docstring)."""
    age = (year or utcnow().year) - birth_year
    if rule.min_age is not None and age < rule.min_age:
        return False
    return not (rule.max_age is not None and age > rule.max_age)


def lives_in(user, area) -> bool:
    """Whether the register places ``user``'s checked address (or their provider's) in ``area``."""
    found: set[str] = set()
    profile = db.session.get(ParticipantProfile, user.id)
    if profile is not None and profile.address_checked_at is not None:
        found |= register.buurt_codes_of(profile.postcode, profile.house_number, profile.addition)
    for identity in identities_of(user.id):
        if identity.postcode and identity.house_number:
            number = "".join(ch for ch in identity.house_number if ch.isdigit())
            found |= register.buurt_codes_of(identity.postcode, number or None)
    if not found:
        return False
    query = sa.select(Area.id).where(Area.code.in_(found), Area.id.in_(descendant_ids(area)))
    return db.session.scalar(query.limit(1)) is not None


def _way_allows(way: str, user, process) -> bool:
    pseudonymous = codes.is_pseudonymous(user)
    real = not pseudonymous and user.imported_from is None and user.blocked_at is None
    if way == "account":
        return real and user.can_participate
    if way == "area-resident":
        return real and user.can_participate and lives_in(user, process.area)
    if way == "code":
        return user.blocked_at is None and codes.is_holder(process.id, user.id)
    if way == "oidc":
        return real and bool(identities_of(user.id))
    return False


def may_take_part(user, process, action: str) -> Verdict:
    """Whether ``user`` (an account, a code holder, or None) may do ``action`` in ``process``.

    It does not look at phases: whether the action is open is ``action_open``.
    """
    rule = rule_for(process, action)
    if user is None or getattr(user, "is_anonymous", False):
        if "code" in rule.who:
            return Verdict(
                False, _l("Log in, or use the voting code from your letter, to take part."), "code"
            )
        return Verdict(False, _l("Log in to take part."), "login")
    if not any(_way_allows(way, user, process) for way in rule.who):
        return _refusal(rule, user)
    if rule.has_age_limit:
        year = birth_year_of(user)
        if year is None:
            return Verdict(
                False,
                _l("This process has an age limit: fill in your year of birth."),
                "birth-year",
            )
        if not age_allows(rule, year):
            return Verdict(False, age_text(rule, refused=True))
    return Verdict(True)


def _refusal(rule: Rule, user) -> Verdict:
    ways = set(rule.who)
    if "account" in ways and not codes.is_pseudonymous(user) and not user.email_confirmed:
        return Verdict(
            False, _l("Confirm your email address first; then you can take part."), "confirm"
        )
    if "area-resident" in ways:
        return Verdict(
            False,
            _l(
                "This is for residents of the area. State your address on your account page; we check it against the address register."
            ),
            "address",
        )
    if "code" in ways:
        return Verdict(False, _l("Use the voting code from your letter to take part."), "code")
    if "oidc" in ways:
        return Verdict(
            False, _l("Log in through the municipality's log-in service to take part."), "login"
        )
    return Verdict(False, _l("You cannot take part in this."))


# --- In plain words ---------------------------------------------------------------

ACTION_VERBS = {
    None: _l("Taking part"),
    "submit": _l("Submitting ideas"),
    "comment": _l("Commenting"),
    "vote": _l("Supporting ideas"),
    "budget": _l("Voting on the budget"),
}

WAY_TEXTS = {
    "account": _l("with an account with a confirmed email address"),
    "area-resident": _l(
        "for residents of %(area)s whose address is checked against the address register"
    ),
    "code": _l("with the voting code from the letter that every address in %(area)s gets"),
    "oidc": _l("after logging in through the municipality's log-in service"),
}


def age_text(rule: Rule, refused: bool = False) -> str:
    if rule.min_age is not None and rule.max_age is not None:
        text = _l(
            "you must be %(min)d to %(max)d years old (the age you reach this year)",
            min=rule.min_age,
            max=rule.max_age,
        )
    elif rule.min_age is not None:
        text = _l("you must be %(min)d or older (the age you reach this year)", min=rule.min_age)
    else:
        text = _l("you must be %(max)d or younger (the age you reach this year)", max=rule.max_age)
    if refused:
        return _l("This process has an age limit: %(limit)s.", limit=text)
    return text


def describe(rule: Rule, area_name: str) -> str:
    """One sentence: "Voting on the budget is possible with the voting code …; you must be 12 or older"."""
    ways = [str(WAY_TEXTS[way]) % {"area": area_name} for way in rule.who if way in WAY_TEXTS]
    joined = str(_l(" or ")).join(ways)
    sentence = str(
        _l("%(action)s is possible %(ways)s", action=ACTION_VERBS[rule.action], ways=joined)
    )
    if rule.has_age_limit:
        sentence += "; " + str(age_text(rule))
    return sentence + "."


def described(process) -> list[str]:
    return [describe(rule, process.area.display_name) for rule in rules_of(process)]


def takes_codes(process) -> bool:
    """Whether any of the process's rules admits voting code holders."""
    return any("code" in rule.who for rule in rules_of(process))


def holds_code(process) -> bool:
    """Whether who is visiting used a voting code for ``process`` (account or this browser)."""
    person = participant(process)
    return person is not None and codes.is_holder(process.id, person.id)
