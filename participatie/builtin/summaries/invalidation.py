"""What the cached figures are computed from: a write to any of these renews them.

The summary (``figures.summary``) and the area overview (``overview.overview``)
are kept in the shared cache per process (``participatie.caching``). Every ORM
write to the rows below marks its process; the Core statements that write such
rows (supports, ballots, imports, deadlines) mark it where they run. A change
to the areas or to what participants stated about themselves (buurt, age band,
a log-in service) renews every figure.
"""

from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.comments.models import Comment
from participatie.builtin.feedback.models import Answer
from participatie.builtin.feedback.models import Milestone
from participatie.builtin.ideas.models import Idea
from participatie.builtin.votes.models import Vote
from participatie.caching import EVERYWHERE
from participatie.caching import track
from participatie.core.accounts.codes import CodeHolder
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.areas.models import Area
from participatie.core.areas.models import AreaFigure
from participatie.core.processes.models import FixedLimit
from participatie.core.processes.models import Phase
from participatie.core.processes.models import Process
from participatie.core.processes.models import Theme


def _own(obj, session):
    """Rows with a ``process_id``; a new part added through its process marks the process."""
    return obj.process_id


def _process(obj, session):
    # A new process has no cached figures; a change to one (its area, status,
    # phases, themes as a collection) renews them.
    return obj.id


def _of_idea(obj, session):
    """Rows that belong to an idea (comments, answers, milestones): the idea's process."""
    if obj.idea_id is not None:
        idea = session.get(Idea, obj.idea_id)
    else:
        idea = getattr(obj, "idea", None)
    return idea.process_id if idea is not None else None


def _of_ballot(obj, session):
    if obj.vote_id is not None:
        vote = session.get(BudgetVote, obj.vote_id)
    else:
        vote = getattr(obj, "vote", None)
    return vote.process_id if vote is not None else None


def _everywhere(obj, session):
    return EVERYWHERE


def init_app(app) -> None:
    """Track every model the cached figures read (idempotent: the registry is per model)."""
    for model in (Idea, Vote, Phase, Theme, FixedLimit, CodeHolder):
        track(model, _own)
    track(Process, _process)
    for model in (Comment, Answer, Milestone):
        track(model, _of_idea)
    track(Ballot, _of_ballot)
    for model in (Area, AreaFigure, ParticipantProfile, OidcIdentity):
        track(model, _everywhere)
