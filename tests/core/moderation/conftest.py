from tests.core.moderation.fixtures import create_comment  # noqa: F401
from tests.core.moderation.fixtures import people  # noqa: F401
