"""Areas (gemeente, stadsdeel, wijk, buurt) and their figures."""

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import column_property
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from participatie.extensions import db

LEVELS = ("gemeente", "stadsdeel", "wijk", "buurt")


class AreaFigure(db.Model):
    """One figure of an area for one year, with its unit and source (for example CBS).

    An area may hold a key for several years; pages show the latest
    (``Area.latest_figures``), the API and the councillor's indicators all.
    """

    __tablename__ = "area_figure"
    __table_args__ = (sa.UniqueConstraint("area_id", "key", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(18, 4))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    year: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(200))

    @property
    def number(self) -> int | float:
        """The value as an int when it is whole, else as a float."""
        value = self.value
        return int(value) if value == value.to_integral_value() else float(value)


class Area(db.Model):
    """An area of the municipality; ``parent`` is its direct parent.

    Codes are CBS codes (GM, WK, BU) for gemeente, wijk and buurt; a stadsdeel
    has a code the municipality chose, since CBS has no such level.
    """

    __tablename__ = "area"
    __table_args__ = (
        sa.CheckConstraint(
            sa.text("level IN ('gemeente', 'stadsdeel', 'wijk', 'buurt')"), name="level"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.code")
    figures: Mapped[list[AreaFigure]] = relationship(
        cascade="all, delete-orphan", order_by=(AreaFigure.key, AreaFigure.year)
    )

    # Loaded in the same statement as the area, so lists of areas with their
    # population take one query.
    population_value = column_property(
        sa.select(AreaFigure.value)
        .where(AreaFigure.area_id == id, AreaFigure.key == "population")
        .order_by(AreaFigure.year.desc())
        .limit(1)
        .correlate_except(AreaFigure)
        .scalar_subquery(),
        deferred=False,
    )

    @property
    def latest_figures(self) -> list[AreaFigure]:
        """Per key the figure of the latest year, by key."""
        latest: dict[str, AreaFigure] = {}
        for figure in self.figures:
            if figure.key not in latest or figure.year > latest[figure.key].year:
                latest[figure.key] = figure
        return [latest[key] for key in sorted(latest)]

    @property
    def population(self) -> int | None:
        return int(self.population_value) if self.population_value is not None else None

    @property
    def display_name(self) -> str:
        """The name without CBS's "Wijk 05 " prefix, which means little to residents."""
        name = self.name
        if self.level == "wijk" and name.startswith("Wijk ") and name[5:7].isdigit():
            return name[8:] or name
        return name

    def ancestors(self) -> list["Area"]:
        """Parents up to the gemeente, nearest first."""
        chain, area = [], self.parent
        while area is not None:
            chain.append(area)
            area = area.parent
        return chain

    def is_within(self, other: "Area") -> bool:
        """Whether this area is ``other`` or lies inside it."""
        return self.id == other.id or any(a.id == other.id for a in self.ancestors())

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"
