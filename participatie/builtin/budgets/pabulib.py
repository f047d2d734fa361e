"""Reading and writing the Pabulib ``.pb`` format (pabulib.org/format).

A file has three sections in this order, each a title line (``META``,
``PROJECTS``, ``VOTES``), a header line and rows, all separated by ``;``
without quoting. ``parse`` checks the whole file and reports every wrong line,
so a facilitator can fix an export in one go.
"""

from dataclasses import dataclass
from dataclasses import field

from flask_babel import lazy_gettext as _l

from participatie.builtin.budgets.counting import Election

SECTIONS = ("META", "PROJECTS", "VOTES")
VOTE_TYPES = ("approval", "choose-1")
#: META keys that limit each ballot; each must be a whole number.
BALLOT_RULES = ("min_length", "max_length", "max_sum_cost", "max_project_cost")


class PbError(Exception):
    """A ``.pb`` file that cannot be used; ``problems`` lists (line number, message).

    Line numbers start at 1; 0 stands for the file as a whole.
    """

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("\n".join(str(message) for _, message in problems))
        self.problems = problems


@dataclass
class PbFile:
    """The content of a ``.pb`` file; projects by header name, votes as (voter, project ids)."""

    meta: dict[str, str] = field(default_factory=dict)
    projects: list[dict[str, str]] = field(default_factory=list)
    votes: list[tuple[str, list[str]]] = field(default_factory=list)


def parse(text: str) -> PbFile:
    """The ``PbFile`` in ``text``; raises ``PbError`` listing every wrong line."""
    reader = _Reader()
    reader.read(text.removeprefix("\ufeff").splitlines())
    if reader.complete:
        reader.check_totals()
    if reader.problems:
        raise PbError(sorted(reader.problems, key=lambda problem: problem[0]))
    return reader.pb


def write(pb: PbFile) -> str:
    """``pb`` as the text of a ``.pb`` file (voter columns other than the vote are not kept)."""
    header = list(pb.projects[0]) if pb.projects else ["project_id", "cost"]
    lines = ["META", "key;value"]
    lines += [f"{key};{value}" for key, value in pb.meta.items()]
    lines += ["PROJECTS", ";".join(header)]
    lines += [";".join(project.get(name, "") for name in header) for project in pb.projects]
    lines += ["VOTES", "voter_id;vote"]
    lines += [f"{voter};{','.join(ids)}" for voter, ids in pb.votes]
    return "\n".join(lines) + "\n"


def rule_of(meta: dict[str, str]) -> tuple[str, bool]:
    """Our rule code and whether the first project that does not fit is funded partly."""
    rule = meta.get("rule", "")
    leftover = meta.get("leftover_budget", "")
    if rule == "greedy":
        return "greedy", False
    if rule in ("equalshares", "equalshares/add1"):
        return "equal-shares", False
    if rule == "greedy-custom":
        if leftover.startswith("Partially fund one additional project"):
            return "greedy-stop", True
        if not leftover or leftover.startswith("Fund additional projects that fit"):
            return "greedy", False
        raise PbError(
            [(0, _l("The leftover budget rule “%(rule)s” is not supported.", rule=leftover))]
        )
    raise PbError([(0, _l("The counting rule “%(rule)s” is not supported.", rule=rule))])


def election_of(pb: PbFile) -> Election:
    """The ``Election`` of a parsed file, projects sorted by id (as numbers when all are)."""
    ids = [project["project_id"] for project in pb.projects]
    if all(_is_whole(project_id) for project_id in ids):
        ids.sort(key=int)
    else:
        ids.sort()
    cost = {project["project_id"]: int(project["cost"]) for project in pb.projects}
    return Election(
        budget=int(pb.meta["budget"]),
        costs={project_id: cost[project_id] for project_id in ids},
        ballots=[frozenset(ids) for _, ids in pb.votes],
    )


def _is_whole(value: str) -> bool:
    return value.isascii() and value.isdigit()


class _Reader:
    """One pass over the lines, collecting the content and every problem."""

    def __init__(self):
        self.pb = PbFile()
        self.problems: list[tuple[int, str]] = []
        self.meta_lines: dict[str, int] = {}
        self.project_cost: dict[str, int] = {}
        self.voters: set[str] = set()
        self.section_lines: dict[str, int] = {}
        self.rows = {"PROJECTS": 0, "VOTES": 0}
        #: Whether all three sections and their headers were there.
        self.complete = False

    def problem(self, line: int, message) -> None:
        self.problems.append((line, message))

    def read(self, lines: list[str]) -> None:
        section, header = None, None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            title = line.strip().upper()
            if title in SECTIONS:
                expected = (
                    SECTIONS[len(self.section_lines)] if len(self.section_lines) < 3 else None
                )
                if title != expected:
                    self.problem(
                        number,
                        _l(
                            "Line %(line)d: section %(section)s is out of order; the sections are META, PROJECTS, VOTES, each once.",
                            line=number,
                            section=title,
                        ),
                    )
                    return
                self.section_lines[title] = number
                section, header = title, None
                if title == "PROJECTS":
                    self.check_meta()
                continue
            if section is None:
                self.problem(
                    number, _l("Line %(line)d: the file must start with META.", line=number)
                )
                return
            if header is None:
                header = self.read_header(section, number, line)
                if header is None:
                    return
                continue
            if section in self.rows:
                self.rows[section] += 1
            getattr(self, f"read_{section.lower()}")(number, line, header)
        for title in SECTIONS:
            if title not in self.section_lines:
                self.problem(
                    len(lines) or 1,
                    _l("The file has no %(section)s section.", section=title),
                )
                return
        if header is None:
            self.problem(len(lines), _l("The VOTES section has no header line."))
            return
        self.complete = True

    def read_header(self, section: str, number: int, line: str) -> list[str] | None:
        header = [name.strip() for name in line.split(";")]
        needed = {
            "META": ["key", "value"],
            "PROJECTS": ["project_id", "cost"],
            "VOTES": ["voter_id", "vote"],
        }[section]
        if (
            header[0] != needed[0]
            or not set(needed) <= set(header)
            or len(set(header)) < len(header)
        ):
            self.problem(
                number,
                _l(
                    "Line %(line)d: the header of %(section)s must start with %(first)s and name %(names)s, each once.",
                    line=number,
                    section=section,
                    first=needed[0],
                    names=", ".join(needed),
                ),
            )
            return None
        return header

    def read_meta(self, number: int, line: str, header: list[str]) -> None:
        key, sep, value = line.partition(";")
        key = key.strip()
        if not sep or not key:
            self.problem(number, _l("Line %(line)d: a META line must be key;value.", line=number))
        elif key in self.pb.meta:
            self.problem(
                number, _l("Line %(line)d: %(key)s appears twice in META.", line=number, key=key)
            )
        else:
            self.pb.meta[key] = value.strip()
            self.meta_lines[key] = number

    def fields(self, number: int, line: str, header: list[str]) -> dict | None:
        """The line's values by header name, or None (reported) when their number is wrong."""
        fields = line.split(";")
        if len(fields) != len(header):
            self.problem(
                number,
                _l(
                    "Line %(line)d: %(found)d fields where the header has %(expected)d.",
                    line=number,
                    found=len(fields),
                    expected=len(header),
                ),
            )
            return None
        return {name: value.strip() for name, value in zip(header, fields, strict=True)}

    def read_projects(self, number: int, line: str, header: list[str]) -> None:
        project = self.fields(number, line, header)
        if project is None:
            return
        project_id, cost = project["project_id"], project["cost"]
        if not project_id:
            self.problem(number, _l("Line %(line)d: the project has no id.", line=number))
            return
        if project_id in self.project_cost:
            self.problem(
                number,
                _l("Line %(line)d: project %(id)s appears twice.", line=number, id=project_id),
            )
            return
        if not _is_whole(cost) or int(cost) <= 0:
            self.problem(
                number,
                _l(
                    "Line %(line)d: the cost of project %(id)s must be a positive whole number, not “%(cost)s”.",
                    line=number,
                    id=project_id,
                    cost=cost,
                ),
            )
            cost = "0"
        self.project_cost[project_id] = int(cost)
        self.pb.projects.append(project)

    def read_votes(self, number: int, line: str, header: list[str]) -> None:
        row = self.fields(number, line, header)
        if row is None:
            return
        voter = row["voter_id"]
        ids = [part.strip() for part in row["vote"].split(",")] if row["vote"] else []
        if not voter:
            self.problem(number, _l("Line %(line)d: the vote has no voter id.", line=number))
        elif voter in self.voters:
            self.problem(
                number, _l("Line %(line)d: voter %(id)s voted twice.", line=number, id=voter)
            )
        self.voters.add(voter)
        wrong = False
        for project_id in sorted({i for i in ids if i not in self.project_cost}):
            wrong = True
            self.problem(
                number,
                _l(
                    "Line %(line)d: project %(id)s is not in PROJECTS.",
                    line=number,
                    id=project_id,
                ),
            )
        if len(set(ids)) < len(ids):
            wrong = True
            self.problem(number, _l("Line %(line)d: the vote names a project twice.", line=number))
        if not wrong:
            self.check_ballot(number, ids)
        self.pb.votes.append((voter, ids))

    def check_meta(self) -> None:
        """Check META once it is complete (at the start of PROJECTS)."""
        meta, lines = self.pb.meta, self.meta_lines
        header_line = self.section_lines["META"] + 1
        budget = meta.get("budget")
        if budget is None:
            self.problem(header_line, _l("META has no budget."))
        elif not _is_whole(budget) or int(budget) <= 0:
            self.problem(
                lines["budget"],
                _l(
                    "Line %(line)d: the budget must be a positive whole number, not “%(value)s”.",
                    line=lines["budget"],
                    value=budget,
                ),
            )
        vote_type = meta.get("vote_type")
        if vote_type is None:
            self.problem(header_line, _l("META has no vote_type."))
        elif vote_type not in VOTE_TYPES:
            self.problem(
                lines["vote_type"],
                _l(
                    "Line %(line)d: vote type “%(value)s” is not supported; only approval and choose-1 are.",
                    line=lines["vote_type"],
                    value=vote_type,
                ),
            )
        for key in (*BALLOT_RULES, "num_projects", "num_votes"):
            if key in meta and not _is_whole(meta[key]):
                self.problem(
                    lines[key],
                    _l(
                        "Line %(line)d: %(key)s must be a whole number, not “%(value)s”.",
                        line=lines[key],
                        key=key,
                        value=meta[key],
                    ),
                )

    def rule(self, key: str) -> int | None:
        value = self.pb.meta.get(key)
        return int(value) if value is not None and _is_whole(value) else None

    def check_ballot(self, number: int, ids: list[str]) -> None:
        if self.pb.meta.get("vote_type") == "choose-1" and len(ids) != 1:
            self.problem(
                number,
                _l(
                    "Line %(line)d: a choose-1 vote names exactly one project, not %(count)d.",
                    line=number,
                    count=len(ids),
                ),
            )
        least, most = self.rule("min_length"), self.rule("max_length")
        if least is not None and len(ids) < least:
            self.problem(
                number,
                _l(
                    "Line %(line)d: the vote names %(count)d projects, fewer than the minimum of %(limit)d.",
                    line=number,
                    count=len(ids),
                    limit=least,
                ),
            )
        if most is not None and len(ids) > most:
            self.problem(
                number,
                _l(
                    "Line %(line)d: the vote names %(count)d projects, more than the maximum of %(limit)d.",
                    line=number,
                    count=len(ids),
                    limit=most,
                ),
            )
        costs = [self.project_cost[project_id] for project_id in ids]
        max_sum, max_cost = self.rule("max_sum_cost"), self.rule("max_project_cost")
        if max_sum is not None and sum(costs) > max_sum:
            self.problem(
                number,
                _l(
                    "Line %(line)d: the projects of the vote cost %(total)d together, more than the maximum of %(limit)d.",
                    line=number,
                    total=sum(costs),
                    limit=max_sum,
                ),
            )
        if max_cost is not None and any(cost > max_cost for cost in costs):
            self.problem(
                number,
                _l(
                    "Line %(line)d: the vote names a project that costs more than the maximum of %(limit)d.",
                    line=number,
                    limit=max_cost,
                ),
            )

    def check_totals(self) -> None:
        """``num_projects`` and ``num_votes`` agree with the rows, when META has them."""
        for key, found in (
            ("num_projects", self.rows["PROJECTS"]),
            ("num_votes", self.rows["VOTES"]),
        ):
            expected = self.rule(key)
            if expected is not None and expected != found:
                self.problem(
                    self.meta_lines[key],
                    _l(
                        "Line %(line)d: %(key)s is %(expected)d but the file has %(found)d.",
                        line=self.meta_lines[key],
                        key=key,
                        expected=expected,
                        found=found,
                    ),
                )
