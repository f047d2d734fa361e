"""Log-ins through an OpenID Connect provider (a DigiD or eHerkenning broker, say).

One row per account and provider: the provider's stable subject identifier and
the claims the participation rules may use (birth date, postcode, house number),
as the provider last gave them. The rules in ``core/accounts/verification``
read them; the log-in flow in ``core/accounts/oidc`` writes them.
"""

from datetime import date
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from participatie.extensions import db
from participatie.extensions import UTCDateTime
from participatie.extensions import utcnow


class OidcIdentity(db.Model):
    __tablename__ = "oidc_identity"
    __table_args__ = (
        sa.UniqueConstraint("provider", "subject"),
        sa.UniqueConstraint("user_id", "provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: The provider's key in the configuration (``OIDC_PROVIDERS``), not its issuer URL.
    provider: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(255))
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    house_number: Mapped[str | None] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def identities_of(user_id: int) -> list[OidcIdentity]:
    return list(db.session.scalars(sa.select(OidcIdentity).filter_by(user_id=user_id)))
