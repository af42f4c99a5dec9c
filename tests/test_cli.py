"""CLI commands: the demo area, the generated dataset and the first admin."""
from sqlalchemy import func, select

from directory import vocab
from directory.extensions import db
from directory.models import Actor, ActorFacet, Area, BarrierReport, Collaboration, User


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_demo_load_meets_the_brief_and_is_idempotent(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "Loaded" in result.output
    area = db.session.scalar(select(Area))
    assert area.is_demo and "fictional" in area.name.lower()
    services = db.session.scalars(select(Actor).where(Actor.kind == "service")).all()
    assert len(services) >= 40
    types = {t for s in services for t in s.service_types}
    assert types == set(vocab.SERVICE_TYPES.keys())
    stages = {st for s in services for st in s.stages}
    assert stages == set(vocab.STAGE_NUMBERS) - {6}  # the deliberate gap
    assert _count(Actor, Actor.kind == "forum") >= 5
    assert _count(Actor, Actor.kind == "researcher") == 8
    assert _count(Collaboration) >= 120
    kinds = set(db.session.scalars(select(Collaboration.kind).distinct()))
    assert kinds == set(vocab.LINK_KINDS.keys())
    statuses = set(db.session.scalars(select(Collaboration.status).distinct()))
    assert {"proposed", "ended", "confirmed"} <= statuses
    assert _count(BarrierReport) >= 3
    assert [s.name for s in services if s.confidential] == ["Safe Haven Refuge"]
    # All on real UK coordinates.
    assert all(49.9 < s.latitude < 60.9 and -8.7 < s.longitude < 1.8 for s in services)

    before = (_count(Actor), _count(Collaboration), _count(BarrierReport), _count(ActorFacet))
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert (_count(Actor), _count(Collaboration), _count(BarrierReport), _count(ActorFacet)) == before


def test_demo_generate_is_deterministic_in_shape(runner):
    result = runner.invoke(args=["demo", "generate", "--services", "400", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert _count(Actor, Actor.kind == "service") == 400
    assert _count(Actor, Actor.kind == "forum") == 30
    assert _count(Actor, Actor.kind == "researcher") == 40
    assert _count(Collaboration) == 2000
    assert _count(Area) == 3
    again = runner.invoke(args=["demo", "generate", "--services", "400", "--seed", "7"])
    assert again.exit_code != 0 and "already in this database" in again.output


def test_create_admin(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Boss@Example.org", "--password",
                                 "a long password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "boss@example.org" and user.is_admin and user.check_password("a long password")


def test_create_admin_refuses_bad_input(runner):
    bad_email = runner.invoke(args=["users", "create-admin", "--email", "nope", "--password", "a long password"])
    assert bad_email.exit_code != 0 and "right format" in bad_email.output
    short = runner.invoke(args=["users", "create-admin", "--email", "a@example.org", "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    assert _count(User) == 0
