"""Imports every model, so that the metadata is complete wherever it is used.

The core's models first, then the plugins': all are always imported, whether
or not a plugin is switched on, so switching never changes the schema.
"""

# Built-in plugins' models: always imported, whether or not a plugin is on.
from participatie.builtin.agenda.models import Agenda  # noqa: F401, E402
from participatie.builtin.agenda.models import AreaPerson  # noqa: F401, E402
from participatie.builtin.agenda.models import CouplingDecision  # noqa: F401, E402
from participatie.builtin.agenda.models import Focuswijk  # noqa: F401, E402
from participatie.builtin.agenda.models import Indicator  # noqa: F401, E402
from participatie.builtin.agenda.models import Partner  # noqa: F401, E402
from participatie.builtin.agenda.models import ProcessPartner  # noqa: F401, E402
from participatie.builtin.agenda.models import ProcessTask  # noqa: F401, E402
from participatie.builtin.agenda.models import Task  # noqa: F401, E402
from participatie.builtin.agenda.models import Work  # noqa: F401, E402
from participatie.builtin.agenda.models import WorkStatusChange  # noqa: F401, E402
from participatie.builtin.budgets.models import Ballot  # noqa: F401, E402
from participatie.builtin.budgets.models import BallotChoice  # noqa: F401, E402
from participatie.builtin.budgets.models import BudgetVote  # noqa: F401, E402
from participatie.builtin.budgets.models import Project  # noqa: F401, E402
from participatie.builtin.budgets.models import ProjectIdea  # noqa: F401, E402
from participatie.builtin.comments.models import Comment  # noqa: F401, E402
from participatie.builtin.feedback.models import Answer  # noqa: F401, E402
from participatie.builtin.feedback.models import AnswerTemplate  # noqa: F401, E402
from participatie.builtin.feedback.models import DecisionSummary  # noqa: F401, E402
from participatie.builtin.feedback.models import Execution  # noqa: F401, E402
from participatie.builtin.feedback.models import Milestone  # noqa: F401, E402
from participatie.builtin.ideas.models import Idea  # noqa: F401, E402
from participatie.builtin.ideas.models import IdeaUpdate  # noqa: F401, E402
from participatie.builtin.summaries.models import DashboardArea  # noqa: F401, E402
from participatie.builtin.votes.models import Vote  # noqa: F401, E402
from participatie.builtin.votes.models import VoteSettings  # noqa: F401, E402
from participatie.core.accounts.codes import CodeHolder  # noqa: F401
from participatie.core.accounts.codes import CodeThrottle  # noqa: F401
from participatie.core.accounts.codes import VotingCode  # noqa: F401
from participatie.core.accounts.identities import OidcIdentity  # noqa: F401
from participatie.core.accounts.kept import KeptForm  # noqa: F401
from participatie.core.accounts.models import AccountToken  # noqa: F401
from participatie.core.accounts.models import LoginThrottle  # noqa: F401
from participatie.core.accounts.models import RecoveryCode  # noqa: F401
from participatie.core.accounts.models import User  # noqa: F401
from participatie.core.accounts.profile import ParticipantProfile  # noqa: F401
from participatie.core.accounts.register import RegisterAddress  # noqa: F401
from participatie.core.accounts.register import RegisterSettings  # noqa: F401
from participatie.core.areas.models import Area  # noqa: F401
from participatie.core.areas.models import AreaFigure  # noqa: F401
from participatie.core.audit.models import AuditEvent  # noqa: F401
from participatie.core.mail.models import OutboxMessage  # noqa: F401
from participatie.core.moderation.models import Report  # noqa: F401
from participatie.core.notifications.models import DigestItem  # noqa: F401
from participatie.core.notifications.models import Follow  # noqa: F401
from participatie.core.processes.models import FixedLimit  # noqa: F401
from participatie.core.processes.models import OpenQuestion  # noqa: F401
from participatie.core.processes.models import ParticipationRule  # noqa: F401
from participatie.core.processes.models import Phase  # noqa: F401
from participatie.core.processes.models import Process  # noqa: F401
from participatie.core.processes.models import ProcessPlugin  # noqa: F401
from participatie.core.processes.models import Reason  # noqa: F401
from participatie.core.processes.models import Theme  # noqa: F401
from participatie.core.roles.models import RoleAssignment  # noqa: F401
from participatie.core.submissions import SubmissionKey  # noqa: F401
