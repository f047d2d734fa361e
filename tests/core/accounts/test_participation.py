"""Who may take part: rules in the framing, voting codes, the address register, ages."""

import io
import re
import threading
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from participatie.builtin.budgets.models import Ballot
from participatie.builtin.budgets.models import BudgetVote
from participatie.builtin.budgets.models import Project
from participatie.builtin.votes.models import Vote
from participatie.core.accounts import codes
from participatie.core.accounts import register
from participatie.core.accounts import verification
from participatie.core.accounts.codes import CodeHolder
from participatie.core.accounts.codes import VotingCode
from participatie.core.accounts.identities import OidcIdentity
from participatie.core.accounts.models import User
from participatie.core.accounts.profile import ParticipantProfile
from participatie.core.processes.framing import check_framing
from participatie.core.processes.models import ParticipationRule
from participatie.core.processes.models import Process
from participatie.extensions import db
from participatie.extensions import utcnow

from tests.conftest import csrf_token
from tests.conftest import login
from tests.core.processes.test_facilitator_screens import form_data

# Buurten of wijk Enschede-Zuid (WK015306) and one outside it.
INSIDE, OUTSIDE = "BU01530600", "BU01530000"
REGISTER = (
    "postcode;huisnummer;toevoeging;buurtcode\n"
    f"7511 AA;1;;{INSIDE}\n"
    f"7511AA;1;A;{INSIDE}\n"
    f"7511AB;2;;{OUTSIDE}\n"
)


def _process(app, slug) -> Process:
    return db.session.scalar(sa.select(Process).where(Process.slug == slug))


def _set_rules(app, slug, *rules):
    with app.app_context():
        process = _process(app, slug)
        process.participation_rules = []
        db.session.flush()
        process.participation_rules = [
            ParticipationRule(action=a, who=w, min_age=lo, max_age=hi, position=i)
            for i, (a, w, lo, hi) in enumerate(rules)
        ]
        db.session.commit()


def _make_codes(app, slug, count) -> list[str]:
    with app.app_context():
        made = codes.generate(_process(app, slug), count)
        db.session.commit()
        return made


def _budget_phase(app, slug):
    """The process's first phase becomes a budget vote, open now, with three projects."""
    with app.app_context():
        process = _process(app, slug)
        now = utcnow()
        process.phases[0].allows_budget = True
        process.phases[0].starts_at = now - timedelta(days=1)
        limit = process.fixed_limits[0]
        limit.kind, limit.amount = "budget", 30_000
        vote = BudgetVote(process_id=process.id, budget=30_000, min_projects=1, max_projects=3)
        db.session.add(vote)
        for title, cost in (("Bankjes", 5_000), ("Bomen", 10_000), ("Speeltuin", 20_000)):
            db.session.add(Project(vote=vote, title=title, cost=cost, direct_reason="Test"))
        db.session.commit()
        return [p.id for p in vote.projects]


@pytest.fixture
def letter_vote(app, create_process):
    """A published process whose budget vote is only for code holders of 12 and older."""
    process = create_process(status="published", slug="wijkbudget")
    projects = _budget_phase(app, process.slug)
    _set_rules(app, process.slug, ("budget", "code", 12, None))
    return process, projects


def _import_register(app, text=REGISTER, maximum=None):
    with app.app_context():
        result = register.import_csv(io.BytesIO(text.encode()))
        assert result.problems == []
        register.settings().max_per_address = maximum
        db.session.commit()


# --- The codes themselves -------------------------------------------------------------


def test_codes_are_unique_over_100000_and_printed_in_groups_without_look_alikes():
    made = [codes.new_code() for _ in range(100_000)]
    assert len(set(made)) == len(made)
    assert codes.BITS >= 40
    for code in made[:2000]:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code) & set("01OIL")
    assert codes.normalize(" abcd efgh-jkmn ") == "ABCDEFGHJKMN"
    assert codes.normalize("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet
    assert codes.normalize("ABCD-EFGH") is None


def test_only_a_hash_of_a_code_is_stored_and_it_is_bound_to_its_process(app, create_process):
    first = create_process(status="published", slug="een")
    second = create_process(status="published", slug="twee")
    [code] = _make_codes(app, "een", 1)
    with app.app_context():
        stored = db.session.scalar(sa.select(VotingCode.code_hash))
        assert codes.normalize(code) not in stored and code not in stored
        assert codes.redeem(_process(app, "twee"), code, "1.2.3.4").reason == "wrong"
        assert codes.redeem(_process(app, "een"), code, "1.2.3.4").ok
        db.session.commit()
        assert codes.redeem(_process(app, "een"), code, "1.2.3.5").reason == "wrong"
    assert first.id != second.id


# --- Using a code ----------------------------------------------------------------


def test_a_code_holder_without_an_account_votes_on_the_budget_after_giving_a_birth_year(
    app, letter_vote
):
    process, projects = letter_vote
    [code] = _make_codes(app, process.slug, 1)
    client = app.test_client()
    page = client.get(f"/processen/{process.slug}")
    assert "Ik heb een stemcode" in page.text or "I have a voting code" in page.text
    form = client.get(f"/processen/{process.slug}/stemcode?code={code}")
    assert code in form.text
    token = csrf_token(client, f"/processen/{process.slug}/stemcode")
    answer = client.post(
        f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": code}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/geboortejaar")
    assert "Je hebt al een stemcode gebruikt" in client.get(f"/processen/{process.slug}").text
    ballot = f"/processen/{process.slug}/begroting"
    data = {"csrf_token": token, "action": "cast", "project": [str(projects[0])]}
    refused = client.post(ballot, data=data)
    assert refused.status_code == 400
    year = utcnow().year
    too_young = client.post(
        f"/processen/{process.slug}/geboortejaar",
        data={"csrf_token": token, "birth_year": str(year - 11)},
    )
    assert too_young.status_code == 302
    assert client.post(ballot, data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
        # The year is asked once: a second answer is refused.
        holder = db.session.scalar(sa.select(CodeHolder))
        db.session.get(ParticipantProfile, holder.user_id).birth_year = year - 12
        db.session.commit()
    again = client.post(
        f"/processen/{process.slug}/geboortejaar",
        data={"csrf_token": token, "birth_year": "1950"},
    )
    assert again.status_code == 409
    cast = client.post(ballot, data=data)
    assert cast.status_code == 302, cast.text[cast.text.find("<main") :][:3000]
    with app.app_context():
        [row] = db.session.scalars(sa.select(Ballot)).all()
        user = db.session.get(User, row.user_id)
        assert user.imported_from == f"stemcode:{process.id}" and user.password_hash is None
        used = db.session.scalar(sa.select(VotingCode))
        assert used.used_on == utcnow().date()


def test_a_logged_in_resident_uses_a_code_and_an_account_alone_is_refused(
    app, letter_vote, create_user
):
    process, projects = letter_vote
    [code] = _make_codes(app, process.slug, 1)
    resident = create_user()
    with app.app_context():
        db.session.add(ParticipantProfile(user_id=resident.id, birth_year=2000))
        db.session.commit()
    client = app.test_client()
    login(client, resident.email)
    token = csrf_token(client, f"/processen/{process.slug}/begroting")
    data = {"csrf_token": token, "action": "cast", "project": [str(projects[0])]}
    refused = client.post(f"/processen/{process.slug}/begroting", data=data)
    assert refused.status_code == 400
    assert "voting code" in refused.text or "stemcode" in refused.text
    client.post(f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": code})
    assert client.post(f"/processen/{process.slug}/begroting", data=data).status_code == 302
    with app.app_context():
        assert [b.user_id for b in db.session.scalars(sa.select(Ballot))] == [resident.id]
        assert codes.is_holder(process.id, resident.id)


def test_wrong_codes_get_one_message_and_stop_at_the_limit_with_a_time(app, letter_vote):
    process, _ = letter_vote
    [code] = _make_codes(app, process.slug, 1)
    app.config["CODE_MAX_FAILURES"] = 3
    client = app.test_client()
    token = csrf_token(client, f"/processen/{process.slug}/stemcode")
    url = f"/processen/{process.slug}/stemcode"
    texts = []
    for typed in ("AAAA-BBBB-CCCC", "not a code", "ZZZZ-ZZZZ-ZZZZ"):
        answer = client.post(url, data={"csrf_token": token, "code": typed})
        assert answer.status_code == 400
        texts.append(re.search(r'error-message"[^>]*>([^<]+)<', answer.text).group(1))
    assert texts[0] == texts[1]
    assert "Try again after" in texts[2] or "Probeer het opnieuw na" in texts[2]
    # Locked: even the right code is refused now, from this address.
    locked = client.post(url, data={"csrf_token": token, "code": code})
    assert locked.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(VotingCode.used_on)) is None


def test_the_total_limit_holds_across_client_addresses(app, letter_vote):
    process, _ = letter_vote
    [code] = _make_codes(app, process.slug, 1)
    app.config["CODE_MAX_FAILURES_TOTAL"] = 5
    with app.app_context():
        target = _process(app, process.slug)
        results = [codes.redeem(target, "AAAA-AAAA-AAAA", f"10.0.0.{n}") for n in range(5)]
        db.session.commit()
        assert [r.reason for r in results] == ["wrong"] * 4 + ["locked"]
        later = codes.redeem(target, code, "10.9.9.9")
        assert later.reason == "locked" and later.locked_until > utcnow()


def test_one_code_in_eight_parallel_requests_gives_one_ballot(app, letter_vote):
    process, projects = letter_vote
    [code] = _make_codes(app, process.slug, 1)
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token(c, f"/processen/{process.slug}/stemcode") for c in clients]
    with app.app_context():
        db.session.query(ParticipationRule).update({"min_age": None})
        db.session.commit()
    barrier = threading.Barrier(8)

    def use(client, token):
        barrier.wait()
        client.post(f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": code})
        data = {"csrf_token": token, "action": "cast", "project": [str(projects[0])]}
        client.post(f"/processen/{process.slug}/begroting", data=data)

    threads = [
        threading.Thread(target=use, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeHolder)) == 1
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.imported_from.is_not(None))
            )
            == 1
        )


def test_one_code_in_eight_parallel_requests_gives_one_support(app, create_process, create_idea):
    process = create_process(status="published", slug="steun")
    idea_id = create_idea(process)
    _set_rules(app, process.slug, ("vote", "code", None, None))
    [code] = _make_codes(app, process.slug, 1)
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token(c, f"/processen/{process.slug}/stemcode") for c in clients]
    barrier = threading.Barrier(8)

    def use(client, token):
        barrier.wait()
        client.post(f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": code})
        client.post(f"/ideeen/{idea_id}/steun", data={"csrf_token": token})

    threads = [
        threading.Thread(target=use, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 1


# --- Letters and the mailing list -----------------------------------------------------


def test_the_letters_hold_each_code_once_and_a_qr_code_of_the_process_address(
    app, letter_vote, create_user, grant
):
    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    process, _ = letter_vote
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    client = app.test_client()
    login(client, facilitator.email)
    url = f"/processen/{process.slug}/stemcodes"
    token = csrf_token(client, url)
    addresses = (
        "postcode;huisnummer;toevoeging;buurtcode\n"
        f"7511AA;1;;{INSIDE}\n7511AA;1;A;\n7511AA;3;;{INSIDE}\n"
    )
    answer = client.post(
        url,
        data={
            "csrf_token": token,
            "source": "addresses",
            "addresses": (io.BytesIO(addresses.encode()), "adressen.csv"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    rows = archive.read("stemcodes.csv").decode("utf-8").splitlines()
    assert rows[0] == "stemcode;postcode;huisnummer;toevoeging;buurtcode"
    assert rows[2].split(";")[1:] == ["7511AA", "1", "A", ""]
    printed = [row.split(";")[0] for row in rows[1:]]
    reader = PdfReader(io.BytesIO(archive.read("brieven.pdf")))
    assert len(reader.pages) == 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    for number, code in enumerate(printed):
        assert text.count(code) == 1
        page = reader.pages[number]
        assert code in page.extract_text()
        [image] = page.images
        [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
        assert found.text == f"http://localhost/processen/{process.slug}/stemcode?code={code}"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VotingCode)) == 3
        # Nothing of the addresses is stored.
        tables = [t for t in db.metadata.tables.values() if "postcode" in t.c]
        assert {t.name for t in tables} == {
            "register_address",
            "participant_profile",
            "oidc_identity",
        }
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ParticipantProfile)) == 0


def test_every_wrong_row_of_an_address_list_is_reported_and_no_code_is_made(
    app, letter_vote, create_user, grant
):
    process, _ = letter_vote
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    client = app.test_client()
    login(client, facilitator.email)
    url = f"/processen/{process.slug}/stemcodes"
    token = csrf_token(client, url)
    addresses = (
        "postcode;huisnummer;toevoeging;buurtcode\n"
        "7511AA;1;;\n75AA;1;;\n7511AA;x;;\n7511AA;2;;BU99999999\n7511AA;1;;\n"
    )
    answer = client.post(
        url,
        data={
            "csrf_token": token,
            "source": "addresses",
            "addresses": (io.BytesIO(addresses.encode()), "adressen.csv"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    for line in (3, 4, 5, 6):
        assert re.search(rf"(Row|Rij) {line}:", answer.text)
    assert not re.search(r"(Row|Rij) 2:", answer.text)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VotingCode)) == 0


def test_the_command_line_writes_the_letters_and_the_list(app, runner, letter_vote, tmp_path):
    process, _ = letter_vote
    result = runner.invoke(
        args=[
            "codes",
            "generate",
            process.slug,
            "--count",
            "4",
            "--csv",
            str(tmp_path / "codes.csv"),
            "--pdf",
            str(tmp_path / "brieven.pdf"),
        ]
    )
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "codes.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "stemcode" and len(lines) == 5
    assert (tmp_path / "brieven.pdf").read_bytes().startswith(b"%PDF")
    with app.app_context():
        target = _process(app, process.slug)
        assert codes.redeem(target, lines[1], "1.1.1.1").ok


# --- The address register -------------------------------------------------------------


def test_register_import_reports_every_wrong_row_and_changes_nothing(app, areas):
    _import_register(app)
    bad = (
        "postcode;huisnummer;toevoeging;buurtcode\n"
        f"7511AA;1;;{INSIDE}\n"
        f"75AA;1;;{INSIDE}\n"
        "7511AA;2;;BU00000000\n"
        f"7511AA;1;;{INSIDE}\n"
        "7511AA;3\n"
    )
    with app.app_context():
        result = register.import_csv(io.BytesIO(bad.encode()))
        assert [line for line, _ in result.problems] == [3, 4, 5, 6]
        db.session.rollback()
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(register.RegisterAddress)) == 3
        )


def test_the_area_rule_admits_residents_inside_and_refuses_those_outside(
    app, create_process, create_user
):
    process = create_process(status="published")
    _import_register(app)
    _set_rules(app, process.slug, (None, "area-resident", None, None))
    inside, outside, unchecked, provider = (create_user() for _ in range(4))
    with app.app_context():
        register.check_address(inside.id, "7511AA", 1, "A", use_buurt=True)
        register.check_address(outside.id, "7511AB", 2, "", use_buurt=False)
        db.session.add(
            OidcIdentity(
                user_id=provider.id,
                provider="digid",
                subject="s1",
                postcode="7511 AA",
                house_number="1",
            )
        )
        db.session.commit()
        target = _process(app, process.slug)
        verdicts = {
            name: verification.may_take_part(db.session.get(User, user.id), target, "submit")
            for name, user in (
                ("inside", inside),
                ("outside", outside),
                ("unchecked", unchecked),
                ("provider", provider),
            )
        }
        assert verdicts["inside"].allowed and verdicts["provider"].allowed
        assert not verdicts["outside"].allowed and verdicts["outside"].needs == "address"
        assert not verdicts["unchecked"].allowed
        profile = db.session.get(ParticipantProfile, inside.id)
        assert profile.buurt.code == INSIDE
        assert db.session.get(ParticipantProfile, outside.id).buurt_id is None
    with pytest.raises(register.AddressRefused):
        with app.app_context():
            register.check_address(unchecked.id, "7511AA", 9, "", use_buurt=True)


def test_at_most_n_accounts_per_address_under_parallel_requests(app, areas, create_user):
    _import_register(app, maximum=2)
    people = [create_user() for _ in range(8)]
    clients = []
    for person in people:
        client = app.test_client()
        login(client, person.email)
        clients.append((client, csrf_token(client, "/account")))
    barrier = threading.Barrier(len(clients))
    statuses = []

    def state(client, token):
        barrier.wait()
        answer = client.post(
            "/account/adres",
            data={"csrf_token": token, "postcode": "7511 aa", "house_number": "1", "addition": ""},
        )
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=state, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 8
    with app.app_context():
        checked = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ParticipantProfile)
            .where(ParticipantProfile.address_checked_at.is_not(None))
        )
        assert checked == 2


# --- Ages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_year", "allowed"),
    [(2014, True), (2015, False), (1999, True), (1998, False)],
)
def test_ages_count_the_age_reached_this_year_with_both_limits_included(birth_year, allowed):
    rule = verification.Rule("budget", ("code",), min_age=12, max_age=27)
    assert verification.age_allows(rule, birth_year, year=2026) is allowed


def test_a_birth_date_from_the_provider_counts_by_its_year(app, create_process, create_user):
    from datetime import date

    process = create_process(status="published")
    _set_rules(app, process.slug, (None, "oidc", 12, None))
    person = create_user()
    year = utcnow().year
    with app.app_context():
        db.session.add(
            OidcIdentity(
                user_id=person.id, provider="digid", subject="x", birth_date=date(year - 12, 12, 31)
            )
        )
        db.session.add(ParticipantProfile(user_id=person.id, birth_year=year - 40))
        db.session.commit()
        target = _process(app, process.slug)
        assert verification.may_take_part(db.session.get(User, person.id), target, "vote")
        identity = db.session.scalar(sa.select(OidcIdentity))
        identity.birth_date = date(year - 11, 1, 1)
        db.session.commit()
        verdict = verification.may_take_part(db.session.get(User, person.id), target, "vote")
        assert not verdict.allowed and verdict.needs == ""


# --- The framing check, the API, the form and its history ----------------------------------


def test_the_framing_check_blocks_rules_that_cannot_work(app, create_process):
    process = create_process(status="draft")
    _set_rules(app, process.slug, ("vote", "code", 14, 12), ("submit", "area-resident", None, None))
    with app.app_context():
        codes_found = check_framing(_process(app, process.slug)).codes()
        assert {
            "age-range-empty",
            "code-rule-without-codes",
            "resident-rule-without-register",
        } <= codes_found
    _make_codes(app, process.slug, 2)
    _import_register(app)
    _set_rules(app, process.slug, ("vote", "code", 12, 14), ("submit", "area-resident", None, None))
    with app.app_context():
        result = check_framing(_process(app, process.slug))
        assert result.ok, result.blocking
        # The codes came after the phase opened: advice, not a block.
        assert "codes-after-opening" in result.codes()


def test_the_api_shows_the_rules_and_the_rule_of_old_without_any(app, create_process):
    process = create_process(status="published")
    answer = app.test_client().get(f"/api/v1/processes/{process.slug}")
    assert answer.json["framing"]["participation_rules"] == [
        {"action": None, "who": ["account"], "min_age": None, "max_age": None}
    ]
    _set_rules(app, process.slug, ("budget", "code account", 12, 27), (None, "account", None, None))
    answer = app.test_client().get(f"/api/v1/processes/{process.slug}")
    assert answer.json["framing"]["participation_rules"] == [
        {"action": "budget", "who": ["account", "code"], "min_age": 12, "max_age": 27},
        {"action": None, "who": ["account"], "min_age": None, "max_age": None},
    ]


def test_the_panel_says_it_in_plain_words(app, letter_vote):
    process, _ = letter_vote
    client = app.test_client()
    page = client.get(f"/processen/{process.slug}").text
    assert (
        "Stemmen over de begroting kan met de stemcode uit de brief die elk adres in "
        "Enschede-Zuid krijgt; je moet 12 jaar of ouder zijn"
    ) in page
    english = client.get(f"/taal/en?next=/processen/{process.slug}", follow_redirects=True).text
    assert "Voting on the budget is possible with the voting code from the letter" in english
    assert "you must be 12 or older" in english


def test_saving_rules_on_a_published_process_is_a_revision(app, create_process, create_user, grant):
    from participatie.core.processes.models import FramingRevision

    process = create_process(status="published")
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    client = app.test_client()
    login(client, facilitator.email)
    data = form_data(client, f"/processen/{process.slug}/bewerken")
    data.update(
        {
            "participation_rules-0-action": "vote",
            "participation_rules-0-who": ["account", "oidc"],
            "participation_rules-0-min_age": "16",
            "change_explanation": "Alleen vanaf 16.",
        }
    )
    answer = client.post(f"/processen/{process.slug}/bewerken", data=data)
    assert answer.status_code == 302, answer.text[:2000]
    with app.app_context():
        rule = db.session.scalar(sa.select(ParticipationRule))
        assert (rule.action, rule.who, rule.min_age) == ("vote", "account oidc", 16)
        revision = db.session.scalar(sa.select(FramingRevision).where(FramingRevision.number == 1))
        assert revision.changes == [
            {"field": "participation_rules", "old": [], "new": ["vote: account, oidc · 16–"]}
        ]


# --- Counted right ------------------------------------------------------------------


def test_the_summary_counts_each_participant_once_by_how_they_were_verified(
    app, create_process, create_user, create_idea
):
    from participatie.builtin.summaries.verified import verified_by

    process = create_process(status="published", slug="geteld")
    idea_id = create_idea(process)
    _import_register(app)
    _set_rules(app, process.slug, ("vote", "code account", None, None))
    holders = [create_user() for _ in range(5)]
    residents = [create_user() for _ in range(5)]
    plain = [create_user() for _ in range(6)]
    both = create_user()
    with app.app_context():
        target = _process(app, process.slug)
        anonymous = [codes._pseudonymous_participant(target) for _ in range(2)]
        for person in [*holders, both, *anonymous]:
            db.session.add(CodeHolder(process_id=target.id, user_id=person.id))
        for person in [*residents, both]:
            register.check_address(person.id, "7511AA", 1, "", use_buurt=True)
        register.settings().max_per_address = None
        for person in [*holders, *residents, *plain, both, *anonymous]:
            db.session.add(Vote(idea_id=idea_id, user_id=person.id, process_id=target.id))
        db.session.commit()
        counted = verified_by(target)
    assert counted == {
        "code": 8,
        "oidc": 0,
        "area-resident": 5,
        "imported": 0,
        "account": 6,
    }
    page = app.test_client().get(f"/processen/{process.slug}/samenvatting")
    assert page.status_code == 200
    assert "verified-table" in page.text
    from pypdf import PdfReader

    document = app.test_client().get(f"/processen/{process.slug}/samenvatting.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.data)).pages)
    assert re.search(r"(How participation was verified|Hoe is gecontroleerd)", text)


def test_a_code_used_before_logging_in_counts_for_the_account_unless_used_already(
    app, letter_vote, create_user
):
    process, projects = letter_vote
    first, second = _make_codes(app, process.slug, 2)
    resident, other = create_user(), create_user()
    # Used, then logged in before taking part: the account holds the code now.
    client = app.test_client()
    token = csrf_token(client, f"/processen/{process.slug}/stemcode")
    client.post(f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": first})
    login(client, resident.email)
    # Used and voted with, then logged in: the vote stays the pseudonymous one's.
    voter = app.test_client()
    token = csrf_token(voter, f"/processen/{process.slug}/stemcode")
    voter.post(f"/processen/{process.slug}/stemcode", data={"csrf_token": token, "code": second})
    voter.post(
        f"/processen/{process.slug}/geboortejaar", data={"csrf_token": token, "birth_year": "1990"}
    )
    data = {"csrf_token": token, "action": "cast", "project": [str(projects[0])]}
    assert voter.post(f"/processen/{process.slug}/begroting", data=data).status_code == 302
    login(voter, other.email)
    with app.app_context():
        assert codes.is_holder(process.id, resident.id)
        assert not codes.is_holder(process.id, other.id)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeHolder)) == 2


def test_the_form_refuses_a_rule_without_a_way_and_two_rules_for_one_action(
    app, create_process, create_user, grant
):
    process = create_process(status="draft")
    facilitator = create_user(email="begeleider@example.org")
    grant(facilitator, "facilitator", "WK015306")
    client = app.test_client()
    login(client, facilitator.email)
    path = f"/processen/{process.slug}/bewerken"
    data = form_data(client, path, **{"participation_rules-0-action": "vote", "action": "save"})
    answer = client.post(path, data=data)
    assert answer.status_code == 400
    assert (
        "Kies minstens één manier om mee te doen." in answer.text
        or "at least one way" in answer.text
    )
    data = form_data(client, path, action="add-participation_rules")
    page = client.post(path, data=data)
    assert 'name="participation_rules-1-action"' in page.text
    data = form_data(
        client,
        path,
        **{
            "participation_rules-0-action": "vote",
            "participation_rules-0-who": "account",
            "participation_rules-1-action": "vote",
            "participation_rules-1-who": "code",
            "action": "save",
        },
    )
    answer = client.post(path, data=data)
    assert answer.status_code == 400
    assert "hoogstens één regel" in answer.text or "at most one rule" in answer.text, re.findall(
        r"error-message[^>]*>([^<]*)", answer.text
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ParticipationRule)) == 0


def test_the_administrator_imports_the_register_with_errors_per_row_and_sets_the_limit(
    app, areas, create_user, grant
):
    admin = create_user(email="beheer@example.org")
    grant(admin, "administrator")
    client = app.test_client()
    login(client, admin.email)
    token = csrf_token(client, "/beheer/adresregister")
    bad = f"postcode;huisnummer;toevoeging;buurtcode\n7511AA;1;;{INSIDE}\n7511AA;nul;;{INSIDE}\n"
    answer = client.post(
        "/beheer/adresregister",
        data={"csrf_token": token, "file": (io.BytesIO(bad.encode()), "bag.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and re.search(r"(Row|Rij) 3:", answer.text)
    with app.app_context():
        assert not register.imported()
    answer = client.post(
        "/beheer/adresregister",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(REGISTER.encode()), "bag.csv"),
            "max_per_address": "2",
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    with app.app_context():
        assert register.settings().addresses == 3 and register.settings().max_per_address == 2
